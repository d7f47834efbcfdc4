"""The rating at the end of a visit (issue 15): five faces, then for the two lowest a few
reasons and, if the resident wants, a call back to a phone number with its own consent.

Offered by `KioskApp.finish` when the visit did something; "跳过/Skip" and Home always
leave at once, and the idle wipe skips it silently (the draft, and any number typed, is
forgotten: nothing is sent). The faces are drawn with Kivy graphics (no image files): a
circle, two eyes, and a mouth whose curve goes from a smile to a frown, so the level reads
without colour too. The microphone takes a spoken level (非常满意 ... 很好/还行/不好) through
the Recognizer port. The number is shown masked (138****5678) and never read aloud.
"""

from __future__ import annotations

import logging
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.graphics import Color, Ellipse, Line
from kivy.metrics import dp
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.insight.rating import (
    BY_VALUE,
    LEVELS,
    REASONS,
    RatingDraft,
    is_bad,
    level_from_speech,
    mask,
    submit,
    voice_phrases,
)
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.base import KButton

log = logging.getLogger(__name__)

#: (zh-CN, en) of this screen's own words.
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("请您评价", "Rate this visit"),
    "ask": ("您对这次服务满意吗？请点一个表情，也可以按话筒说出来。",
            "How satisfied are you with this visit? Tap a face, or press the microphone and say it."),
    "mic": ("说出来", "Say it"),
    "listening": ("请说：非常满意、满意、基本满意、不满意或非常不满意。",
                  "Please say: very satisfied, satisfied, fairly satisfied, dissatisfied "
                  "or very dissatisfied."),
    "missed": ("没听清，请再说一次，或者点一个表情。", "I did not catch that. Say it again, or tap a face."),
    "reasons": ("哪里让您不满意？可以选几项，也可以不选。",
                "What was wrong? Choose any that apply, or none."),
    "send": ("提交评价", "Send my rating"),
    "want_call": ("我希望工作人员给我回电话", "I would like a member of staff to call me back"),
    "phone_ask": ("请输入您的手机号，工作人员会打电话了解情况。",
                  "Enter your mobile number: staff will call you."),
    "consent": ("我同意工作人员用这个号码给我回电话，只用于处理这次评价，处理完就删除。",
                "I agree that staff may call me on this number, only about this rating; "
                "it is deleted afterwards."),
    "need_consent": ("要回电话，请先点上面的“我同意”。",
                     "For a call back, please tap \"I agree\" above first."),
    "bad_phone": ("手机号应该是1开头的11位数字，请核对。",
                  "A mobile number has 11 digits and starts with 1; please check."),
    "thanks": ("谢谢您的评价！", "Thank you for your rating!"),
    "thanks_call": ("谢谢！工作人员会尽快给您回电话。",
                    "Thank you! A member of staff will call you back soon."),
    "skip": ("跳过", "Skip"),
    "done": ("完成", "Done"),
}
#: Face colours, best to worst (the mouth's shape carries the level too).
FACE_COLOURS = {5: (0.13, 0.55, 0.13, 1), 4: (0.30, 0.62, 0.20, 1), 3: (0.55, 0.55, 0.10, 1),
                2: (0.80, 0.40, 0.05, 1), 1: (0.75, 0.15, 0.10, 1)}
#: Seconds the thank-you stays before the kiosk goes back to its attract screen.
THANKS_S = 6.0


def words(key: str, locale: str) -> str:
    zh, en = TEXTS[key]
    return en if locale.startswith("en") else zh


class Face(Widget):
    """A face for one level: 5 smiles broadly, 3 is straight, 1 frowns."""

    level = NumericProperty(3)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, level=self._draw)

    def _draw(self, *_args: Any) -> None:
        self.canvas.clear()
        size = min(self.width, self.height)
        cx, cy, r = self.center_x, self.center_y, size / 2
        curve = (int(self.level) - 3) / 2  # -1 frown .. +1 smile
        with self.canvas:
            Color(*FACE_COLOURS.get(int(self.level), FACE_COLOURS[3]))
            Ellipse(pos=(cx - r, cy - r), size=(size, size))
            Color(1, 1, 1, 1)
            eye = r * 0.16
            for dx in (-0.35, 0.35):
                Ellipse(pos=(cx + dx * r - eye / 2, cy + 0.22 * r - eye / 2), size=(eye, eye))
            mouth_y = cy - 0.32 * r
            bend = curve * r * 0.28
            corner = mouth_y + bend / 2
            Line(bezier=[cx - 0.45 * r, corner, cx, mouth_y - bend, cx + 0.45 * r, corner],
                 width=max(dp(2), r * 0.08), cap="round")


