"""Checks of the machine itself: font, display, sound, speech model, disk, PIN, config file."""

from __future__ import annotations

import pwd
import shutil
import socket
import stat
from pathlib import Path

from kiosk.doctor.model import Result, Site, fail, ok, warn

DEMO_PIN = "2468"
DEMO_SALT = "demo-kiosk"
#: Below this the kiosk cannot take a content update or keep its outbox: fail; below WARN_MB, warn.
FAIL_MB, WARN_MB = 200, 1024


def font(site: Site) -> Result:
    from kiosk.bootstrap import UiSettings

    s = UiSettings.from_config(site.cfg)
    for path, key, package in (
        (s.font, "font", "fonts-noto-cjk"),
        (s.font_bold, "font_bold", "fonts-noto-cjk"),
        (s.icon_font, "icon_font", "fonts-materialdesignicons-webfont"),
    ):
        if not path.is_file():
            return fail(
                "font",
                f"{path} not found ([ui] {key})",
                f"apt-get install {package}, or set [ui] {key} to a font file that exists",
            )
    return ok("font", f"{s.font.name}, {s.icon_font.name}")


def display(site: Site) -> Result:
    name = site.env.get("DISPLAY") or ":0"
    number = name.rsplit(":", 1)[-1].split(".")[0]
    path = site.x11_dir / f"X{number}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(str(path))
        except OSError as exc:
            return fail(
                "display",
                f"no X server on {name} ({path}: {exc.strerror or exc})",
                "start the kiosk session: systemctl restart legal-kiosk-session "
                "(its log: journalctl -u legal-kiosk-session -b)",
            )
    return ok("display", f"X server on {name}")


def _speech_enabled(site: Site) -> bool:
    from kiosk.devices.speech_config import speech_config

    return speech_config(site.cfg).enabled


def audio_out(site: Site) -> Result:
    from kiosk.devices.speech_config import speech_config

    sc = speech_config(site.cfg)
    if not sc.enabled:
        return warn(
            "audio out",
            "speech is switched off ([speech] enabled = false)",
            "set [speech] enabled = true: residents who cannot read need the screens read aloud",
        )
    cards = _read(site.asound / "cards")
    if not cards.strip() or "no soundcards" in cards:
        return fail(
            "audio out",
            "no sound card",
            "plug in the speaker (USB) or enable the board's audio; `aplay -l` must list a card",
        )
    if shutil.which(sc.player[0]) is None:
        return fail(
            "audio out",
            f"player {sc.player[0]!r} not found ([speech] player)",
            "apt-get install alsa-utils (aplay), or set [speech] player",
        )
    first = cards.strip().splitlines()[0].strip()
    return ok("audio out", f"{first[:60]}; player {sc.player[0]}")


def microphone(site: Site) -> Result:
    if not _speech_enabled(site):
        return warn("microphone", "speech is switched off", "set [speech] enabled = true to answer by voice")
    capture = sorted(p.name for p in site.dev_snd.glob("pcmC*D*c")) if site.dev_snd.is_dir() else []
    if not capture:
        return warn(
            "microphone",
            "no capture device: residents answer by touch only",
            "plug in the microphone; `arecord -l` must list it",
        )
    return ok("microphone", ", ".join(capture[:3]))


def speech_model(site: Site) -> Result:
    from kiosk.devices.speech_config import speech_config

    model = speech_config(site.cfg).model
    if model is None:
        return warn(
            "speech model",
            "no vosk model ([speech] model / KIOSK_SPEECH_MODEL): voice answers are off",
            "install one: deploy/kiosk/install.sh --model vosk-model-small-cn-0.22.zip --model-sha256 HEX",
        )
    if not (model / "am").is_dir():
        return fail(
            "speech model",
            f"{model} is not a vosk model folder (no am/)",
            "run the installer again with --model and --model-sha256, or fix [speech] model",
        )
    return ok("speech model", model.name)


def disk(site: Site) -> Result:
    where = site.cfg.state_dir
    while not where.exists() and where != where.parent:
        where = where.parent
    free_mb = shutil.disk_usage(where).free // 2**20
    detail = f"{free_mb} MiB free under {where}"
    if free_mb < FAIL_MB:
        return fail(
            "disk", detail, "free space: journalctl --vacuum-size=50M, apt-get clean, old files in /var/tmp"
        )
    if free_mb < WARN_MB:
        return warn("disk", detail, "free some space before the next content update")
    return ok("disk", detail)


def maintenance_pin(site: Site) -> Result:
    from kiosk.bootstrap import UiSettings
    from kiosk.services.maintenance import pin_matches

    stored = UiSettings.from_config(site.cfg).pin_hash
    fix = "make this kiosk's own PIN: kiosk pin-hash, then put the line in [maintenance] pin_hash"
    if not stored:
        return warn("maintenance PIN", "no PIN set: the maintenance screen cannot be opened", fix)
    if f"${DEMO_SALT}$" in stored or pin_matches(DEMO_PIN, stored):
        return fail("maintenance PIN", "the demo PIN (2468) is in use: anyone can open maintenance", fix)
    return ok("maintenance PIN", "own PIN set")


def config_permissions(site: Site) -> Result:
    path = site.cfg.source
    st = path.stat()
    mode = stat.S_IMODE(st.st_mode)
    fix = f"chown root:kiosk {path} && chmod 640 {path}"
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        return fail("config permissions", f"{path} is writable by others (mode {mode:o})", fix)
    if _kiosk_uid() == st.st_uid:
        return fail(
            "config permissions", f"{path} belongs to the kiosk user: the app could change its own PIN", fix
        )
    if mode & stat.S_IROTH:
        return warn(
            "config permissions",
            f"{path} is readable by everyone (mode {mode:o}; it holds the PIN hash)",
            fix,
        )
    central = site.cfg.extra.get("central", {})
    if isinstance(central, dict) and central.get("token"):
        return warn(
            "config permissions",
            "the kiosk token is written inline in the config",
            "move it to [central] token_file (chmod 600, owned by kiosk) and delete the token line",
        )
    return ok("config permissions", f"{path} mode {mode:o}")


def _kiosk_uid() -> int | None:
    try:
        return pwd.getpwnam("kiosk").pw_uid
    except KeyError:
        return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
