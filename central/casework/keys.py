"""The two keys of applications, kept outside the database.

- seal key: an X25519 key pair; kiosks seal personal fields to its public half (PyNaCl
  SealedBox), so only this service can open them.
- at-rest key: a 32-byte secret (PyNaCl SecretBox) that encrypts personal fields in the
  database, so a copy of the database (a backup, a replica) reveals nothing personal.

Each lives in a file, `$CENTRAL_DATA_DIR/keys/casework/{seal,at_rest}.key` unless
CENTRAL_SEAL_KEY_FILE / CENTRAL_AT_REST_KEY_FILE name another, created with mode 0600 on
first use. Several nodes behind one database must share the same two files: create them
once (the first `central migrate` or request on one node), then copy them to every node
(or mount them from the same secret store) *before* those nodes serve. A node that made
its own would answer `unsealable` to kiosks that cached another node's public key and
could not read what the others stored. Set CENTRAL_CASEWORK_KEYS_READONLY=1 on such nodes
so a missing file is an error instead of a new key.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox
from nacl.utils import random as random_bytes


class KeyMissing(RuntimeError):
    """A key file is absent where it must not be created (CENTRAL_CASEWORK_KEYS_READONLY=1)."""


def _path(env: str, name: str) -> Path:
    named = os.environ.get(env)
    return Path(named) if named else Path(settings.DATA_DIR) / "keys" / "casework" / name


def seal_key_path() -> Path:
    return _path("CENTRAL_SEAL_KEY_FILE", "seal.key")


def at_rest_key_path() -> Path:
    return _path("CENTRAL_AT_REST_KEY_FILE", "at_rest.key")


def _read_or_create(path: Path) -> bytes:
    """32 secret bytes from `path` (base64), made once: a race between workers keeps the first."""
    if not path.exists():
        if os.environ.get("CENTRAL_CASEWORK_KEYS_READONLY") == "1":
            raise KeyMissing(f"key file {path} is missing (copy it from the first node)")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")  # mkstemp: mode 0600
        try:
            with os.fdopen(fd, "w") as out:
                out.write(base64.b64encode(random_bytes(32)).decode() + "\n")
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another worker was first: keep its key
                os.link(tmp, path)  # atomic
        finally:
            os.unlink(tmp)
    raw = base64.b64decode(path.read_text().strip(), validate=True)
    if len(raw) != 32:
        raise ValueError(f"key file {path} does not hold a 32-byte key")
    return raw


@lru_cache(maxsize=4)
def _seal_private(path: Path) -> PrivateKey:
    return PrivateKey(_read_or_create(path))


@lru_cache(maxsize=4)
def _at_rest_box(path: Path) -> SecretBox:
    return SecretBox(_read_or_create(path))


def seal_private() -> PrivateKey:
    return _seal_private(seal_key_path())


def seal_public() -> PublicKey:
    return seal_private().public_key


def seal_public_b64() -> str:
    return base64.b64encode(bytes(seal_public())).decode()


def seal_key_id() -> str:
    """Names the public key a kiosk sealed to: derived from it, so a new key gets a new id."""
    return "k" + hashlib.sha256(bytes(seal_public())).hexdigest()[:8]


def unseal(sealed: bytes) -> bytes:
    """Open a sealed box; nacl.exceptions.CryptoError when it is not for this key or damaged."""
    return SealedBox(seal_private()).decrypt(sealed)


def encrypt_at_rest(plain: bytes) -> bytes:
    return bytes(_at_rest_box(at_rest_key_path()).encrypt(plain))


def decrypt_at_rest(cipher: bytes) -> bytes:
    return _at_rest_box(at_rest_key_path()).decrypt(cipher)


def ensure_keys() -> None:
    """Both keys exist (made now if not): run after `central migrate`, so the first node makes them."""
    seal_private()
    _at_rest_box(at_rest_key_path())
