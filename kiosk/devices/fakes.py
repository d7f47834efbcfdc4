"""Hand-written fakes for unit tests: scripted answers, every call remembered."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.devices.null_speech import SteppedLevels
from kiosk.ports import IdCard, IdCardError, PrinterStatus, PrintResult
from kiosk.slips.render import RenderedSlip


class FakePrinter:
    def __init__(self, result: PrintResult | None = None, status: PrinterStatus | None = None) -> None:
        self.result = result or PrintResult(printed=True)
        self._status = status or PrinterStatus(answered=True, online=True, paper="ok")
        self.printed: list[RenderedSlip] = []

    def status(self) -> PrinterStatus:
        return self._status

    def print_slip(self, slip: RenderedSlip) -> PrintResult:
        self.printed.append(slip)
        return self.result


class FakeSpeaker(SteppedLevels):
    """Remembers what it was asked to say; `unavailable` is scripted."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()  # the espeak-ng speaker's rate and volume steps
        self.reason = reason
        self.said: list[tuple[str, str]] = []
        self.stops = 0
        self.resets = 0

    def say(self, text: str, locale: str) -> None:
        self.said.append((text, locale))

    def stop(self) -> None:
        self.stops += 1

    def reset(self) -> None:
        self.resets += 1
        self.reset_levels()

    def unavailable(self) -> str | None:
        return self.reason


class FakeRecognizer:
    """Answers each `listen` with the next scripted text, at once, on the caller's thread."""

    def __init__(self, texts: list[str] | None = None, reason: str | None = None) -> None:
        self.texts = list(texts or [])
        self.reason = reason
        self.heard: list[tuple[list[str] | None, str]] = []  # (phrases, locale) of each listen
        self.stops = 0

    def listen(self, phrases: list[str] | None, locale: str, on_text: Callable[[str], None]) -> None:
        self.heard.append((phrases, locale))
        on_text(self.texts.pop(0) if self.texts else "")

    def stop(self) -> None:
        self.stops += 1

    def unavailable(self) -> str | None:
        return self.reason


class FakeIdCardReader:
    """Answers each `read` with the next scripted card or raises the next scripted IdCardError
    (NoCard when the script is empty), at once. Build cards with
    `kiosk.devices.idcard_text.decode_text(TestCard().text())` or IdCard(...) directly."""

    def __init__(self, results: list[IdCard | IdCardError] | None = None, reason: str | None = None) -> None:
        self.results = list(results or [])
        self.reason = reason
        self.reads: list[float] = []  # the timeout of each read
        self.cancels = 0
        self.closed = False

    def read(self, timeout_s: float = 10.0) -> IdCard:
        from kiosk.ports import NoCard

        self.reads.append(timeout_s)
        result = self.results.pop(0) if self.results else NoCard("script empty")
        if isinstance(result, IdCardError):
            raise result
        return result

    def cancel(self) -> None:
        self.cancels += 1

    def unavailable(self) -> str | None:
        return self.reason

    def close(self) -> None:
        self.closed = True
