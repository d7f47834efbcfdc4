"""Checks of the tie to the central service: reachable, the token taken, a trusted TUF root
and signed content, the clock. One probe (two GETs) serves all four checks."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import time
from typing import Any

from kiosk.config import ConfigError
from kiosk.doctor.model import Result, Site, fail, ok, warn

#: Clock skew that breaks signed-content expiry checks and ticket times: fail; above WARN_S: warn.
FAIL_S, WARN_S = 300.0, 30.0
NO_CENTRAL = (
    "set [central] url (and token_file, tuf_root) to join the county's central service",
    "设置 [central] url（以及 token_file、tuf_root），接入县里的中心服务",
)


def probe(site: Site) -> dict[str, Any]:
    """{"settings", "error", "health", "auth", "skew_s", "ms"} once per run."""
    if "central" in site.cache:
        return dict(site.cache["central"])
    from kiosk.connector.settings import load_central_settings

    found: dict[str, Any] = {}
    try:
        settings = load_central_settings(site.cfg, site.env)
    except ConfigError as exc:
        found["config_error"] = str(exc)
        site.cache["central"] = found
        return found
    found["settings"] = settings
    if settings.enabled:
        found.update(_ask(site, settings))
    site.cache["central"] = found
    return found


def _ask(site: Site, settings: Any) -> dict[str, Any]:
    import requests

    verify: Any = str(settings.ca_bundle) if settings.ca_bundle else True
    timeout = (settings.connect_timeout_s, settings.read_timeout_s)
    found: dict[str, Any] = {}
    try:
        sent = site.now()
        start = time.monotonic()
        health = requests.get(f"{settings.url}/healthz", timeout=timeout, verify=verify)
        found["ms"] = int((time.monotonic() - start) * 1000)
        found["health"] = health.status_code
        date = health.headers.get("Date")
        if date:
            server = email.utils.parsedate_to_datetime(date)
            local = sent + dt.timedelta(seconds=(time.monotonic() - start) / 2)
            found["skew_s"] = (server - local).total_seconds()
        if settings.token:
            services = requests.get(
                f"{settings.url}/api/v1/services",
                timeout=timeout,
                verify=verify,
                headers={"Authorization": f"Bearer {settings.token}"},
            )
            found["auth"] = services.status_code
    except requests.RequestException as exc:
        found["error"] = type(exc).__name__
    return found


def central(site: Site) -> Result:
    found = probe(site)
    if "config_error" in found:
        return fail(
            "central",
            found["config_error"],
            ("fix the [central] section as the message says", "按提示改正 [central] 一节"),
        )
    settings = found["settings"]
    if not settings.enabled:
        return warn("central", "no central service: bookings and tickets stay on this kiosk", NO_CENTRAL)
    if "error" in found and "health" not in found:
        return fail(
            "central",
            f"{settings.url} unreachable ({found['error']})",
            (
                f"check the network, DNS and firewall; from the kiosk: curl -I {settings.url}/healthz",
                f"检查网络、DNS 和防火墙；在本机试：curl -I {settings.url}/healthz",
            ),
        )
    if found.get("health") != 200:
        return fail(
            "central",
            f"{settings.url}/healthz answered {found.get('health')}",
            (
                "the central service is up but unwell: tell the bureau's administrator",
                "中心服务运行但不正常：请告诉司法局的管理员",
            ),
        )
    return ok("central", f"{settings.url} answers in {found['ms']} ms")


def token(site: Site) -> Result:
    found = probe(site)
    if "config_error" in found:
        return fail(
            "token",
            found["config_error"],
            (
                "the token file must exist, hold the token and be chmod 600, owned by the kiosk user",
                "令牌文件要存在、写有令牌、属主为 kiosk 且 chmod 600",
            ),
        )
    settings = found["settings"]
    if not settings.enabled:
        return warn("token", "not checked: no central service", NO_CENTRAL)
    fix = (
        "issue a new token in the central admin (Kiosks → issue a new token), write it to "
        "[central] token_file, chown kiosk and chmod 600 it",
        "在中心管理后台为本机签发新令牌（终端 → 签发新令牌），写进 [central] token_file，"
        "属主改为 kiosk 并 chmod 600",
    )
    if not settings.token:
        return fail("token", "no kiosk token", fix)
    auth = found.get("auth")
    if auth is None:
        return warn(
            "token",
            "not checked: the central service did not answer",
            ("fix the central check first", "先解决 central 一项"),
        )
    if auth in (401, 403):
        return fail("token", f"the central service refused the token ({auth})", fix)
    if auth != 200:
        return fail(
            "token",
            f"the central service answered {auth}",
            ("tell the bureau's administrator", "请告诉司法局的管理员"),
        )
    return ok("token", "accepted")


def content(site: Site) -> Result:
    """The trusted TUF root the kiosk ships with, and the signed content version in force."""
    from kiosk.connector.content_store import ContentStore

    found = probe(site)
    settings = found.get("settings")
    if settings is None or not settings.enabled:
        return warn(
            "TUF root and content",
            "not checked: no central service (the shipped content is served)",
            NO_CENTRAL,
        )
    fix_root = (
        "copy the root the central service printed (`central publish --json`: root_path) to "
        "/etc/legal-kiosk/root.json and set [central] tuf_root",
        "把中心服务给出的根文件（`central publish --json` 的 root_path）复制到 "
        "/etc/legal-kiosk/root.json，并设置 [central] tuf_root",
    )
    if settings.tuf_root is None or not settings.tuf_root.is_file():
        return fail(
            "TUF root and content",
            f"no trusted root.json ({settings.tuf_root or '[central] tuf_root empty'})",
            fix_root,
        )
    try:
        signed = json.loads(settings.tuf_root.read_text(encoding="utf-8"))["signed"]
        assert signed["_type"] == "root"
        root_version = int(signed["version"])
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return fail("TUF root and content", f"{settings.tuf_root} is not a TUF root.json", fix_root)
    version = ContentStore(site.cfg.state_dir / "bundles").current_version()
    if version is None:
        return warn(
            "TUF root and content",
            f"root v{root_version}; no signed content yet (the shipped pack is served)",
            (
                "fetch it now: kiosk sync --once (it also runs by itself every [central] sync_interval_s)",
                "现在就取：kiosk sync --once（它也会按 [central] sync_interval_s 自动运行）",
            ),
        )
    expires = _timestamp_expiry(site)
    if expires is not None and expires < site.now():
        return warn(
            "TUF root and content",
            f"root v{root_version}, content v{version}; "
            f"signed metadata expired {expires:%Y-%m-%d %H:%M} UTC: updates are refused until a sync",
            (
                "check the central check and the clock, then: kiosk sync --once",
                "先检查 central 和 clock 两项，再运行 kiosk sync --once",
            ),
        )
    return ok("TUF root and content", f"root v{root_version}, content v{version}")


def _timestamp_expiry(site: Site) -> dt.datetime | None:
    path = site.cfg.state_dir / "tuf" / "metadata" / "timestamp.json"
    try:
        text = json.loads(path.read_text(encoding="utf-8"))["signed"]["expires"]
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clock(site: Site) -> Result:
    found = probe(site)
    skew = found.get("skew_s")
    fix = (
        "turn on time sync: timedatectl set-ntp true (and let the kiosk reach an NTP server)",
        "打开自动校时：timedatectl set-ntp true（并让本机能连上 NTP 服务器）",
    )
    if skew is None:
        return warn(
            "clock",
            "not checked: no answer with a Date from the central service",
            (
                "check the central service first; meanwhile: timedatectl status",
                "先检查中心服务；同时看看 timedatectl status",
            ),
        )
    detail = f"{skew:+.0f} s against the central service"
    if abs(skew) > FAIL_S:
        return fail("clock", detail + ": signed content and ticket times go wrong", fix)
    if abs(skew) > WARN_S:
        return warn("clock", detail, fix)
    return ok("clock", detail)
