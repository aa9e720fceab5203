"""The apps start in Kring's dark theme without Textual parsing their styles a second time for
the first frame, and ctrl+l still switches between light and dark."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color
from textual.css.stylesheet import Stylesheet
from textual.widgets import Header

from kring.sessions.model.clock import FakeClock
from kring.tui.app import create_app
from kring.tui.themes import DARK, KRING_DARK, KRING_LIGHT, LIGHT, toggled
from tests.support.catalog import CATALOG


async def test_the_app_starts_dark_and_parses_its_styles_once(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    reparsed: list[int] = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse",
                        lambda self: reparsed.append(1) or original(self))
    app = create_app(data, CATALOG, clock)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert reparsed == []
        assert app.theme == DARK and app.has_class(f"-theme-{DARK}", "-dark-mode")
        assert app.screen.styles.background == Color.parse(KRING_DARK.background)
        header = app.screen.query_one(Header)
        assert header.styles.color.a > 0  # styled from the theme's variables, not left blank


async def test_ctrl_l_switches_to_the_light_theme_and_back(data: Path, clock: FakeClock) -> None:
    app = create_app(data, CATALOG, clock)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.theme == LIGHT and app.has_class(f"-theme-{LIGHT}", "-light-mode")
        assert not app.has_class(f"-theme-{DARK}")
        assert app.screen.styles.background == Color.parse(KRING_LIGHT.background)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.screen.styles.background == Color.parse(KRING_DARK.background)


def test_toggling_names_the_other_theme() -> None:
    assert toggled(DARK) == LIGHT and toggled(LIGHT) == DARK
