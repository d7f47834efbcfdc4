"""The `[central]` section of kiosk.toml, with its environment overrides, typed.

Kept apart from kiosk/config.py so the connector owns its own keys. Read once at start
(never at import) from `cfg.extra["central"]`; the env wins over the file:
KIOSK_CENTRAL_URL, KIOSK_TOKEN, KIOSK_TUF_ROOT (KIOSK_STATE_DIR is applied by load_config).
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.config import ConfigError, KioskConfig

log = logging.getLogger(__name__)

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,5}$")


@dataclass(frozen=True)
class CentralSettings:
    url: str
    token: str
    tuf_root: Path | None
    #: Prefix of tickets this kiosk issues offline ("K3" -> K3-017); unique in the county.
    ticket_prefix: str
    state_dir: Path
    ca_bundle: Path | None = None
    connect_timeout_s: float = 3.05
    read_timeout_s: float = 10.0
    #: Foreground retries (a resident is waiting): few and short.
    retries: int = 2
    backoff_s: float = 0.3
    #: Longest Retry-After a foreground call waits out; longer means "unavailable now".
    retry_after_max_s: float = 5.0
    sync_interval_s: float = 900.0
    heartbeat_interval_s: float = 300.0
    drain_interval_s: float = 30.0
    #: Outbox backoff: base * 2**attempts, full jitter, capped.
    outbox_base_s: float = 5.0
    outbox_cap_s: float = 1800.0
    #: content_stale when signed metadata expires within this many seconds. The central
    #: service re-signs its 1-day timestamp with 12 h left, so a kiosk in touch never
    #: sees less; 6 h left means about 6 h without a successful check.
    stale_margin_s: float = 21600.0
    #: The central service's X25519 sealing key (base64) provisioned with the kiosk, like
    #: tuf_root: lets a kiosk take applications before its first contact. GET
    #: /api/v1/config, once answered, wins.
    seal_public_key: str = ""
    seal_key_id: str = ""
    #: The kiosk's own log file, for a remote "logs" command (None: journalctl -u legal-kiosk).
    log_file: Path | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.url)


def _path(base: Path, value: Any) -> Path | None:
    text = str(value or "").strip()
    return (base / text).resolve() if text else None


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _private(path: Path, what: str) -> None:
    """Refuse a file with a secret in it that others than the kiosk user may read."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"{path} {what} and is readable by others: chmod 600 it "
                          "(or move the token to token_file / KIOSK_TOKEN)")


def read_token_file(path: Path) -> str:
    """The kiosk token; refused when others than the kiosk user may read the file."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"[central] token_file {path}: {exc.strerror or exc}") from exc
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"[central] token_file {path} is readable by others: chmod 600 it")
    if not text:
        raise ConfigError(f"[central] token_file {path} is empty")
    return text


def _number(raw: dict[str, Any], key: str, default: float) -> float:
    value = raw.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[central] {key} must be a number, not {value!r}") from exc
    if number < 0:
        raise ConfigError(f"[central] {key} must not be negative")
    return number


def load_central_settings(cfg: KioskConfig, env: dict[str, str] | None = None) -> CentralSettings:
    env = dict(os.environ) if env is None else env
    raw = dict(cfg.extra.get("central", {}) or {})
    if not isinstance(raw, dict):
        raise ConfigError("[central] must be a table")
    base = cfg.source.parent
    url = str(env.get("KIOSK_CENTRAL_URL") or raw.get("url") or "").strip().rstrip("/")
    if url and not re.match(r"^https?://", url):
        raise ConfigError(f"[central] url must start with http:// or https://, not {url!r}")
    inline = str(raw.get("token") or "")
    token = env.get("KIOSK_TOKEN") or inline
    token_file = _path(base, raw.get("token_file"))
    if not token and token_file is not None and url:
        token = read_token_file(token_file)
    tuf_root = Path(env["KIOSK_TUF_ROOT"]).resolve() if env.get("KIOSK_TUF_ROOT") else _path(
        base, raw.get("tuf_root"))
    prefix = str(raw.get("ticket_prefix") or "K1")
    if not _PREFIX.match(prefix):
        raise ConfigError(f"[central] ticket_prefix must be a capital letter and up to 5 letters "
                          f"or digits (e.g. K3), not {prefix!r}")
    if url.startswith("http://") and not _loopback(url):
        # The token and residents' bookings would cross the network in clear.
        raise ConfigError(f"[central] url {url} is plain HTTP to another machine: use https:// "
                          "(plain http:// only to this machine, 127.0.0.1 or localhost)")
    settings = CentralSettings(
        url=url,
        token=token,
        tuf_root=tuf_root,
        ticket_prefix=prefix,
        state_dir=cfg.state_dir,
        ca_bundle=_path(base, raw.get("ca_bundle")),
        connect_timeout_s=_number(raw, "connect_timeout_s", 3.05),
        read_timeout_s=_number(raw, "read_timeout_s", 10.0),
        retries=int(_number(raw, "retries", 2)),
        retry_after_max_s=_number(raw, "retry_after_max_s", 5.0),
        sync_interval_s=_number(raw, "sync_interval_s", 900.0),
        heartbeat_interval_s=_number(raw, "heartbeat_interval_s", 300.0),
        drain_interval_s=_number(raw, "drain_interval_s", 30.0),
        outbox_base_s=_number(raw, "outbox_base_s", 5.0),
        outbox_cap_s=_number(raw, "outbox_cap_s", 1800.0),
        stale_margin_s=_number(raw, "stale_margin_s", 21600.0),
        seal_public_key=str(raw.get("seal_public_key") or "").strip(),
        seal_key_id=str(raw.get("seal_key_id") or "").strip(),
        log_file=_path(base, raw.get("log_file")),
    )
    if inline and not env.get("KIOSK_TOKEN") and url:
        _private(cfg.source, "holds [central] token")
    return settings
