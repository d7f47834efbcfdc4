"""Sealing personal fields to the central service's public key (PyNaCl SealedBox).

A sealed box is X25519 + XSalsa20-Poly1305 with a throw-away sender key: only the holder
of the central service's private key opens it, and the kiosk, which never has that key,
cannot read back what it sealed. So what waits in the outbox while the line is down is
safe from anyone who takes the kiosk's disk.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class SealKeyError(ValueError):
    """The central service's key is missing or not a 32-byte X25519 key."""


def public_key(b64: str) -> PublicKey:
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SealKeyError("seal_public_key is not base64") from exc
    if len(raw) != 32:
        raise SealKeyError(f"seal_public_key has {len(raw)} bytes, an X25519 key has 32")
    return PublicKey(raw)


def seal(person: dict[str, Any], key_b64: str) -> str:
    """base64 of SealedBox(JSON person), as POST /api/v1/applications takes it."""
    plain = json.dumps(person, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return base64.b64encode(SealedBox(public_key(key_b64)).encrypt(plain)).decode("ascii")


def unseal(sealed_b64: str, private: PrivateKey) -> dict[str, Any]:
    """What the central service does (and tests): open with the private key."""
    try:
        data = SealedBox(private).decrypt(base64.b64decode(sealed_b64, validate=True))
    except (CryptoError, binascii.Error, ValueError) as exc:
        raise SealKeyError("cannot open the sealed box: wrong key or damaged") from exc
    person = json.loads(data)
    if not isinstance(person, dict):
        raise SealKeyError("the sealed box does not hold an object")
    return person


def new_keypair() -> tuple[PrivateKey, str]:
    """A keypair and its public half in base64 (for tests and the fake central)."""
    private = PrivateKey.generate()
    return private, base64.b64encode(bytes(private.public_key)).decode("ascii")
