"""What may be said on a screen: its phrases, what each means, and the recogniser's word list.

A question's choices come with their labels, the content's `say` synonyms, the parts of a
label (讨工资、劳动关系 → 讨工资, 劳动关系) and ordinals (第一个); yes/no questions take the
kiosk's yes and no words and the screen's own labels; number and date questions take number
words. Every screen takes the commands (返回 重复 帮助 人工 首页 / back repeat help staff home),
and info screens "next" as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.flows.views import Screen
from kiosk.voice.snap import Phrase, Snap, Target, snap
from kiosk.voice.words import COMMANDS, DATE_WORDS, NUMBER_WORDS, ORDINALS, YES_NO, lang

if TYPE_CHECKING:  # search's index pulls numpy in: not on the kiosk's start-up path
    from kiosk.search.index import Hit

_PARTS = re.compile(r"[、，,;；/（）()]+|\s+or\s+|\s+and\s+|或者|或")


@dataclass(frozen=True)
class Grammar:
    locale: str
    #: yes_no, choice, number, date, next (info/action/outcome), pick (search results), dictation
    mode: str
    phrases: tuple[Phrase, ...]
    #: Extra words the recogniser must be able to hear (numbers, dates) beyond the phrases.
    extra_words: tuple[str, ...] = ()

    def recognizer_phrases(self) -> list[str] | None:
        """The phrase list for `Recognizer.listen` (None: free dictation)."""
        if self.mode == "dictation":
            return None
        return list(dict.fromkeys([*(p.text for p in self.phrases), *self.extra_words]))

    def snap(self, heard: str) -> Snap:
        return snap(heard, self.phrases)


def _commands(locale: str, with_next: bool, answers: Sequence[Phrase] = ()) -> list[Phrase]:
    """The commands, minus any phrase that is also an answer here (a choice may be 不知道)."""
    taken = {p.text for p in answers}
    return [
        Phrase(text, Target("command", name))
        for name, texts in COMMANDS[lang(locale)].items()
        if with_next or name != "next"
        for text in texts
        if text not in taken
    ]


def label_parts(label: str) -> list[str]:
    """A label and its parts worth saying alone (two characters or one English word up)."""
    parts = [p.strip() for p in _PARTS.split(label) if p and p.strip()]
    return list(dict.fromkeys([label, *(p for p in parts if len(p) >= 2)]))


def _ordinals(locale: str, values: Sequence[object], kind: str) -> list[Phrase]:
    table = ORDINALS[lang(locale)]
    return [Phrase(text, Target(kind, value)) for value, texts in zip(values, table, strict=False)
            for text in texts]


def for_screen(screen: Screen, locale: str) -> Grammar:
    if screen.kind != "question":
        return Grammar(locale, "next", tuple(_commands(locale, with_next=True)))
    phrases = _commands(locale, with_next=False)
    if screen.input == "yesno":
        words = YES_NO[lang(locale)]
        yes, no = screen.yes_no
        phrases += [Phrase(t, Target("yes_no", True)) for t in (*words[True], yes) if t]
        phrases += [Phrase(t, Target("yes_no", False)) for t in (*words[False], no) if t]
        return Grammar(locale, "yes_no", tuple(phrases))
    if screen.input == "choice":
        answers: list[Phrase] = []
        for choice in screen.choices:
            texts = [*label_parts(choice.label), *choice.say]
            answers += [Phrase(t, Target("choice", choice.value)) for t in dict.fromkeys(texts)]
        answers += _ordinals(locale, [c.value for c in screen.choices], "choice")
        return Grammar(locale, "choice", tuple(_commands(locale, False, answers) + answers))
    if screen.input == "number":
        unit = screen.number.unit if screen.number else ""
        extra = NUMBER_WORDS[lang(locale)] + tuple(label_parts(unit) if unit else ())
        return Grammar(locale, "number", tuple(phrases), extra)
    extra = NUMBER_WORDS[lang(locale)] + DATE_WORDS[lang(locale)]
    return Grammar(locale, "date", tuple(phrases), extra)


def for_confirm(locale: str) -> Grammar:
    """Yes or no to "you said X, is that right?", plus back/repeat/help/staff/home."""
    words = YES_NO[lang(locale)]
    phrases = _commands(locale, with_next=False)
    phrases += [Phrase(t, Target("yes_no", True)) for t in words[True]]
    phrases += [Phrase(t, Target("yes_no", False)) for t in words[False]]
    return Grammar(locale, "yes_no", tuple(phrases))


def for_results(hits: Sequence[Hit], locale: str) -> Grammar:
    """Picking one of the search results read out: 第一个 / the first, or its title."""
    phrases = _commands(locale, with_next=False)
    phrases += _ordinals(locale, [h.flow for h in hits], "pick")
    for hit in hits:
        phrases += [Phrase(t, Target("pick", hit.flow)) for t in label_parts(hit.title)]
    return Grammar(locale, "pick", tuple(phrases))


def dictation(locale: str) -> Grammar:
    """Free speech for search; commands are still recognised when said alone."""
    return Grammar(locale, "dictation", tuple(_commands(locale, with_next=False)))
