"""The applicant screen's fields: the ID number and the phone on the keypad (the ID
number checked with its check digit as it is typed), the name and address written by finger
one character at a time or typed as pinyin, with candidates to tap. What is typed is shown
while typing and dropped as soon as the draft has taken it."""

from __future__ import annotations

from typing import Any

from kivy.factory import Factory
from kivy.properties import ObjectProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk.applications.errors import ConsentMissing, FieldError
from kiosk.applications.idnumber import normalize, parse_id_number
from kiosk.applications.model import PersonField
from kiosk.ui.apply_texts import FIELD_NAMES, PROMPTS, group_id
from kiosk.ui.dates import group_phone
from kiosk.ui.screens.apply_done import ApplyFinish
from kiosk.ui.widgets.inputs import BACKSPACE, CLEAR, SPACE, LatinKeyboard
from kiosk.ui.widgets.writing import WritingPad


class TextEntry(BoxLayout):
    """Value, candidates, and a writing pad or the Latin keyboard (pinyin): one of the two
    in the tree at a time, so the hidden one never takes a touch."""

    screen = ObjectProperty(None)

    def __init__(self, **kwargs: Any) -> None:
        self.pad = WritingPad()
        self.pad.bind(on_stroke=lambda _p: self.screen.written())
        self.keyboard = LatinKeyboard()
        self.keyboard.bind(on_key=lambda _k, key: self.screen.latin(key))
        super().__init__(**kwargs)

    def on_kv_post(self, _base: Any) -> None:
        self.show("hand")

    def show(self, mode: str) -> None:
        surface = self.ids.surface
        surface.clear_widgets()
        surface.add_widget(self.pad if mode == "hand" else self.keyboard)


class KeyEntry(BoxLayout):
    """Value and the 12-key keypad (with an X key for ID numbers)."""

    screen = ObjectProperty(None)

