"""Text shaped for espeak-ng's Cantonese voice (sit/yue): every number written out in Chinese.

espeak-ng 1.51's `yue` reads the Simplified Chinese screens character by character in
Cantonese readings, and knows every character of the content pack; its numbers are what it
gets wrong (measured with `espeak-ng -v yue -x`):

- 10000 is read 一百万 (a hundred times too much), 12348 as 一百万零二千三百四十八;
- 2024 loses its 零 (二千二十四), so 2024年 is no year a resident would say;
- 3.5 drops the point (三五), 8:30 the hour mark (八三十), 50% and "/" switch to English.

Chinese numerals it reads right (一万二千三百四十八, 二零二四年, 三点五, 百分之五十), so every
Arabic number is turned into them here, before the voice sees it: service numbers and
phone numbers digit by digit (12348 as 一二三四八), years digit by digit, times as 下午两点半,
ranges with 至, queue numbers as their letter and digits (A023 as A 零二三). A few
characters it reads in the wrong sense (干 as "dry" in 不干了) are replaced by ones it reads
right (`_SENSES`).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

DIGITS = "零一二三四五六七八九"

#: A phone number: an area code and a local number, or seven and more digits in a row.
_PHONE = re.compile(r"(?<![\d.])(\d{3,4})[-－ ](\d{7,8})(?![\d.])|(?<![\d.])(\d{7,})(?![\d.])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?=\s*年)")
_TIME = re.compile(r"(?<![\d.])([01]?\d|2[0-4])[:：]([0-5]\d)(?!\d)")
_RANGE = re.compile(r"(?<=[\d%％])\s*[-－~～—–]\s*(?=\d)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_QUEUE = re.compile(r"(?<![A-Za-z\d])([A-Z]{1,2})-?(\d{2,4})(?!\d)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
#: Measure words after which a written 2 is 两 (2个 as 两个, not 二个).
_MEASURE = "个位次倍天周张份条种项件名口岁年"


#: Characters its dictionary reads in the wrong sense, found in the content pack: simplified
#: 干 merges 幹 (to work, gon3) into 乾 (dry, gon1), so "不干了" and "每干满一年" came out
#: as "dry"; 假 in 假货/假冒/虚假 (fake, gaa2) came out as in 放假 (holiday, gaa3). The voice is
#: given a character it reads right (幹; 賈, a homophone of the fake sense).
_SENSES = (
    (re.compile(r"(?<![若饼晒烘])干(?=[了满过不完])"), "幹"),
    (re.compile(r"假(?=[货冒证药币])|(?<=[虚造])假"), "賈"),
)


@cache
def _an2cn() -> Any:
    import cn2an  # about 0.2 s to import: loaded on first use

    return cn2an.an2cn


def digits(text: str) -> str:
    """"12348" as "一二三四八": each digit on its own."""
    return "".join(DIGITS[int(c)] if c.isdigit() else c for c in text)


def number(text: str) -> str:
    """An amount in Chinese numerals: 12348 as 一万二千三百四十八, 3.5 as 三点五, 2000 as 两千.

    A number with a leading zero (023) is read digit by digit, as it is written."""
    if len(text) > 1 and text.startswith("0") and not text.startswith("0."):
        return digits(text)
    if len(text.split(".")[0]) > 12:  # beyond 千亿: no amount on a screen; read it out
        return digits(text)
    said: str = _an2cn()(text)
    if said.startswith("二") and len(said) > 1 and said[1] in "千万亿":
        said = "两" + said[1:]  # 两千, 两万: as said in Cantonese and in Mandarin
    return said


#: Parts of the day for a clock time: 14:30 is said 下午两点半, as people say it.
_DAYPART = ((0, "凌晨", 0), (6, "上午", 0), (12, "中午", 0), (13, "下午", 12), (18, "晚上", 12))


def _time(m: re.Match[str]) -> str:
    hour, minute = int(m.group(1)), int(m.group(2))
    _start, part, minus = next(p for p in reversed(_DAYPART) if hour >= p[0]) if hour < 24 else (0, "", 0)
    clock = hour - minus
    if m.string[max(0, m.start() - 2):m.start()] in ("凌晨", "早上", "上午", "中午", "下午", "晚上"):
        part = ""  # the text says it already
    said = f"{part}{'两' if clock == 2 else number(str(clock))}点"
    if minute == 30:
        return said + "半"
    if minute == 0:
        return said
    return f"{said}{'零' if minute < 10 else ''}{number(str(minute))}分"


def _phone(m: re.Match[str]) -> str:
    if m.group(3):
        return digits(m.group(3))
    return f"{digits(m.group(1))}，{digits(m.group(2))}"


def yue_text(text: str, hotline: re.Pattern[str]) -> str:
    """`text` with every Arabic number written out as the Cantonese voice reads it right
    (and the few characters it reads in the wrong sense replaced, `_SENSES`).

    `hotline` finds service numbers (110, 12348; kiosk.voice.spoken's pattern), which are
    said digit by digit."""
    for wrong, right in _SENSES:
        text = wrong.sub(right, text)
    return chinese_numbers(text, hotline)


def chinese_numbers(text: str, hotline: re.Pattern[str]) -> str:
    """`text` with every Arabic number written out in Chinese: espeak-ng's Mandarin voice
    misreads them too (10000 as 十千, 9:00 as 九 零零, 50% ending in English), and reads
    Chinese numerals right."""
    text = _PHONE.sub(_phone, text)
    text = _ISO_DATE.sub(lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    text = _YEAR.sub(lambda m: digits(m.group(1)), text)
    text = _QUEUE.sub(lambda m: f"{m.group(1)} {digits(m.group(2))}", text)
    text = _RANGE.sub("至", text)
    text = _TIME.sub(_time, text)
    text = hotline.sub(lambda m: digits(m.group(1)), text)
    text = _PERCENT.sub(lambda m: "百分之" + number(m.group(1)), text)
    return _NUMBER.sub(_amount, text)


def _amount(m: re.Match[str]) -> str:
    after, before = m.string[m.end():m.end() + 1], m.string[max(0, m.start() - 1):m.start()]
    counted = m.group(0) == "2" and after != "" and after in _MEASURE and before != "第"
    return "两" if counted else number(m.group(0))
