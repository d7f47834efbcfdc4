"""Pinyin to characters, for a name typed on the Latin keypad (no Chinese IME on a kiosk).

The resident types a name syllable by syllable, with or without tones: `wang`, `guifang`,
`gui4fang1`, `lǚ`, `lv`, `lu:`, `xi'an`. Each syllable gets the characters that read so,
ordered by how common they are in names first (a shipped list, kiosk/data/name_chars.txt:
surnames ranked first for the first syllable, given-name characters for the others), then
by general use. Characters: GB2312 level 1 (the 3,755 common ones, enumerated through the
gb2312 codec) plus the name list; readings come from pypinyin (every reading, so 单 is
offered for shan as a surname). General use is measured on pypinyin's phrase dictionary:
the more phrases a character appears in, the commoner it is taken to be.

Typed text is a name, personal data: nothing here logs it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiosk.search.pinyin import segment

NAME_CHARS = Path(__file__).resolve().parent.parent / "data" / "name_chars.txt"
TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}
SEPARATORS = " '’-·,."
DEFAULT_LIMIT = 30


@dataclass(frozen=True, slots=True)
class Syllable:
    """One typed syllable: toneless (ü written v), with its tone 1-5 when one was typed."""

    text: str
    tone: int | None = None


@dataclass(frozen=True, slots=True)
class NameCharacters:
    surnames: tuple[str, ...]
    given: tuple[str, ...]


def load_name_characters(path: Path = NAME_CHARS) -> NameCharacters:
    """The shipped list: `[surnames]` and `[given]` sections, most common first."""
    sections: dict[str, list[str]] = {"surnames": [], "given": []}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        if current is None:
            raise ValueError(f"{path}: characters before a [section]")
        current.extend(ch for ch in line if not ch.isspace() and ch not in current)
    return NameCharacters(tuple(sections["surnames"]), tuple(sections["given"]))


@cache
def name_characters() -> NameCharacters:
    return load_name_characters()


def gb2312_level1() -> list[str]:
    """The 3,755 level-1 characters of GB2312 (rows 16-55, in pinyin order)."""
    out: list[str] = []
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                out.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # row 55 ends at cell 0xF9
                continue
    return out


def _split_tone(reading: str) -> tuple[str, int]:
    """`lǚ` -> ("lv", 3); no mark is the neutral tone, 5."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    tone = next((TONE_MARKS[ch] for ch in decomposed if ch in TONE_MARKS), 5)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)), tone


@cache
def _phrase_counts() -> tuple[Counter[str], Counter[tuple[str, str, int]]]:
    """From pypinyin's phrase dictionary: in how many phrases each character appears, and
    how often each (character, syllable, tone) reading is used there."""
    from pypinyin.phrases_dict import phrases_dict

    chars: Counter[str] = Counter()
    readings: Counter[tuple[str, str, int]] = Counter()
    for phrase, spelled in phrases_dict.items():
        chars.update(set(phrase))
        if len(spelled) == len(phrase):
            readings.update((ch, *_split_tone(r[0])) for ch, r in zip(phrase, spelled, strict=True) if r)
    return chars, readings


def _readings(ch: str) -> list[tuple[str, int]]:
    """Every reading of `ch` as (toneless syllable with v for ü, tone 1-5), pypinyin's
    commonest first."""
    from pypinyin import Style, pinyin

    out: list[tuple[str, int]] = []
    for reading in pinyin(ch, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]:
        if reading[-1:].isdigit() and reading[:-1].isalpha():
            out.append((reading[:-1], int(reading[-1])))
    return out


@dataclass(frozen=True, slots=True)
class _Entry:
    char: str
    tone: int
    live: bool  # the character's first reading, or one its phrases use; else archaic


