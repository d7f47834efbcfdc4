"""The 256-byte base text of a resident ID card: fixed fields of UCS-2LE, padded with spaces.

Field widths in bytes (GA 467): name 30, sex 2, ethnicity 4, birth date 16, address 70,
ID number 36, issuer 30, valid from 16, valid until 16, reserved 36. Sex is a GB/T 2261.1
code, ethnicity a GB 3304 code, dates YYYYMMDD; "valid until" may say 长期 (for life).
"""

from __future__ import annotations

import datetime as dt

from kiosk import idnumber
from kiosk.devices.sam_protocol import TEXT_BYTES
from kiosk.ports import IdCard

FIELDS = (("name", 30), ("sex", 2), ("ethnicity", 4), ("birth_date", 16), ("address", 70),
          ("id_number", 36), ("issuer", 30), ("valid_from", 16), ("valid_until", 16), ("reserved", 36))
assert sum(size for _, size in FIELDS) == TEXT_BYTES

LONG_TERM = "长期"

#: GB/T 2261.1-2003, 人的性别代码.
SEX = {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}

#: GB 3304-1991, 中国各民族名称的罗马字母拼写法和代码: the 56 ethnic groups, then 97 and 98.
ETHNICITY = {
    "01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族", "06": "苗族",
    "07": "彝族", "08": "壮族", "09": "布依族", "10": "朝鲜族", "11": "满族", "12": "侗族",
    "13": "瑶族", "14": "白族", "15": "土家族", "16": "哈尼族", "17": "哈萨克族", "18": "傣族",
    "19": "黎族", "20": "傈僳族", "21": "佤族", "22": "畲族", "23": "高山族", "24": "拉祜族",
    "25": "水族", "26": "东乡族", "27": "纳西族", "28": "景颇族", "29": "柯尔克孜族", "30": "土族",
    "31": "达斡尔族", "32": "仫佬族", "33": "羌族", "34": "布朗族", "35": "撒拉族", "36": "毛南族",
    "37": "仡佬族", "38": "锡伯族", "39": "阿昌族", "40": "普米族", "41": "塔吉克族", "42": "怒族",
    "43": "乌孜别克族", "44": "俄罗斯族", "45": "鄂温克族", "46": "德昂族", "47": "保安族",
    "48": "裕固族", "49": "京族", "50": "塔塔尔族", "51": "独龙族", "52": "鄂伦春族", "53": "赫哲族",
    "54": "门巴族", "55": "珞巴族", "56": "基诺族", "97": "其他", "98": "外国血统中国籍人士",
}


class TextError(ValueError):
    """The text block does not make sense (a misread card): `field` names the field, never
    its content."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def split_fields(text: bytes) -> dict[str, str]:
    """Each field's text with the padding (spaces, NULs) stripped."""
    if len(text) != TEXT_BYTES:
        raise TextError("length")
    out: dict[str, str] = {}
    at = 0
    for name, size in FIELDS:
        try:
            value = text[at : at + size].decode("utf-16-le")
        except UnicodeDecodeError as exc:
            raise TextError(name) from exc
        out[name] = value.strip(" \x00\u3000")
        at += size
    return out


def _date(field: str, value: str) -> dt.date:
    if len(value) != 8 or not value.isascii() or not value.isdigit():
        raise TextError(field)
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError as exc:
        raise TextError(field) from exc


def decode_text(text: bytes, photo: bytes = b"") -> IdCard:
    """An IdCard from the 256-byte text (and the opaque photo). Raises TextError when a field
    is malformed: no name, a date that is not a date, an ID number failing its check digit."""
    f = split_fields(text)
    if not f["name"]:
        raise TextError("name")
    if f["sex"] not in SEX:
        raise TextError("sex")
    if idnumber.problem(f["id_number"]) is not None:
        raise TextError("id_number")
    until = None if f["valid_until"] == LONG_TERM else _date("valid_until", f["valid_until"])
    return IdCard(
        name=f["name"], sex=SEX[f["sex"]], sex_code=f["sex"],
        ethnicity=ETHNICITY.get(f["ethnicity"], ""), ethnicity_code=f["ethnicity"],
        birth_date=_date("birth_date", f["birth_date"]), address=f["address"],
        id_number=f["id_number"].upper(), issuer=f["issuer"],
        valid_from=_date("valid_from", f["valid_from"]), valid_until=until, photo=photo,
    )


def encode_text(values: dict[str, str]) -> bytes:
    """The 256-byte block for field values (codes and YYYYMMDD dates as on the card); for the
    fake reader and tests. Raises ValueError when a value does not fit its field."""
    out = bytearray()
    for name, size in FIELDS:
        raw = values.get(name, "").encode("utf-16-le")
        if len(raw) > size:
            raise ValueError(f"{name} is longer than its {size} bytes")
        out += raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)
    return bytes(out)