class FaceButton(KButton):
    level = NumericProperty(3)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.face = Face(size_hint=(None, None))
        self.add_widget(self.face, index=len(self.children))
        self.bind(height=self._fit, level=lambda *_: setattr(self.face, "level", self.level))
        self.face.level = self.level

    def _fit(self, *_args: Any) -> None:
        side = self.height - dp(24)
        self.face.size = (side, side)


class RatingPhone(BoxLayout):
    """The masked number, a keypad and "send" (rating.kv)."""

    screen = ObjectProperty(None, allownone=True)


class RatingScreen(KioskScreen):
    heading = StringProperty("")
    #: "levels", "reasons", "callback" or "thanks".
    step = StringProperty("levels")
    message = StringProperty("")
    tone = StringProperty("info")
    #: The number as shown: masked (138****5678).
    shown_phone = StringProperty("")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self.draft = RatingDraft()
        self._timer: Any = None
        self._listening = 0
        self._called_back = False

    # --- showing ------------------------------------------------------------------------------

    def enter(self, **kwargs: Any) -> None:
        self.draft.wipe()
        self.show("levels")

    def relabel(self) -> None:
        self.show(self.step)

    def w(self, key: str) -> str:
        return words(key, self.ctx.nav.locale)

    def show(self, step: str) -> None:
        self.step = step
        area = self.ids.area
        area.clear_widgets()
        self.message, self.tone = "", "info"
        locale = self.ctx.nav.locale
        english = locale.startswith("en")
        grid = self.ids.grid
        grid.clear_widgets()
        grid.cols = 1
        if step == "levels":
            self.heading = self.w("ask")
            grid.cols = 2 if self.ctx.nav.landscape else 1  # landscape: three rows fit its height
            for level in LEVELS:
                button = FaceButton(text=level.en if english else level.zh, level=level.value, role="title",
                                    style="choice", main=True, value=str(level.value), halign="left")
                button.bind(on_release=lambda b: self.choose(int(b.value), "touch"))
                grid.add_widget(button)
            if self.ctx.services.recognizer.unavailable() is None:
                mic = Factory.KButton(text=self.w("mic"), icon="mic", style="secondary", main=True)
                mic.bind(on_release=lambda _b: self.listen())
                area.add_widget(mic)
        elif step == "reasons":
            self.heading = self.w("reasons")
            grid.cols = 2
            for code, (zh, en) in REASONS.items():
                chosen = code in self.draft.reasons
                button = Factory.KButton(text=en if english else zh, value=code, main=True,
                                         style="selected" if chosen else "choice",
                                         icon="check" if chosen else "")
                button.bind(on_release=lambda b: self.toggle(b.value))
                grid.add_widget(button)
            send = Factory.KButton(text=self.w("send"), icon="check", style="primary", main=True)
            send.bind(on_release=lambda _b: self.send())
            call = Factory.KButton(text=self.w("want_call"), icon="phone", style="secondary", main=True)
            call.bind(on_release=lambda _b: self.show("callback"))
            area.add_widget(send)
            area.add_widget(call)
        elif step == "callback":
            self.heading = self.w("phone_ask")
            consent = Factory.Toggle(text=self.w("consent"), active=self.draft.consent, main=True,
                                     halign="left", style="selected" if self.draft.consent else "choice",
                                     icon="box-checked" if self.draft.consent else "box")
            consent.bind(on_release=lambda _b: self.toggle_consent())
            grid.add_widget(consent)
            self.shown_phone = mask(self.draft.phone)
            area.add_widget(RatingPhone(screen=self))
        else:  # thanks: the bottom bar's button says "完成/Done" now
            self.heading = self.w("thanks_call" if self._called_back else "thanks")
            self._called_back = False
        self.ctx.nav.step_shown(self.name)  # read aloud (when on) as a screen of its own

    # --- answers ------------------------------------------------------------------------------

    def choose(self, level: int, by: str) -> None:
        if level not in BY_VALUE:
            return
        self.draft.level, self.draft.by = level, by
        if is_bad(level):
            self.show("reasons")
        else:
            self.send()

    def toggle(self, code: str) -> None:
        self.draft.toggle(code)
        self.show("reasons")

    def toggle_consent(self) -> None:
        self.draft.consent = not self.draft.consent
        self.show("callback")

    def key(self, key: str) -> None:
        if key == "clear":
            self.draft.phone = ""
        elif key == "backspace":
            self.draft.phone = self.draft.phone[:-1]
        elif key.isdigit() and len(self.draft.phone) < 11:
            self.draft.phone += key
        self.shown_phone = mask(self.draft.phone)
        self.message = ""

    def send_callback(self) -> None:
        """The callback step's "send": consent and a mobile number, or a plain word why not."""
        if not self.draft.consent:
            self.tone, self.message = "warn", self.w("need_consent")
            return
        if not self.draft.callback_ready():
            self.tone, self.message = "warn", self.w("bad_phone")
            return
        self.send()

    def send(self) -> None:
        usage = self.ctx.services.usage
        callback = self.draft.callback_ready()
        if usage is not None:
            try:
                submit(self.draft, usage, usage.outbox)
            except Exception:  # the rating is a courtesy: never a reason to stop a resident
                log.exception("rating not recorded")
        self.draft.wipe()
        self.shown_phone = ""
        self._called_back = callback
        self.show("thanks")
        if self._timer is not None:
            self._timer.cancel()
        self._timer = Clock.schedule_once(lambda _dt: self._auto_leave(), THANKS_S)

    def _auto_leave(self) -> None:
        self._timer = None
        if self.manager is not None and self.manager.current == self.name and self.step == "thanks":
            self.leave()

    def leave(self) -> None:
        """Skip, Done, or the thank-you's time is up: the visit ends (the rating is not asked again)."""
        self.ctx.nav.finish()

    # --- voice --------------------------------------------------------------------------------

    def listen(self) -> None:
        recognizer = self.ctx.services.recognizer
        self.ctx.services.speaker.stop()
        locale = self.ctx.nav.locale
        self.message, self.tone = self.w("listening"), "info"
        usage = self.ctx.services.usage
        if usage is not None:
            usage.record("voice_used", screen="rating")
        self._listening += 1
        turn = self._listening
        phrases = [text for text, _level in voice_phrases(locale)]

        def heard(text: str) -> None:  # the recogniser's thread
            Clock.schedule_once(lambda _dt: self._heard(turn, text, locale), 0)

        recognizer.listen(phrases, locale, heard)

    def _heard(self, turn: int, text: str, locale: str) -> None:
        if turn != self._listening or self.step != "levels":
            return  # touched since, or left
        level = level_from_speech(text, locale) if text else None
        if level is None:
            self.message, self.tone = self.w("missed"), "warn"
            return
        self.choose(level, "voice")

    # --- read aloud and privacy ----------------------------------------------------------------

    def spoken(self) -> str:
        """The question and the choices; never the number typed."""
        english = self.ctx.nav.locale.startswith("en")
        parts = [self.heading]
        if self.step == "levels":
            parts += [lv.en if english else lv.zh for lv in LEVELS]
        elif self.step == "reasons":
            parts += [en if english else zh for zh, en in REASONS.values()]
        elif self.step == "callback":
            parts.append(self.w("consent"))
        if self.message:
            parts.append(self.message)
        return " ".join(p for p in parts if p)

    def wipe(self) -> None:
        """The idle wipe (or the end of the visit): nothing sent, the number forgotten."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._listening += 1
        self.draft.wipe()
        self.shown_phone = ""
        self.message = ""
        self.step = "levels"
