"""[ui], [maintenance] and [desk] from the config: defaults, and plain errors naming the key."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk.bootstrap import UiSettings
from kiosk.config import ConfigError, load_config
from kiosk.services.local_desk import DeskHours


def test_the_shipped_config_gives_the_documented_defaults() -> None:
    cfg = load_config(env={})
    s = UiSettings.from_config(cfg)
    assert (s.idle_seconds, s.warning_seconds, s.orientation, s.theme) == (60, 30, "portrait", "normal")
    assert s.pin_hash.startswith("pbkdf2_sha256$") and s.pin_tries == 5
    hours = DeskHours.from_config(dict(cfg.extra["desk"]))
    assert hours.periods[0] == (dt.time(9, 0), dt.time(12, 0)) and hours.weekdays == frozenset(range(5))


@pytest.mark.parametrize("ui,message", [
    ({"orientation": "sideways"}, "orientation"),
    ({"theme": "dark"}, "theme"),
    ({"idle_seconds": "soon"}, "not a number"),
])
def test_bad_values_are_named(ui: dict[str, str], message: str) -> None:
    cfg = load_config(env={})
    bad = dataclasses.replace(cfg, extra={**cfg.extra, "ui": {**cfg.extra["ui"], **ui}})
    with pytest.raises(ConfigError, match=message):
        UiSettings.from_config(bad)


def test_the_warning_never_drops_below_twenty_seconds() -> None:
    cfg = load_config(env={})
    short = dataclasses.replace(cfg, extra={**cfg.extra, "ui": {"warning_seconds": 5}})
    assert UiSettings.from_config(short).warning_seconds == 20
