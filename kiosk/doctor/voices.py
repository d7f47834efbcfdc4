"""`kiosk doctor`'s check of espeak-ng's voices: Mandarin, English and Cantonese.

Without the Cantonese voice (sit/yue) the kiosk reads 粤语 in Mandarin and tells the resident
so: a warning, unless the locality reads in Cantonese by default (`read_aloud: yue`), where
the residents it was set up for would hear no Cantonese at all: a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess

from kiosk.doctor.model import Result, Site, fail, ok, warn

NAME = "speech voices"
INSTALL = (
    "apt-get install espeak-ng espeak-ng-data (the Debian package has sit/yue, sit/cmn and gmw/en)",
    "安装语音：apt-get install espeak-ng espeak-ng-data（含粤语 sit/yue、普通话、英语）",
)


def _voices(site: Site) -> set[str] | str:
    """espeak-ng's voice files as `--voices` lists them (sit/yue ...), or why there are none."""
    path = site.env.get("PATH", os.environ.get("PATH", ""))
    binary = shutil.which("espeak-ng", path=path)
    if binary is None:
        return "espeak-ng is not installed"
    try:
        out = subprocess.run([binary, "--voices"], capture_output=True, text=True, timeout=10,
                             env={**os.environ, **site.env}, check=True).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"espeak-ng --voices failed ({type(exc).__name__})"
    return {line.split()[4].lower() for line in out.splitlines()[1:] if len(line.split()) > 4}


def _locality_reads_cantonese(site: Site) -> bool:
    from kiosk.content.bundle import load_locality

    locality = load_locality(site.cfg.locality_path, [])
    return locality is not None and locality.read_aloud == "yue"


def speech_voices(site: Site) -> Result:
    from kiosk.devices.speech_config import VOICES, speech_config

    if not speech_config(site.cfg).enabled:
        return ok(NAME, "speech is switched off")
    found = _voices(site)
    if isinstance(found, str):
        return fail(NAME, found, INSTALL)
    needed = {VOICES["zh-CN"], VOICES["en"]}
    if not needed <= found:
        return fail(NAME, "missing " + ", ".join(sorted(needed - found)), INSTALL)
    if VOICES["yue"] not in found:
        detail = f"no Cantonese voice ({VOICES['yue']}): 粤语 is read in Mandarin"
        if _locality_reads_cantonese(site):
            return fail(NAME, detail + ", and this locality reads in Cantonese by default", INSTALL)
        return warn(NAME, detail, INSTALL)
    return ok(NAME, "普通话, 粤语, English")
