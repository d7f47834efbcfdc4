"""Staff's way in (long press in the corner, then the PIN, locked after five wrong tries),
the idle warning's Continue, and every catalogued state drawn in the tightest layouts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.conftest import Driver


def _pin(ui: Driver, digits: str) -> None:
    for d in digits:
        ui.tap_text(d, cls="KeypadKey")
    assert ui.screen.pin_dots == "●" * len(digits)
    ui.tap_text(ui.app.t("OK"))


def test_a_long_press_in_the_corner_then_the_pin_opens_maintenance(ui: Driver) -> None:
    from kivy.core.window import Window
    from kivy.metrics import dp

    app = ui.app
    ui.tap(ui.find(cls="TouchArea"))
    corner = (dp(20), Window.height - dp(20))
    ui.tap_at(*corner)  # a short tap there is just a tap
    assert app.root.current == "home"
    ui.tap_at(*corner, hold=3.3)
    assert app.root.current == "maintenance" and not ui.screen.unlocked
    _pin(ui, "1111")
    assert ui.screen.message == app.t("Wrong PIN.") and not ui.screen.unlocked
    _pin(ui, "2468")
    assert ui.screen.unlocked
    ui.settle()
    status = ui.screen.status
    for part in ("Printer", "Microphone and speech model", "Speaker", "Central service", "Content version"):
        assert app.t(part) in status
    assert app.services.bundle.version in status
    ui.tap_text(app.t("Test print"))
    assert list((ui.state_dir / "slips").glob("ticket-*.bin"))
    ui.tap_text(app.t("Back to the kiosk"))
    assert app.root.current == "attract"


def test_five_wrong_pins_lock_maintenance_for_minutes(ui: Driver) -> None:
    app = ui.app
    app.go("maintenance")
    for _ in range(5):
        _pin(ui, "0000")
    locked = app.t("Too many wrong PINs. Try again in {n} minutes.", n=5)
    assert ui.screen.message == locked
    _pin(ui, "2468")
    assert not ui.screen.unlocked and ui.screen.message == locked
    ui.clock.advance(5 * 60 + 1)
    _pin(ui, "2468")
    assert ui.screen.unlocked
    ui.tap_text(app.t("Back to the kiosk"))


def test_continue_on_the_idle_warning_keeps_the_residents_answers(ui: Driver) -> None:
    app = ui.app
    ui.tap(ui.find(cls="TouchArea"))
    ui.tap_text(app.t("Can I get free legal aid?"))
    ui.tap_text("讨工资、劳动关系", cls="ChoiceButton")
    ui.clock.advance(61)
    ui.run_for(1.0)
    assert app.root.current == "idle"
    assert ui.find(app.t("Continue")).height >= 60 * float(__import__("os").environ["KIVY_METRICS_DENSITY"])
    ui.tap_text(app.t("Continue"))
    assert app.root.current == "flow" and app.session.flow is not None
    assert app.session.flow.state.answers
    ui.clock.advance(40)  # 40 s after the touch: no warning yet
    ui.run_for(1.0)
    assert app.root.current == "flow"


def _violations(ui: Driver, name: str) -> list[str]:
    """Touch targets below their minimum, text below the theme's minimum, widgets outside
    the window: a quick guard here; `kiosk a11y` is the full audit."""
    from kivy.core.window import Window
    from kivy.metrics import dp
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    theme = ui.app.theme
    found = []

    def ancestors(w: Any) -> list[Any]:
        chain = []
        while w is not None and w is not Window:
            chain.append(w)
            w = w.parent
        return chain

    for w in ui.screen.walk(restrict=True):
        chain = ancestors(w)
        if any(a.opacity == 0 for a in chain):
            continue
        # Items of a paged list may lie beyond its viewport (the page buttons reach them).
        scrolled = any(isinstance(a, ScrollView) for a in chain[1:])
        if isinstance(w, ButtonBehavior):
            least = dp(theme.main_target if getattr(w, "main", False) else theme.min_target)
            if min(w.width, w.height) < least - 0.5:
                found.append(f"{name}: target {type(w).__name__} {w.size} < {least}")
        if isinstance(w, Label) and w.text.strip() and w.font_name != "Icons":
            least = dp(30 if theme.name == "elderly" else 18)
            if w.font_size < least - 0.01:
                found.append(f"{name}: text {w.text[:20]!r} {w.font_size} < {least}")
        x, y = w.to_window(w.x, w.y)
        outside = x < -1 or y < -1 or x + w.width > Window.width + 1 or y + w.height > Window.height + 1
        if outside and not scrolled:
            found.append(f"{name}: {type(w).__name__} {w.text[:20] if isinstance(w, Label) else ''!r} "
                         f"outside the window at {(round(x), round(y), round(w.width), round(w.height))}")
    return found


@pytest.mark.parametrize("theme,orientation", [("elderly", "landscape"), ("normal", "portrait")])
def test_every_catalogued_state_draws_with_big_enough_targets_and_text(
        ui: Driver, theme: str, orientation: str) -> None:
    from kiosk.ui.catalog import states

    app = ui.app
    found: list[str] = []
    try:
        app.apply(theme=theme, locale="en" if theme == "elderly" else "zh-CN", orientation=orientation)
        ui.frames(3)
        listed = states(app)
        assert len(listed) >= 40
        for state in listed:
            state.show()
            ui.frames(2)
            assert app.root.current != "attract" or state.name == "attract", state.name
            found += _violations(ui, state.name)
    finally:
        app.apply(orientation="portrait")
        ui.frames(3)
    assert found == [], "\n".join(found)


def test_maintenance_left_alone_locks_itself_again(ui: Driver) -> None:
    app = ui.app
    app.go("maintenance")
    _pin(ui, "2468")
    assert ui.screen.unlocked
    ui.clock.advance(app.settings.idle_seconds + 1)
    ui.run_for(1.0)
    assert app.root.current == "attract" and not app.screens["maintenance"].unlocked
