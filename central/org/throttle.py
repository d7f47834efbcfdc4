"""Failed admin logins: three separate counts, each with its own limit and lock.

- one account from one address (`LOGIN_FAILURES` tries, then `LOGIN_LOCK_S` locked): the
  brute-force stop, which never touches the same account at another address;
- one address over every account (`LOGIN_ADDRESS_FAILURES`): stops spraying many names;
- one account from every address (`LOGIN_USER_FAILURES`, then a short `LOGIN_USER_BACKOFF_S`):
  slows a spread-out guess without locking the owner out for long.

A try refused by any lock is not counted anywhere and renews nothing, so no one can keep an
account locked by trying again just before the lock ends. Rows live in the database so every
worker and node sees the same counts.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from central.conf import conf
from central.org.models import LoginFailure

ANY_USER = ""   # the username of an address's row
ANY_ADDRESS = "*"  # the client of an account's row


def _rules(username: str, client: str) -> list[tuple[str, str, int, dt.timedelta]]:
    lock = dt.timedelta(seconds=conf("LOGIN_LOCK_S"))
    return [(username, client, conf("LOGIN_FAILURES"), lock),
            (ANY_USER, client, conf("LOGIN_ADDRESS_FAILURES"), lock),
            (username, ANY_ADDRESS, conf("LOGIN_USER_FAILURES"),
             dt.timedelta(seconds=conf("LOGIN_USER_BACKOFF_S")))]


def locked(username: str, client: str) -> bool:
    keys = Q()
    for user, address, _limit, _lock in _rules(username, client):
        keys |= Q(username=user, client=address)
    return LoginFailure.objects.filter(keys, locked_until__gt=timezone.now()).exists()


def record_failure(username: str, client: str) -> None:
    if locked(username, client):
        return  # refused by a lock whatever the password: not counted, nothing renewed
    now = timezone.now()
    window = dt.timedelta(seconds=conf("LOGIN_LOCK_S"))
    with transaction.atomic():
        for user, address, limit, lock in _rules(username, client):
            LoginFailure.objects.bulk_create([LoginFailure(username=user, client=address, last=now)],
                                             ignore_conflicts=True)
            row = LoginFailure.objects.select_for_update().get(username=user, client=address)
            count = 1 if row.last < now - window or row.locked_until is not None else row.count + 1
            until = now + lock if count >= limit else None
            LoginFailure.objects.filter(pk=row.pk).update(count=0 if until else count, last=now,
                                                          locked_until=until)


def record_success(username: str, client: str) -> None:
    LoginFailure.objects.filter(username=username, client=client).delete()


def unlock(username: str | None = None, client: str | None = None) -> int:
    """Forget failures and locks: of one account (every address), of one address (every
    account), of both, or everything when neither is given. Returns the rows removed."""
    rows = LoginFailure.objects.all()
    if username is not None:
        rows = rows.filter(username=username.lower())
    if client is not None:
        rows = rows.filter(client=client)
    deleted, _ = rows.delete()
    return deleted
