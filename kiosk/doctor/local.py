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
                (
                    f"apt-get install {package}, or set [ui] {key} to a font file that exists",
                    f"安装字体：apt-get install {package}，或把 [ui] {key} 改成存在的字体文件",
                ),
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
                (
                    "start the kiosk session: systemctl restart legal-kiosk-session "
                    "(its log: journalctl -u legal-kiosk-session -b)",
                    "启动终端的显示会话：systemctl restart legal-kiosk-session"
                    "（日志：journalctl -u legal-kiosk-session -b）",
                ),
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
            (
                "set [speech] enabled = true: residents who cannot read need the screens read aloud",
                "把 [speech] enabled 设为 true：不识字的群众需要听朗读",
            ),
        )
    cards = _read(site.asound / "cards")
    if not cards.strip() or "no soundcards" in cards:
        return fail(
            "audio out",
            "no sound card",
            (
                "plug in the speaker (USB) or enable the board's audio; `aplay -l` must list a card",
                "接上扬声器（USB）或打开主板声卡；`aplay -l` 应能列出声卡",
            ),
        )
    if shutil.which(sc.player[0]) is None:
        return fail(
            "audio out",
            f"player {sc.player[0]!r} not found ([speech] player)",
            (
                "apt-get install alsa-utils (aplay), or set [speech] player",
                "安装播放程序：apt-get install alsa-utils，或设置 [speech] player",
            ),
        )
    first = cards.strip().splitlines()[0].strip()
    return ok("audio out", f"{first[:60]}; player {sc.player[0]}")


def microphone(site: Site) -> Result:
    if not _speech_enabled(site):
        return warn(
            "microphone",
            "speech is switched off",
            ("set [speech] enabled = true to answer by voice", "把 [speech] enabled 设为 true 才能语音回答"),
        )
    capture = sorted(p.name for p in site.dev_snd.glob("pcmC*D*c")) if site.dev_snd.is_dir() else []
    if not capture:
        return warn(
            "microphone",
            "no capture device: residents answer by touch only",
            ("plug in the microphone; `arecord -l` must list it", "接上麦克风；`arecord -l` 应能列出它"),
        )
    return ok("microphone", ", ".join(capture[:3]))


def speech_model(site: Site) -> Result:
    """Which vosk model the kiosk loads (folder, language from its name, size), or why none.

    The folder is checked as the adapter checks it (kiosk.devices.vosk_model), without
    loading it: a model takes ~0.5 GB and seconds to load, and the kiosk may be running."""
    from kiosk.devices.speech_config import speech_config
    from kiosk.devices.vosk_model import inspect_model

    model = speech_config(site.cfg, site.env).model
    if model is None:
        return warn(
            "speech model",
            "no vosk model ([speech] model / KIOSK_SPEECH_MODEL / KIOSK_VOSK_MODEL): voice answers are off",
            (
                "install one: deploy/kiosk/install.sh --model vosk-model-small-cn-0.22.zip "
                "--model-sha256 HEX (docs/voice.md)",
                "安装语音模型：deploy/kiosk/install.sh --model vosk-model-small-cn-0.22.zip "
                "--model-sha256 校验值（见 docs/voice.md）",
            ),
        )
    info = inspect_model(model)
    if info.problem:
        return fail(
            "speech model",
            f"{model}: {info.problem}",
            (
                "run the installer again with --model and --model-sha256, or fix [speech] model",
                "用 --model 和 --model-sha256 重新运行安装脚本，或改正 [speech] model",
            ),
        )
    return ok("speech model", f"{info.summary()} at {model}")


def disk(site: Site) -> Result:
    where = site.cfg.state_dir
    while not where.exists() and where != where.parent:
        where = where.parent
    free_mb = shutil.disk_usage(where).free // 2**20
    detail = f"{free_mb} MiB free under {where}"
    if free_mb < FAIL_MB:
        return fail(
            "disk",
            detail,
            (
                "free space: journalctl --vacuum-size=50M, apt-get clean, old files in /var/tmp",
                "清理磁盘：journalctl --vacuum-size=50M、apt-get clean、删掉 /var/tmp 里的旧文件",
            ),
        )
    if free_mb < WARN_MB:
        return warn(
            "disk",
            detail,
            ("free some space before the next content update", "下次内容更新前先清理一些磁盘空间"),
        )
    return ok("disk", detail)


def maintenance_pin(site: Site) -> Result:
    from kiosk.bootstrap import UiSettings
    from kiosk.services.maintenance import pin_matches

    stored = UiSettings.from_config(site.cfg).pin_hash
    fix = (
        "make this kiosk's own PIN: kiosk pin-hash, then put the line in [maintenance] pin_hash",
        "给本机设自己的维护密码：运行 kiosk pin-hash，把输出的那一行写进 [maintenance] pin_hash",
    )
    if not stored:
        return warn("maintenance PIN", "no PIN set: the maintenance screen cannot be opened", fix)
    if f"${DEMO_SALT}$" in stored or pin_matches(DEMO_PIN, stored):
        return fail("maintenance PIN", "the demo PIN (2468) is in use: anyone can open maintenance", fix)
    return ok("maintenance PIN", "own PIN set")


def config_permissions(site: Site) -> Result:
    path = site.cfg.source
    st = path.stat()
    mode = stat.S_IMODE(st.st_mode)
    fix = (
        f"chown root:kiosk {path} && chmod 640 {path}",
        f"改正配置文件的属主和权限：chown root:kiosk {path} && chmod 640 {path}",
    )
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
            (
                "move it to [central] token_file (chmod 600, owned by kiosk) and delete the token line",
                "把令牌放进 [central] token_file 指向的文件（属主 kiosk，chmod 600），删掉配置里的 token 行",
            ),
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
