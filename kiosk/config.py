"""Typed kiosk configuration: a TOML file plus environment overrides, read at start-up.

Never read at import time: `load_config()` is called once by the entry point and the
result handed down. Relative paths in the file are resolved against the file's folder,
so the same file works from any working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "kiosk.toml"


class ConfigError(Exception):
    """The configuration is missing or malformed; the message names the key."""


@dataclass(frozen=True)
class PrinterConfig:
    """[printer]: which adapter, which profile from `profiles`, and the serial port."""

    kind: str = "virtual"  # virtual | serial
    profile: str = "80mm"
    port: str = ""
    profiles: Path = DEFAULT_CONFIG.parent / "printers.toml"
    #: Where the QR codes on slips point before the central service has said (see
    #: kiosk.services.public_urls.public_base_url, which every QR goes through). Empty: ask it.
    public_url: str = ""


@dataclass(frozen=True)
class KioskConfig:
    kiosk_id: str
    locales: tuple[str, ...]
    fallback: dict[str, tuple[str, ...]]
    content_path: Path
    locality_path: Path
    state_dir: Path
    source: Path
    printer: PrinterConfig = field(default_factory=lambda: PrinterConfig())
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def fallback_chain(self, locale: str) -> tuple[str, ...]:
        """The locales to try, in order, for a text wanted in `locale`."""
        chain = [locale, *self.fallback.get(locale, ())]
        chain += [loc for loc in self.locales if loc not in chain]
        return tuple(chain)


def _env_override(raw: dict[str, Any], env: dict[str, str]) -> None:
    for key, value in env.items():
        if not key.startswith("KIOSK_") or key.count("_") < 2:
            continue
        _, section, name = key.lower().split("_", 2)
        if section in raw and isinstance(raw[section], dict):
            raw[section][name] = value


def _printer(raw: dict[str, Any], base: Path) -> PrinterConfig:
    kind = str(raw.get("kind", "virtual"))
    if kind not in ("virtual", "serial"):
        raise ConfigError(f"[printer] kind must be 'virtual' or 'serial', not {kind!r}")
    if kind == "serial" and not raw.get("port"):
        raise ConfigError("[printer] kind = 'serial' needs a port (e.g. /dev/ttyUSB0)")
    return PrinterConfig(
        kind=kind,
        profile=str(raw.get("profile", "80mm")),
        port=str(raw.get("port", "")),
        profiles=(base / str(raw["profiles"])).resolve() if "profiles" in raw else PrinterConfig.profiles,
        public_url=str(raw.get("public_url", PrinterConfig.public_url)),
    )


def load_config(path: Path | None = None, env: dict[str, str] | None = None) -> KioskConfig:
    """Read the config file (default: the repo's `config/kiosk.toml`) and apply overrides."""
    env = dict(os.environ) if env is None else env
    source = Path(path or env.get("KIOSK_CONFIG") or DEFAULT_CONFIG).resolve()
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {source}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc
    _env_override(raw, env)
    base = source.parent
    try:
        kiosk = raw["kiosk"]
        content = raw["content"]
        locales = tuple(str(x) for x in kiosk["locales"])
        fallback = {str(k): tuple(str(x) for x in v) for k, v in kiosk.get("fallback", {}).items()}
        cfg = KioskConfig(
            kiosk_id=str(kiosk["id"]),
            locales=locales,
            fallback=fallback,
            content_path=(base / content["path"]).resolve(),
            locality_path=(base / content["locality"]).resolve(),
            state_dir=Path(env["KIOSK_STATE_DIR"]).resolve() if env.get("KIOSK_STATE_DIR")
            else (base / content.get("state_dir", "../var")).resolve(),
            source=source,
            printer=_printer(raw.get("printer", {}), base),
            extra={k: v for k, v in raw.items() if k not in ("kiosk", "content", "printer")},
        )
    except KeyError as exc:
        raise ConfigError(f"{source}: missing key {exc.args[0]!r}") from exc
    if not locales:
        raise ConfigError(f"{source}: [kiosk] locales must name at least one locale")
    return cfg
