"""Legal questions by topic: one big tile with an icon per topic of the content pack."""

from __future__ import annotations

from typing import Any

from kiosk.flows.texts import pick
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.base import KButton


class TopicTile(KButton):
    pass


class TopicsScreen(KioskScreen):
    def __init__(self, ctx: Any, **kwargs: Any) -> None:
        super().__init__(ctx, **kwargs)
        #: What the tiles were built for: the same content, language and orientation again
        #: keeps them (rebuilding every tile on every visit made this tap slow).
        self._built: tuple[Any, ...] = ()

    def enter(self, **kwargs: Any) -> None:
        self.relabel()

    def relabel(self) -> None:
        bundle = self.ctx.services.bundle
        nav = self.ctx.nav
        if self._built == (bundle.version, nav.locale, nav.landscape):
            return
        self._built = (bundle.version, nav.locale, nav.landscape)
        chain = self.ctx.services.cfg.fallback_chain(nav.locale)
        grid = self.ids.grid
        grid.clear_widgets()
        used = {f.topic for f in bundle.flows.values()}
        for topic in bundle.pack.topics:
            if topic.id not in used:
                continue
            tile = TopicTile(text=pick(topic.title, chain), icon=topic.icon or "question", value=topic.id)
            tile.bind(on_release=lambda b: self.ctx.nav.go("flows", topic=b.value))
            grid.add_widget(tile)

    def spoken(self) -> str:
        titles = [c.text for c in reversed(self.ids.grid.children)]
        return " ".join([self.ctx.nav.t("Choose a topic."), *titles])