@cache
def _index() -> dict[str, list[_Entry]]:
    """Toneless syllable -> its characters, commonest in general use first.

    pypinyin knows archaic readings too (方 as wang, 广 as an); a reading that is neither a
    character's first nor used in any phrase is kept but marked, and ranked last."""
    names = name_characters()
    chars = list(dict.fromkeys([*gb2312_level1(), *names.surnames, *names.given]))
    char_counts, reading_counts = _phrase_counts()
    chars.sort(key=lambda ch: -char_counts[ch])  # stable: GB2312 order breaks ties
    index: dict[str, list[_Entry]] = {}
    for ch in chars:
        for i, (syllable, tone) in enumerate(_readings(ch)):
            live = i == 0 or reading_counts[(ch, syllable, tone)] > 0
            index.setdefault(syllable, []).append(_Entry(ch, tone, live))
    return index


def warm() -> None:
    """Build the tables now (about 0.6-1.4 s: pypinyin's phrase dictionary is read once),
    e.g. on a worker at start, so that the first keystroke does not wait."""
    _index()


def parse(typed: str) -> tuple[Syllable, ...] | None:
    """Typed pinyin as syllables, or None when it is not pinyin (`xyz`, digits alone).

    Tones: a digit 1-5 after a syllable (`gui4fang1`) or a mark on its vowel (`guìfāng`).
    ü: `ü`, `v` or `u:`. Unspaced runs are split by the search's splitter (fewest
    syllables); a space or apostrophe forces a boundary (`xi'an`)."""
    text = unicodedata.normalize("NFD", typed.strip().lower()).replace("u:", "v")
    chunks: list[tuple[str, dict[int, int], int | None]] = []  # letters, mark tones, digit tone
    letters, marks = "", {}
    for ch in text:
        if "a" <= ch <= "z":
            letters += ch
        elif ch == "\u0308" and letters.endswith("u"):
            letters = letters[:-1] + "v"
        elif ch in TONE_MARKS and letters:
            marks[len(letters) - 1] = TONE_MARKS[ch]
        elif ch in "12345" and letters:
            chunks.append((letters, marks, int(ch)))
            letters, marks = "", {}
        elif ch in SEPARATORS:
            if letters:
                chunks.append((letters, marks, None))
            letters, marks = "", {}
        else:
            return None
    if letters:
        chunks.append((letters, marks, None))
    out: list[Syllable] = []
    for letters, marks, digit in chunks:
        parts = segment(letters)
        if not parts:
            return None
        start = 0
        for i, part in enumerate(parts):
            tone = next((t for pos, t in marks.items() if start <= pos < start + len(part)), None)
            if digit is not None and i == len(parts) - 1:
                tone = digit
            out.append(Syllable(part, tone))
            start += len(part)
    return tuple(out) or None


def candidates(syllable: Syllable | str, *, surname: bool = False,
               limit: int | None = DEFAULT_LIMIT) -> list[str]:
    """Characters read as `syllable`, commonest in names first, then in general use.

    `surname` ranks surnames first (the first syllable of a name); otherwise given-name
    characters lead. A plain string is parsed as one syllable ([] when it is not exactly one)."""
    if isinstance(syllable, str):
        parsed = parse(syllable)
        if not parsed or len(parsed) != 1:
            return []
        syllable = parsed[0]
    entries = [e for e in _index().get(syllable.text, [])
               if syllable.tone is None or e.tone == syllable.tone]
    live = list(dict.fromkeys(e.char for e in entries if e.live))
    archaic = [ch for ch in dict.fromkeys(e.char for e in entries) if ch not in live]
    names = name_characters()
    first, second = (names.surnames, names.given) if surname else (names.given, names.surnames)
    name_rank = {ch: (1, i) for i, ch in enumerate(second)}
    name_rank.update({ch: (0, i) for i, ch in enumerate(first)})
    in_names = sorted((ch for ch in live if ch in name_rank), key=name_rank.__getitem__)
    ordered = in_names + [ch for ch in live if ch not in name_rank] + archaic
    return ordered if limit is None else ordered[:limit]


def name_candidates(typed: str, limit: int | None = DEFAULT_LIMIT) -> list[tuple[Syllable, list[str]]]:
    """Per typed syllable, its candidates: the first syllable as a surname, the rest as
    given-name characters. [] when the text is not pinyin."""
    parsed = parse(typed)
    if not parsed:
        return []
    return [(s, candidates(s, surname=i == 0, limit=limit)) for i, s in enumerate(parsed)]
