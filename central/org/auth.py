"""Login throttling: after N failed passwords an account (per client address) waits a while.

Kept in the database so every gunicorn worker sees the same count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from central.conf import conf
from central.org.models import LoginFailure


def _client(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


def _username(credentials: dict[str, Any]) -> str:
    return str(credentials.get("username", ""))[:150].lower()


def locked(username: str, client: str) -> bool:
    limit = conf("LOGIN_FAILURES")
    window = timezone.now() - dt.timedelta(minutes=conf("LOGIN_LOCK_MIN"))
    return LoginFailure.objects.filter(username=username, client=client, count__gte=limit,
                                       last__gte=window).exists()


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if username and locked(username.lower(), _client(request)):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    username, client = _username(credentials), _client(request)
    window = timezone.now() - dt.timedelta(minutes=conf("LOGIN_LOCK_MIN"))
    LoginFailure.objects.filter(username=username, client=client, last__lt=window).delete()
    row, created = LoginFailure.objects.get_or_create(username=username, client=client,
                                                      defaults={"count": 1})
    if not created:
        LoginFailure.objects.filter(pk=row.pk).update(count=F("count") + 1, last=timezone.now())


@receiver(user_logged_in)
def _succeeded(sender: Any, request: HttpRequest | None, user: Any, **kw: Any) -> None:
    LoginFailure.objects.filter(username=user.get_username().lower(), client=_client(request)).delete()
