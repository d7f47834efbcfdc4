"""Numbers and dates as residents say them: 三千五百, 三千五, 一万二, 两千零五十, 3500, 一五零零,
"three thousand five hundred", and dates such as 二〇二四年三月五日 or 3月5号.

A recogniser writes Chinese numerals (vosk's Chinese models spell numbers out, with spaces
between words); residents shorten them (三千五 is 3500, 一万二 is 12000) and wrap them in
filler (大概三千块钱). cn2an converts the numerals, colloquial forms included; this module
finds the one number in what was said, and reads dates.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from kiosk.search.normalize import fold

UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_FILLER = re.compile(
    r"大概|大约|差不多|左右|上下|块钱|块|元|人民币|个人|口人|个|口|人|多|来|的|是|有|我|家|一共|总共"
    r"|每月|每个月|月|呃|嗯|啊|吧"
)
_NUMERAL = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿点.]+")

EN_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())}
EN_TENS = {w: 10 * i for i, w in enumerate(
    "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
EN_FILLER = {"yuan", "people", "about", "around", "roughly", "per", "month", "persons", "person"}
EN_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


@cache
def _cn2an() -> Any:
    import cn2an  # about 0.2 s to import: loaded on first use, or by warm()

    return cn2an


def warm() -> None:
    """Import the numeral converter now (call off the UI thread at start-up)."""
    _cn2an()


def _chinese(text: str) -> float | None:
    """Chinese numerals, including the colloquial 三千五 (3500) and 一万二 (12000), via cn2an."""
    try:
        value = _cn2an().cn2an(text, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


def _english(words: list[str]) -> float | None:
    total, current, seen = 0, 0, False
    for word in words:
        if word in EN_SMALL:
            current += EN_SMALL[word]
        elif word in EN_TENS:
            current += EN_TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in EN_SCALE:
            total += max(current, 1) * EN_SCALE[word]
            current = 0
        elif word in ("and", "a"):
            continue
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def parse_number(text: str) -> float | None:
    """The one number in what was said, or None when there is none or it is unclear."""
    folded = fold(text).replace(",", "").replace("，", "")
    digits = re.findall(r"\d+(?:\.\d+)?", folded)
    han = _FILLER.sub("", re.sub(r"\s+", "", folded))
    if digits:
        # Digits, possibly with a unit character: 3500, 3.5万, 2千.
        match = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万]?)", han)
        if match:
            return float(match.group(1)) * UNITS.get(match.group(2), 1)
        return float(digits[0]) if len(digits) == 1 and not _NUMERAL.sub("", han) else None
    runs = _NUMERAL.findall(han)
    if len(runs) == 1 and not _NUMERAL.sub("", han):
        return _chinese(runs[0])
    words = [w for w in re.findall(r"[a-z]+", folded) if w not in EN_FILLER]
    return _english(words) if words else None


MONTHS_EN = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """A date said aloud: [YYYY年]M月D日/号, 今天/昨天/前天, ISO, or "March 5 2024"."""
    folded = re.sub(r"\s+", "", fold(text))
    for word, back in (("今天", 0), ("昨天", 1), ("前天", 2), ("today", 0), ("yesterday", 1)):
        if folded == word:
            return today - dt.timedelta(days=back)
    iso = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", folded)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
        return _safe(y, m, d)
    zh = re.fullmatch(r"(?:(去年|今年)|([0-9零〇一二三四五六七八九]{4})年)?([0-9零一二三四五六七八九十]+)月"
                      r"([0-9零一二三四五六七八九十]+)[日号]?", folded)
    if zh:
        relative, absolute, month_s, day_s = zh.groups()
        year_s = relative or absolute
        month, day = _small(month_s), _small(day_s)
        if month is None or day is None:
            return None
        if year_s in (None, "今年"):
            year = today.year
        elif year_s == "去年":
            year = today.year - 1
        else:
            year = int(year_s) if year_s.isdigit() else int(_chinese(year_s) or 0)
        found = _safe(year, month, day)
        if found and year_s is None and found > today:
            found = _safe(year - 1, month, day)  # "3月5号" said in February means last March
        return found
    words = re.findall(r"[a-z]+|\d+", fold(text))
    months = [MONTHS_EN[w] for w in words if w in MONTHS_EN]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(months) == 1 and numbers:
        day = next((n for n in numbers if 1 <= n <= 31), None)
        year = next((n for n in numbers if n > 31), today.year)
        return _safe(year, months[0], day) if day else None
    return None


def _small(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    value = _chinese(text)
    return None if value is None else int(value)


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None
