"""[speech] in config/kiosk.toml, parsed from `cfg.extra["speech"]` when the devices are built.

Every key may come from the environment as a string (KIOSK_SPEECH_MODEL=/opt/vosk/cn), so
values are coerced here and a bad one is a ConfigError naming the key.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, KioskConfig

#: The config key that names the vosk model folder; messages point residents' staff here.
MODEL_KEY = "[speech] model (env KIOSK_SPEECH_MODEL or KIOSK_VOSK_MODEL)"
#: The environment variable `kiosk listen`, bench/voice.py and outside checks set; it wins
#: over [speech] model (an environment variable always overrides the file).
VOSK_MODEL_ENV = "KIOSK_VOSK_MODEL"

#: espeak-ng voices by locale. Not plain sit/cmn for Mandarin: its dictionary (espeak-ng
#: 1.51, Debian) lacks many everyday characters (您 要 请 律 工 资 ...), writes them as pinyin
#: with a tone digit and reads that with the *English* voice ("nin two"); the content pack's
#: screens had over a thousand such switches. sit/cmn-latn-pinyin reads the same pinyin as
#: Mandarin: none (tests/integration/test_tts.py checks every screen).
#: "yue" is Cantonese read-aloud of the same Chinese screens (sit/yue knows every character
#: of the content pack; its numbers are shaped first, kiosk.voice.cantonese).
VOICES = {"zh-CN": "sit/cmn-latn-pinyin", "en": "gmw/en", "yue": "sit/yue"}


@dataclass(frozen=True)
class SpeechConfig:
    #: Speech output and input at all; off means the kiosk is touch-only and says so.
    enabled: bool = True
    #: Words per minute; espeak-ng's sit/cmn at its default 175 is too fast for elderly listeners.
    rate: int = 150
    #: Default volume 0..1 and the step of the volume buttons; both reset for each resident.
    volume: float = 0.8
    volume_step: float = 0.2
    #: Player command; "{wav}" is replaced by the file. Killed on stop().
    player: tuple[str, ...] = ("aplay", "-q", "{wav}")
    #: vosk model folder (explicit: vosk's Model(lang=...) would download one).
    model: Path | None = None
    #: Microphone: a sounddevice device name or index ("" = the system default input).
    microphone: str = ""
    #: Push-to-talk ends after this much silence following speech, or when nothing is said.
    silence_s: float = 0.8
    no_speech_s: float = 6.0
    max_listen_s: float = 12.0
    #: Rendered prompts, keyed by text, voice, rate and volume.
    cache_dir: Path = Path("var/speech")

    def voice(self, locale: str) -> str:
        return VOICES.get(locale, VOICES["zh-CN"] if locale.startswith("zh") else VOICES["en"])


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("1", "true", "yes", "on"):
        return True
    if str(value).strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"[speech] {key} must be true or false, not {value!r}")


def _number(key: str, value: Any, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[speech] {key} must be a number, not {value!r}") from exc
    if not low <= number <= high:
        raise ConfigError(f"[speech] {key} must be between {low:g} and {high:g}, not {number:g}")
    return number


def speech_config(cfg: KioskConfig, env: dict[str, str] | None = None) -> SpeechConfig:
    """The [speech] section with defaults; relative paths against the config file's folder.

    KIOSK_VOSK_MODEL (from `env`, default the process environment) overrides [speech] model."""
    raw = cfg.extra.get("speech", {})
    if not isinstance(raw, dict):
        raise ConfigError("[speech] must be a table")
    base = cfg.source.parent
    d = SpeechConfig()
    player = raw.get("player", d.player)
    if isinstance(player, str):
        player = shlex.split(player)
    if not player or not all(isinstance(p, str) for p in player):
        raise ConfigError("[speech] player must be a command, e.g. [\"aplay\", \"-q\", \"{wav}\"]")
    if "{wav}" not in player:
        player = [*player, "{wav}"]
    model = str(raw.get("model", "") or "").strip()
    model = str((os.environ if env is None else env).get(VOSK_MODEL_ENV, "")).strip() or model
    return SpeechConfig(
        enabled=_bool("enabled", raw.get("enabled", d.enabled)),
        rate=int(_number("rate", raw.get("rate", d.rate), 80, 400)),
        volume=_number("volume", raw.get("volume", d.volume), 0.0, 1.0),
        volume_step=_number("volume_step", raw.get("volume_step", d.volume_step), 0.05, 1.0),
        player=tuple(player),
        model=(base / model).resolve() if model else None,
        microphone=str(raw.get("microphone", d.microphone)),
        silence_s=_number("silence_s", raw.get("silence_s", d.silence_s), 0.2, 5.0),
        no_speech_s=_number("no_speech_s", raw.get("no_speech_s", d.no_speech_s), 1.0, 30.0),
        max_listen_s=_number("max_listen_s", raw.get("max_listen_s", d.max_listen_s), 2.0, 60.0),
        cache_dir=cfg.state_dir / "speech",
    )