class ApplyEntry(ApplyFinish):
    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._field = ""  # the field being entered: a PersonField value or "case:<name>"
        self._value = ""  # what is being typed (personal): dropped as soon as it is taken
        self._skipped: set[PersonField] = set()
        self._asked: set[str] = set()
        self.text_entry = TextEntry(screen=self)
        self.key_entry = KeyEntry(screen=self)

    @property
    def pad(self) -> Any:
        return self.text_entry.pad

    @property
    def candidates(self) -> Any:
        return self.text_entry.ids.candidates

    def on_entry(self, _inst: Any, entry: str) -> None:
        """The list, the text panel or the key panel in the screen's slot: one at a time,
        so nothing hidden takes a touch or counts in the audit."""
        slot = self.ids.slot
        slot.clear_widgets()
        slot.add_widget(self._paged if not entry else self.text_entry if entry == "text" else self.key_entry)

    def _label(self) -> str:
        t = self.ctx.nav.t
        if self._field.startswith("case:") and self.kind is not None:
            return self.pick(self.kind.case[self._field[5:]])
        return t(FIELD_NAMES[PersonField(self._field)])

    def _show_field(self) -> None:
        t = self.ctx.nav.t
        field = self._field
        keys = field in (PersonField.ID_NUMBER, PersonField.PHONE)
        self.entry = "keys" if keys else "text"
        self.x_key = field == PersonField.ID_NUMBER
        if field.startswith("case:"):
            self.prompt = f"{self._label()} {t('Write a few characters; you can also skip this.')}"
        else:
            self.prompt = t(PROMPTS[PersonField(field)])
        self._refresh_value()
        kind = self.kind
        optional = field.startswith("case:") or (kind is not None and PersonField(field) in kind.optional)
        buttons = [(t("Next"), "next", self.field_done, "primary")]
        if optional:
            buttons.append((t("Skip"), "next", self.skip, "secondary"))
        self._actions(*buttons)
        if not keys:
            self.candidates.show([])
            self.pad.clear()

    def _refresh_value(self) -> None:
        field = self._field
        if field == PersonField.PHONE:
            self.shown_value = group_phone(self._value)
        elif field == PersonField.ID_NUMBER:
            self.shown_value = group_id(self._value)  # in full while typing; masked after
        else:
            self.shown_value = self._value

    def key(self, key: str) -> None:
        """The keypad (ID number, phone): digits, X, backspace, clear; checked as typed."""
        limit = 18 if self._field == PersonField.ID_NUMBER else 11
        if key == CLEAR:
            self._value = ""
        elif key == BACKSPACE:
            self._value = self._value[:-1]
        elif len(self._value) < limit:
            self._value += key
        self._refresh_value()
        self.message = ""
        if self._field == PersonField.ID_NUMBER and len(self._value) == 18:
            try:
                parse_id_number(normalize(self._value), self.ctx.services.clock().date())
            except FieldError as exc:
                self.tone, self.message = "warn", exc.message(self.ctx.nav.locale)

    def written(self) -> None:
        """A stroke was lifted on the pad: the recognizer's best characters to tap."""
        pad = self.pad
        hw = self.ctx.services.handwriting
        found = hw.recognize(pad.strokes, pad.width, pad.height, n=10, y_up=True) if hw else []
        self.candidates.show([c.char for c in found])

    def latin(self, key: str) -> None:
        """The Latin keyboard: pinyin for one character, its candidates to tap."""
        from kiosk.applications.pinyin_input import name_candidates

        if key == CLEAR:
            self.pinyin = ""
        elif key == BACKSPACE:
            self.pinyin = self.pinyin[:-1]
        elif key != SPACE and len(self.pinyin) < 12:
            self.pinyin += key
        found = name_candidates(self.pinyin) if self.pinyin else []
        chars = found[0][1] if found else []
        if self._field == PersonField.NAME and self._value:  # a given-name character now
            chars = found[-1][1] if found else []
        self.candidates.show(chars)

    def pick_char(self, char: str) -> None:
        limit = 50 if self._field == PersonField.NAME else 200
        if len(self._value) < limit:
            self._value += char
        self.pinyin = ""
        self.candidates.show([])
        self.pad.clear()
        self._refresh_value()
        self.message = ""

    def delete(self) -> None:
        if self.pad.strokes:
            self.pad.clear()
            self.candidates.show([])
        else:
            self._value = self._value[:-1]
            self._refresh_value()

    def switch_mode(self) -> None:
        self.mode = "pinyin" if self.mode == "hand" else "hand"
        self.text_entry.show(self.mode)
        self.pinyin = ""
        self.candidates.show([])
        self.pad.clear()

    def field_done(self) -> None:
        draft = self.draft
        if draft is None:
            return
        try:
            if self._field.startswith("case:"):
                draft.set_case(self._field[5:], self._value)
                self._asked.add(self._field[5:])
            else:
                draft.set_person(self._field, self._value, self.ctx.services.clock().date())
        except FieldError as exc:
            self.tone, self.message = "warn", exc.message(self.ctx.nav.locale)
            return
        except ConsentMissing:
            self.show("consent")
            return
        self._value = self.shown_value = ""
        self.message = ""
        self.next_step()

    def skip(self) -> None:
        if self._field.startswith("case:"):
            self._asked.add(self._field[5:])
        else:
            self._skipped.add(PersonField(self._field))
        self._value = self.shown_value = ""
        self.message = ""
        self.next_step()

    # --- case questions and review ------------------------------------------------------------------

    def _show_case(self) -> None:
        t = self.ctx.nav.t
        self.prompt = self._label()
        self._paged.add_item(Factory.Notice(text=t(
            "This is optional. Staff will ask you about it anyway; you can skip it."), tone="info"))
        self._actions((t("Skip"), "next", self.skip, "primary"),
                      (t("Write a few words"), "edit", self._write_case, "secondary"))

    def _write_case(self) -> None:
        self._value, self.pinyin = "", ""
        self.show("field")
