"""The serial ID card reader against a fake SAM module on a real pseudo-terminal: a good read,
and every fault a kiosk meets (no card, card pulled, garbage, bad checksum, silence, no port)
ends in the kiosk's own error with plain words, never in a half-read card."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.devices import sam_protocol as sam
from kiosk.devices.idcard import SerialIdCardReader
from kiosk.devices.idcard_config import IdCardConfig, make_idcard_reader
from kiosk.devices.null_idcard import NullIdCardReader
from kiosk.devices.pty_idcard import Behaviour, DemoIdCardReader, PtyIdCardReader, TestCard
from kiosk.ports import (
    CardGarbled,
    CardPulled,
    CardUnreadable,
    IdCardError,
    NoCard,
    NoCardReader,
    ReadCancelled,
    ReaderFault,
    ReaderMissing,
    ReaderSilent,
)
from tests.integration.test_terminal_walk import write_config

FIND, SELECT, READ = sam.FIND_CARD, sam.SELECT_CARD, sam.READ_BASE
REPLY_S = 0.3


def reader(fake: PtyIdCardReader, **kw: float) -> SerialIdCardReader:
    return SerialIdCardReader(fake.port, reply_timeout_s=kw.pop("reply_timeout_s", REPLY_S),
                              poll_s=kw.pop("poll_s", 0.05), **kw)  # type: ignore[arg-type]


def test_a_card_is_read_whole(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with PtyIdCardReader() as fake:
        card = reader(fake).read(timeout_s=2)
    person = TestCard()
    assert card.name == person.name == "林晓雨"
    assert (card.sex, card.ethnicity) == ("女", "汉族")
    assert card.birth_date == dt.date(1986, 4, 12)
    assert card.address == person.address and card.issuer == person.issuer
    assert card.id_number == "110101198604120024"
    assert (card.valid_from, card.valid_until) == (dt.date(2016, 5, 20), dt.date(2036, 5, 20))
    assert card.photo == person.photo and len(card.photo) == 1024
    assert fake.commands == [FIND, SELECT, READ] and fake.bad_frames == 0
    for secret in (person.name, person.id_number, "示例路"):
        assert secret not in repr(card) and secret not in caplog.text


def test_no_card_asks_to_place_it_after_polling() -> None:
    with PtyIdCardReader(Behaviour(card=None)) as fake:
        started = time.monotonic()
        with pytest.raises(NoCard) as caught:
            reader(fake).read(timeout_s=0.4)
        took = time.monotonic() - started
    assert 0.4 <= took < 1.5
    assert fake.commands.count(FIND) >= 3 and SELECT not in fake.commands  # polled, never selected
    assert caught.value.message("zh-CN") == "请把身份证放在读卡区上，放平不要移动。"
    assert caught.value.retry


def test_a_card_placed_while_waiting_is_read() -> None:
    behaviour = Behaviour(card=None)
    with PtyIdCardReader(behaviour) as fake:
        threading.Timer(0.3, lambda: setattr(behaviour, "card", TestCard())).start()
        card = reader(fake).read(timeout_s=3)
    assert card.id_number == TestCard().id_number
    assert fake.commands[-3:] == [FIND, SELECT, READ] and fake.commands.count(FIND) >= 3


def test_card_pulled_mid_read_is_refound_once_and_reported() -> None:
    with PtyIdCardReader(Behaviour(pull_during_read=600)) as fake, pytest.raises(CardPulled) as caught:
        reader(fake).read(timeout_s=2)
    # One find after the cut answer, which says "no card": no second select or read.
    assert fake.commands == [FIND, SELECT, READ, FIND]
    assert "truncated" in caught.value.detail
    assert "拿开" in caught.value.message("zh-CN") and "taken away" in caught.value.message("en")


def test_card_pulled_while_the_sam_reads_it_is_reported_as_pulled() -> None:
    # A real SAM answers "read failed" (0x41) when the card leaves; finding it again says no card.
    with PtyIdCardReader(Behaviour(fail_reads=1, pull_on_fail=True)) as fake, \
            pytest.raises(CardPulled) as caught:
        reader(fake).read(timeout_s=2)
    assert fake.commands == [FIND, SELECT, READ, FIND]
    assert "reading the card failed" in caught.value.detail


def test_status_during_a_read_answers_at_once_from_the_last_exchange() -> None:
    with PtyIdCardReader(Behaviour(card=None)) as fake:
        shared = reader(fake)
        assert shared.unavailable() is None
        errors: list[IdCardError] = []

        def wait_for_a_card() -> None:
            try:
                shared.read(timeout_s=1.0)
            except IdCardError as exc:
                errors.append(exc)

        waiting = threading.Thread(target=wait_for_a_card)
        waiting.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert shared.unavailable() is None  # the read holds the line: no status query queued
        assert time.monotonic() - started < 0.3
        waiting.join()
    assert [type(e) for e in errors] == [NoCard]
    assert sam.SAM_STATUS not in fake.commands[1:]


@pytest.mark.parametrize(
    "behaviour",
    [Behaviour(truncate_reads=1), Behaviour(corrupt_reads=1), Behaviour(fail_reads=1, fail_sw3=0x41),
     Behaviour(fail_reads=1, fail_sw3=0x33)],
    ids=["truncated-once", "checksum-once", "read-failed-once", "verify-failed-once"],
)
def test_one_transient_failure_is_retried_after_finding_the_card_again(behaviour: Behaviour) -> None:
    with PtyIdCardReader(behaviour) as fake:
        card = reader(fake).read(timeout_s=2)
    assert card.name == TestCard().name and card.photo == TestCard().photo
    assert fake.commands == [FIND, SELECT, READ, FIND, SELECT, READ]


@pytest.mark.parametrize(
    ("behaviour", "error", "detail"),
    [
        (Behaviour(truncate_reads=2), CardGarbled, "truncated"),
        (Behaviour(corrupt_reads=2), CardGarbled, "checksum"),
        (Behaviour(fail_reads=2, fail_sw3=0x41), CardUnreadable, "reading the card failed"),
        (Behaviour(card=TestCard(id_number="110101198604120025")), CardUnreadable, "id_number"),
    ],
    ids=["truncated-twice", "checksum-twice", "read-failed-twice", "wrong-check-digit"],
)
def test_a_failure_that_repeats_is_reported_after_one_retry(behaviour: Behaviour, error: type[IdCardError],
                                                            detail: str) -> None:
    with PtyIdCardReader(behaviour) as fake, pytest.raises(error) as caught:
        reader(fake).read(timeout_s=2)
    assert fake.commands == [FIND, SELECT, READ, FIND, SELECT, READ]
    assert detail in caught.value.detail
    assert "110101198604120025" not in caught.value.detail
    assert "手写" in caught.value.message("zh-CN")


def test_line_noise_is_garbage_not_no_card() -> None:
    with PtyIdCardReader(Behaviour(garbage=True)) as fake:
        with pytest.raises(CardGarbled) as caught:
            reader(fake).read(timeout_s=2)
        problem = reader(fake).unavailable()
    assert "garbage" in caught.value.detail and fake.commands[0] == FIND
    assert problem is not None and "garbage" in problem


def test_a_silent_reader_is_reported_within_the_reply_timeout() -> None:
    with PtyIdCardReader(Behaviour(silent=True)) as fake:
        started = time.monotonic()
        with pytest.raises(ReaderSilent) as caught:
            reader(fake).read(timeout_s=5)  # waiting for a card must not hide a dead reader
        took = time.monotonic() - started
        problem = reader(fake).unavailable()
    assert REPLY_S <= took < REPLY_S + 0.7
    assert fake.commands == [FIND, sam.SAM_STATUS]
    assert "没有响应" in caught.value.message("zh-CN") and not caught.value.retry
    assert problem is not None and "silent" in problem


def test_a_missing_port_is_reported_not_raised_as_oserror() -> None:
    absent = SerialIdCardReader("/dev/ttyNO-SUCH-READER", reply_timeout_s=REPLY_S)
    with pytest.raises(ReaderMissing) as caught:
        absent.read(timeout_s=1)
    assert "没有连接" in caught.value.message("zh-CN")
    problem = absent.unavailable()
    assert problem is not None and "/dev/ttyNO-SUCH-READER" in problem


def test_a_broken_sam_is_a_reader_fault() -> None:
    with PtyIdCardReader(Behaviour(fault_sw3=0x60)) as fake:
        with pytest.raises(ReaderFault) as caught:
            reader(fake).read(timeout_s=1)
        problem = reader(fake).unavailable()
    assert "self-test" in caught.value.detail and fake.commands == [FIND, sam.SAM_STATUS]
    assert problem is not None and "self-test" in problem


def test_a_healthy_reader_is_available() -> None:
    with PtyIdCardReader(Behaviour(card=None)) as fake:
        assert reader(fake).unavailable() is None
    assert fake.commands == [sam.SAM_STATUS]


def test_cancel_stops_a_read_that_waits_for_a_card() -> None:
    with PtyIdCardReader(Behaviour(card=None)) as fake:
        waiting = reader(fake, poll_s=0.2)
        threading.Timer(0.3, waiting.cancel).start()
        started = time.monotonic()
        with pytest.raises(ReadCancelled):
            waiting.read(timeout_s=10)
        assert time.monotonic() - started < 1.0
        # The next read starts afresh: a cancel is not remembered.
        fake.behaviour.card = TestCard()
        assert waiting.read(timeout_s=1).name == TestCard().name


def test_the_paced_line_takes_as_long_as_a_real_115200_baud_line() -> None:
    with PtyIdCardReader(Behaviour(baud=115200)) as fake:
        started = time.perf_counter()
        card = reader(fake, baud=115200).read(timeout_s=2)
        took = time.perf_counter() - started
    answers = 15 + 19 + 7 + 3 + 4 + 256 + 1024 + 1  # find, select, read (1295 bytes)
    on_the_wire = (3 * 10 + answers) * 10 / 115200
    assert card.name == TestCard().name
    assert on_the_wire <= took < on_the_wire + 0.5, (took, on_the_wire)


def test_the_reader_is_picked_from_the_config(tmp_path: Path) -> None:
    cfg = load_config(write_config(tmp_path), env={})
    assert IdCardConfig.from_config(cfg).port == ""
    none = make_idcard_reader(cfg)
    assert isinstance(none, NullIdCardReader) and "no card reader" in (none.unavailable() or "")
    with pytest.raises(NoCardReader) as caught:
        none.read()
    assert "没有身份证读卡器" in caught.value.message("zh-CN")

    demo = make_idcard_reader(dataclasses.replace(cfg, extra={**cfg.extra, "idcard": {"port": "fake"}}))
    assert isinstance(demo, DemoIdCardReader)
    try:
        assert demo.unavailable() is None
        assert demo.read(timeout_s=2).name == TestCard().name
    finally:
        demo.close()
    assert isinstance(make_idcard_reader(dataclasses.replace(
        cfg, extra={**cfg.extra, "idcard": {"port": "/dev/ttyUSB7"}})), SerialIdCardReader)


def test_the_environment_names_the_port(tmp_path: Path) -> None:
    from kiosk.config import ConfigError

    path = write_config(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + '\n[idcard]\nport = ""\n', encoding="utf-8")
    cfg = load_config(path, env={"KIOSK_IDCARD_PORT": "/dev/ttyS9", "KIOSK_IDCARD_BAUD": "9600"})
    settings = IdCardConfig.from_config(cfg)
    assert (settings.port, settings.baud) == ("/dev/ttyS9", 9600)
    with pytest.raises(ConfigError, match="baud"):
        IdCardConfig.from_config(load_config(path, env={"KIOSK_IDCARD_BAUD": "12345"}))


def test_build_services_hands_out_the_configured_reader(tmp_path: Path) -> None:
    from kiosk.bootstrap import build_services
    from kiosk.devices.fakes import FakeIdCardReader, FakeRecognizer, FakeSpeaker

    path = write_config(tmp_path)
    speech = {"speaker": FakeSpeaker(), "recognizer": FakeRecognizer()}
    plain = build_services(load_config(path, env={}), env={}, **speech)  # type: ignore[arg-type]
    assert isinstance(plain.idcard, NullIdCardReader)

    path.write_text(path.read_text(encoding="utf-8") + '[idcard]\nport = "fake"\n', encoding="utf-8")
    demo = build_services(load_config(path, env={}), env={}, **speech)  # type: ignore[arg-type]
    assert isinstance(demo.idcard, DemoIdCardReader)
    assert demo.idcard.read(timeout_s=2).id_number == TestCard().id_number
    demo.stop_background()  # the app's exit closes the reader and its pty fake
    with pytest.raises((ReaderMissing, ReaderSilent)):
        demo.idcard.read(timeout_s=0.5)

    given = FakeIdCardReader(reason="scripted")
    assert build_services(load_config(path, env={}), env={}, idcard=given,  # type: ignore[arg-type]
                          **speech).idcard is given
