"""`kiosk doctor`'s voice check against the real espeak-ng: all three voices, the Cantonese
one missing (a warning; a failure where the locality reads in Cantonese by default), and no
espeak-ng at all."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from kiosk.doctor.voices import speech_voices
from tests.conftest import LOCALITY
from tests.integration.test_doctor import make_site
from tests.integration.test_tts_cantonese import no_yue  # noqa: F401  (a fixture)


def test_all_three_voices_pass(tmp_path: Path) -> None:
    result = speech_voices(make_site(tmp_path))
    assert result.status == "pass" and "粤语" in result.detail


@pytest.mark.usefixtures("no_yue")
def test_no_cantonese_voice_warns_and_fails_where_cantonese_is_the_default(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.env["ESPEAK_DATA_PATH"] = os.environ["ESPEAK_DATA_PATH"]
    result = speech_voices(site)
    assert result.status == "warn" and "sit/yue" in result.detail and "apt-get" in result.fix

    guangdong = tmp_path / "guangdong.yaml"
    guangdong.write_text(LOCALITY.read_text(encoding="utf-8").replace("read_aloud: cmn", "read_aloud: yue"),
                         encoding="utf-8")
    site = dataclasses.replace(site, cfg=dataclasses.replace(site.cfg, locality_path=guangdong))
    result = speech_voices(site)
    assert result.status == "fail" and "reads in Cantonese by default" in result.detail


def test_no_espeak_ng_fails_with_the_package_to_install(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.env["PATH"] = str(tmp_path / "empty")
    result = speech_voices(site)
    assert result.status == "fail" and "not installed" in result.detail and "espeak-ng" in result.fix
