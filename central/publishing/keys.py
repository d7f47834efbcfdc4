"""Signing keys for the TUF repository.

root and targets are *offline* keys: they sign only when an administrator publishes, and
may live on removable media (CENTRAL_OFFLINE_KEYS_DIR, mounted only while publishing).
snapshot and timestamp are *online* keys under $CENTRAL_DATA_DIR/keys/online: the server
re-signs timestamp (and snapshot) by itself so kiosks never see expired metadata.
Private keys are PEM PKCS#8 files, mode 0600.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner  # type: ignore[attr-defined]

from central.conf import conf

OFFLINE_ROLES = ("root", "targets")
ONLINE_ROLES = ("snapshot", "timestamp")


class KeyMissing(Exception):
    """A signing key is not where it should be (offline media not mounted?)."""


def key_path(role: str) -> Path:
    folder = conf("OFFLINE_KEYS_DIR") if role in OFFLINE_ROLES else conf("ONLINE_KEYS_DIR")
    return Path(folder) / f"{role}.pem"


def create_missing_keys() -> list[str]:
    """Generate the ed25519 keys that do not exist yet (first publication only)."""
    made = []
    for role in OFFLINE_ROLES + ONLINE_ROLES:
        path = key_path(role)
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        signer = CryptoSigner.generate_ed25519()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(signer.private_bytes)
        made.append(role)
    return made


def signer(role: str) -> CryptoSigner:
    path = key_path(role)
    if not path.exists():
        where = "CENTRAL_OFFLINE_KEYS_DIR" if role in OFFLINE_ROLES else "CENTRAL_DATA_DIR/keys/online"
        raise KeyMissing(f"the {role} signing key is not at {path} (set or mount {where})")
    return CryptoSigner(load_pem_private_key(path.read_bytes(), None))
