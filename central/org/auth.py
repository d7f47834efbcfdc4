"""Admin login throttling (central/org/throttle.py), keyed on the real client address
(central/org/client_address.py), with answers that take as long locked as not.

A locked try still looks the account up and checks the password, exactly as an open one
does, and only then is refused; so the response time does not tell whether an account or an
address is locked, and the answer is the same login form with the same error.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from central.org import throttle
from central.org.client_address import client_address


def _username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username", ""))[:150].lower()


def locked(username: str, client: str) -> bool:
    return throttle.locked(username.lower(), client)


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        # Checked either way, so a locked answer costs what a wrong password costs.
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if username and throttle.locked(username[:150].lower(), client_address(request)):
            return None
        return user


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    throttle.record_failure(_username(credentials), client_address(request))


@receiver(user_logged_in)
def _succeeded(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    throttle.record_success(user.get_username().lower(), client_address(request))
