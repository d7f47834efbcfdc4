"""The matters of one topic, each a big button with its title and a one-line summary."""

from __future__ import annotations

from typing import Any

from kivy.properties import StringProperty

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.base import KButton


class FlowTile(KButton):
    pass


class FlowsScreen(KioskScreen):
    topic = StringProperty("")
    heading = StringProperty("")

    def enter(self, topic: str | None = None, **kwargs: Any) -> None:
        if topic:
            self.topic = topic
        self.relabel()

    def relabel(self) -> None:
        bundle = self.ctx.services.bundle
        chain = self.ctx.services.cfg.fallback_chain(self.ctx.nav.locale)
        topic = next((t for t in bundle.pack.topics if t.id == self.topic), None)
        self.heading = pick(topic.title, chain) if topic else ""
        paged = self.ids.paged
        paged.clear_items()
        for flow in sorted(bundle.flows.values(), key=lambda f: f.id):
            if flow.topic != self.topic:
                continue
            summary = pick(flow.summary, chain)
            tile = FlowTile(text=pick(flow.title, chain) + ("\n" + summary if summary else ""),
                            icon=(topic.icon if topic else None) or "question", value=flow.id)
            tile.bind(on_release=lambda b: self.ctx.nav.go("flow", start=b.value))
            paged.add_item(tile)

    def spoken(self) -> str:
        titles = [c.text.split("\n")[0] for c in reversed(self.ids.paged.box.children)]
        return " ".join([self.heading, *titles])
