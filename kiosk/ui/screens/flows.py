"""The matters of one topic, each a big button with its title and a one-line summary."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty
from kivy.utils import escape_markup

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.base import KButton


class FlowTile(KButton):
    pass


class FlowsScreen(KioskScreen):
    topic = StringProperty("")
    heading = StringProperty("")

    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        self._titles: list[str] = []
        #: What the tiles were built for (see TopicsScreen).
        self._built: tuple[Any, ...] = ()

    def enter(self, topic: str | None = None, **kwargs: Any) -> None:
        if topic:
            self.topic = topic
        self.relabel()
        self.ids.paged.to_top()

    def relabel(self) -> None:
        bundle = self.ctx.services.bundle
        nav = self.ctx.nav
        if self._built == (bundle.version, nav.locale, nav.landscape, self.topic):
            return
        self._built = (bundle.version, nav.locale, nav.landscape, self.topic)
        chain = self.ctx.services.cfg.fallback_chain(nav.locale)
        topic = next((t for t in bundle.pack.topics if t.id == self.topic), None)
        self.heading = pick(topic.title, chain) if topic else ""
        paged = self.ids.paged
        paged.clear_items()
        self._titles = []
        for flow in sorted(bundle.flows.values(), key=lambda f: f.id):
            if flow.topic != self.topic:
                continue
            title, summary = pick(flow.title, chain), pick(flow.summary, chain)
            self._titles.append(title)
            text = f"[b]{escape_markup(title)}[/b]" + (f"\n{escape_markup(summary)}" if summary else "")
            tile = FlowTile(text=text, markup=True, value=flow.id,
                            icon=(topic.icon if topic else None) or "question")
            tile.bind(on_release=lambda b: self.ctx.nav.go("flow", start=b.value))
            paged.add_item(tile)

    def spoken(self) -> str:
        return " ".join([self.heading, *self._titles])
