"""The GA 467 SAM frames, the card's text block, the code tables and the IdCard value, without
a serial line: byte-exact against frames documented for real readers."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from kiosk import idnumber
from kiosk.devices import sam_protocol as sam
from kiosk.devices.idcard_text import (
    ETHNICITY,
    FIELDS,
    SEX,
    TextError,
    decode_text,
    encode_text,
    split_fields,
)
from kiosk.devices.pty_idcard import TestCard
from kiosk.ports import (
    CardGarbled,
    CardPulled,
    IdCard,
    IdCardError,
    NoCard,
    NoCardReader,
    ReaderSilent,
)


def test_commands_are_byte_exact() -> None:
    assert sam.command(sam.FIND_CARD) == bytes.fromhex("AAAAAA9669 0003 2001 22")
    assert sam.command(sam.SELECT_CARD) == bytes.fromhex("AAAAAA9669 0003 2002 21")
    assert sam.command(sam.READ_BASE) == bytes.fromhex("AAAAAA9669 0003 3001 32")
    assert sam.command(sam.SAM_STATUS) == bytes.fromhex("AAAAAA9669 0003 11FF ED")


def test_a_documented_failure_answer_parses() -> None:
    # A reader's "read failed" answer as vendors' protocol notes print it.
    answer = sam.parse_answer(bytes.fromhex("AAAAAA9669 0004 000041 45"))
    assert (answer.sw1, answer.sw2, answer.sw3, answer.data) == (0, 0, 0x41, b"")
    assert answer.meaning == "reading the card failed"
    assert sam.answer(0x41) == bytes.fromhex("AAAAAA9669 0004 000041 45")


def test_find_answer_carries_four_bytes_and_its_checksum() -> None:
    raw = sam.answer(sam.FOUND, bytes(4))
    assert len(raw) == 15 and raw[9] == 0x9F and raw[14] == 0x97
    assert sam.parse_answer(raw).data == bytes(4)


def test_read_answer_header_matches_a_real_reader() -> None:
    text, photo = TestCard().text(), TestCard().photo
    raw = sam.answer(sam.OK, sam.base_data(text, photo))
    # Header of a real base-text-and-photo answer: length 0x0508, 90, text 0x0100, photo 0x0400.
    assert raw[:14] == bytes.fromhex("AAAAAA9669 0508 000090 0100 0400")
    got_text, got_photo = sam.split_base(sam.parse_answer(raw).data)
    assert got_text == text and got_photo == photo


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b"", "silent"),
        (bytes.fromhex("AAAAAA"), "truncated"),
        (bytes.fromhex("AAAAAA9669 05"), "truncated"),
        (bytes.fromhex("AAAAAA9669 0508 000090 0100"), "truncated"),
        (bytes.fromhex("1337FE0055"), "garbage"),
        (bytes.fromhex("AAAAAA9669 0004 000041 46"), "garbage"),  # checksum off by one bit
        (bytes.fromhex("AAAAAA9669 0002 0000"), "garbage"),  # impossible length
        (bytes.fromhex("AAAAAA9669 0004 000041 45 00"), "garbage"),  # trailing byte
    ],
    ids=["empty", "half-preamble", "half-length", "cut-body", "noise", "checksum", "length", "trailing"],
)
def test_broken_answers_are_named(raw: bytes, kind: str) -> None:
    with pytest.raises(sam.FrameError) as caught:
        sam.parse_answer(raw)
    assert caught.value.kind == kind


def test_base_lengths_that_do_not_add_up_are_garbage() -> None:
    with pytest.raises(sam.FrameError):
        sam.split_base(bytes.fromhex("0100 0400") + bytes(256))  # photo missing
    with pytest.raises(sam.FrameError):
        sam.split_base(bytes.fromhex("00FF 0000") + bytes(255))  # text not 256 bytes


def text_block(**values: str) -> bytes:
    """A text block built by hand, independently of encode_text: UCS-2LE padded with spaces."""
    out = b""
    for name, size in FIELDS:
        raw = values.get(name, "").encode("utf-16-le")
        out += raw + b"\x20\x00" * ((size - len(raw)) // 2)
    return out


CARD = {"name": "欧阳娜娜", "sex": "2", "ethnicity": "10", "birth_date": "19491231",
        "address": "北京市西城区示例胡同7号", "id_number": "11010519491231002X",
        "issuer": "北京市公安局西城分局", "valid_from": "20100102", "valid_until": "长期"}


def test_text_decodes_field_by_field() -> None:
    block = text_block(**CARD)
    assert len(block) == 256
    card = decode_text(block, b"\x01\x02")
    assert card.name == "欧阳娜娜" and card.sex == "女" and card.sex_code == "2"
    assert card.ethnicity == "朝鲜族" and card.ethnicity_code == "10"
    assert card.birth_date == dt.date(1949, 12, 31)
    assert card.address == "北京市西城区示例胡同7号" and card.issuer == "北京市公安局西城分局"
    assert card.id_number == "11010519491231002X"
    assert card.valid_from == dt.date(2010, 1, 2) and card.valid_until is None  # 长期
    assert card.photo == b"\x01\x02"
    assert not card.expired(dt.date(2099, 1, 1))


def test_encode_text_is_the_inverse_and_refuses_overlong_values() -> None:
    assert encode_text(CARD) == text_block(**CARD)
    assert split_fields(encode_text(CARD))["address"] == CARD["address"]
    with pytest.raises(ValueError, match="name"):
        encode_text({**CARD, "name": "名" * 16})  # 32 bytes in a 30-byte field


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", ""), ("sex", "5"), ("birth_date", "19491331"), ("id_number", "110105194912310021"),
     ("valid_from", "2010-1-2"), ("valid_until", "20x00101")],
)
def test_malformed_fields_are_refused_by_name(field: str, value: str) -> None:
    with pytest.raises(TextError) as caught:
        decode_text(text_block(**{**CARD, field: value}))
    assert caught.value.field == field
    assert value not in str(caught.value) or not value  # the value never goes into the error


def test_invalid_utf16_is_a_text_error() -> None:
    block = bytearray(text_block(**CARD))
    block[0:2] = b"\x00\xd8"  # a lone surrogate
    with pytest.raises(TextError):
        decode_text(bytes(block))


def test_code_tables() -> None:
    assert len(ETHNICITY) == 58  # 56 groups, 97 其他, 98 外国血统中国籍人士
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(ETHNICITY)
    assert (ETHNICITY["01"], ETHNICITY["04"], ETHNICITY["29"], ETHNICITY["56"]) == ("汉族", "藏族", "柯尔克孜族", "基诺族")
    assert ETHNICITY["98"] == "外国血统中国籍人士" and ETHNICITY["97"] == "其他"
    assert len(set(ETHNICITY.values())) == 58
    assert SEX == {"0": "未知的性别", "1": "男", "2": "女", "9": "未说明的性别"}


def test_gb11643_check_digit() -> None:
    # The standard's own examples.
    assert idnumber.check_digit("11010519491231002") == "X"
    assert idnumber.check_digit("44052418800101001") == "4"
    assert idnumber.valid("11010519491231002x")
    assert idnumber.problem("110105194912310021") == "check_digit"
    assert idnumber.problem("11010519491231002") == "length"
    assert idnumber.problem("11010519491331002X") == "birth_date"
    assert idnumber.problem("1101051949123100AX") == "digits"
    assert idnumber.valid(TestCard().id_number)


def make_card() -> IdCard:
    return decode_text(text_block(**CARD), bytes(range(256)) * 4)


def test_repr_and_str_never_show_personal_data() -> None:
    card = make_card()
    for shown in (repr(card), str(card), f"{card}", repr([card])):
        for secret in ("欧阳", "娜娜", "11010519491231002X", "1949", "西城", "示例"):
            assert secret not in shown
    assert "name=<4 chars>" in repr(card) and "photo=<1024 bytes>" in repr(card)
    assert card.id_number_masked == "110***********002X"


def test_wipe_forgets_everything_and_zeroes_the_photo_in_place() -> None:
    card = make_card()
    buffer = card._photo  # the very bytes that held the photo
    card.wipe()
    assert card.wiped and repr(card) == "IdCard(wiped, photo=<0 bytes>)"
    assert not any(buffer) and len(buffer) == 1024
    assert (card.name, card.id_number, card.address, card.issuer, card.photo) == ("", "", "", "", b"")
    assert card.birth_date == dt.date.min and card.valid_until is None


def test_a_card_cannot_be_pickled() -> None:
    with pytest.raises(TypeError, match="personal data"):
        pickle.dumps(make_card())


def test_errors_have_plain_words_in_both_languages() -> None:
    for error in (NoCard(), CardPulled(), CardGarbled(), ReaderSilent(), NoCardReader()):
        zh, en = error.message("zh-CN"), error.message("en")
        assert zh != en and zh and en
        assert isinstance(error, IdCardError)
    assert "放" in NoCard().message("zh-CN") and "place" in NoCard().message("en")
    assert "手写" in ReaderSilent().message("zh-CN")
    assert NoCard().retry and CardPulled().retry and not ReaderSilent().retry
    assert NoCard().message("zh-TW") == NoCard().message("zh-CN")  # nearest language
