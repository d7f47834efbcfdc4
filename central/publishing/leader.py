"""One writer at a time for the TUF repository, across every node.

On PostgreSQL a transaction-level advisory lock: it lives in the database all nodes share,
and is released by commit, rollback or a dead connection (a killed node never leaves it
held). On SQLite (one host, development) a file lock beside the repository is enough.
`exclusive()` waits (publishing: an administrator's publication must happen);
`exclusive(wait=False)` gives up at once (timestamp refresh: another node is already the
leader this round, and the next round comes in a minute).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction

# An arbitrary constant: the advisory lock id of "the TUF repository" (pg bigint).
TUF_LOCK_ID = 0x4C4B_5455_4601  # "LKTUF\x01"


def _file_lock(path: Path, wait: bool) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def exclusive(lock_file: Path, *, wait: bool = True) -> Iterator[bool]:
    """Hold the repository's lock; yields False (without blocking) when `wait` is False and
    another node holds it. Runs inside a transaction on PostgreSQL."""
    if connection.vendor != "postgresql":
        yield from _file_lock(lock_file, wait)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TUF_LOCK_ID])
            yield True
            return
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [TUF_LOCK_ID])
        row = cursor.fetchone()
        yield bool(row and row[0])
