"""The insights screen, opened from the communities screen with its key, on the seeded year
of 30 meetings (tests/support/community.py): the figures ``kring insights`` prints, the themes
once the thread has read them, nothing about pupils or the member without consent, titles
shown as typed, and its keys.

Update the snapshot after an intended change with `make test PYTEST_ARGS=--snapshot-update`
and look at the report before committing."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from kring.sessions.insights.model import Insights
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import remember_roster, set_consent
from kring.tui.app import KringApp, create_app
from kring.tui.screens.communities import CommunitiesScreen
from kring.tui.screens.help import HelpScreen
from kring.tui.screens.insights import InsightsScreen
from tests.support.catalog import CATALOG
from tests.support.community import COMMUNITY, NOT_CONSENTING, PUPILS, seed_community

# The day the seed's figures are counted on (tests/test_insights_cli.py counts on it too).
TODAY = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
NEVER = (*PUPILS, *NOT_CONSENTING.split())
TALL = (160, 400)  # the whole page in view, every column of the people's table too


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """The data folder of the seeded community."""
    seed_community(tmp_path, 30)
    return tmp_path / "data"


def app_on(data: Path) -> KringApp:
    return create_app(data, CATALOG, FakeClock(TODAY))


def drawn(app: App[None]) -> str:
    """Every character Textual would write for the screen on top, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def open_insights(pilot: Pilot[None]) -> InsightsScreen:
    """From home: the communities screen (c), then the insights of the first (i), the themes
    read."""
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommunitiesScreen)
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InsightsScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def test_the_insights_of_the_seeded_year(seeded: Path) -> None:
    app = app_on(seeded)
    async with app.run_test(size=TALL) as pilot:
        screen = await open_insights(pilot)
        text = drawn(app)
        assert f"Insights: {COMMUNITY}" in text
        assert "30 meetings, 12 January 2026 to 3 August 2026; as of 6 December 2026." in text
        assert "60 raised: 15 done, 35 open (35 overdue), 10 dropped." in text
        assert "De inbrenger legt het dilemma voor" in text  # a phase's title
        assert "Average 4.2 over 30 meetings" in text
        assert "Has not brought a case yet: Dev Patel" in text
        assert "1 member not shown: no research consent." in text
        assert "ouders betrekken (30 meetings)" in text  # a theme, read in the thread
        assert not screen.query_one("#themes-loading").display
        # Privacy: no pupil, and nothing about the member who never consented.
        for name in NEVER:
            assert not re.search(rf"\b{name}\b", text, re.IGNORECASE), name
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CommunitiesScreen)


async def test_the_figures_show_at_once_and_the_themes_follow(
        seeded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the themes (YAKE) waits in its thread until the test lets it go: meanwhile the
    figures are on screen and the app answers keys."""
    from kring.sessions.insights import gather

    release = threading.Event()
    read = gather.community_insights

    def slow(*args: Any, themes: bool = True, **kwargs: Any) -> Insights:
        if themes:
            assert release.wait(10)
        return read(*args, themes=themes, **kwargs)

    monkeypatch.setattr(gather, "community_insights", slow)
    app = app_on(seeded)
    async with app.run_test(size=TALL) as pilot:
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        assert "60 raised: 15 done" in drawn(app)
        assert screen.query_one("#themes-loading").display
        assert "(30 meetings)" not in drawn(app)
        await pilot.press("f1")  # the app is not waiting for the themes
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ouders betrekken (30 meetings)" in drawn(app)
        assert not screen.query_one("#themes-loading").display


async def test_reload_reads_the_figures_again(seeded: Path) -> None:
    app = app_on(seeded)
    async with app.run_test(size=TALL) as pilot:
        await open_insights(pilot)
        assert "Anouk Jansen" in drawn(app)
        # Two withdrawals leave two consenting members: too few to show anyone.
        for person in ("Anouk Jansen", "Bram de Wit"):
            set_consent(app.store, COMMUNITY, person, grant=False, day=date(2026, 12, 1))
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = drawn(app)
        assert "Too few members consented to show figures about people." in text
        assert "3 members not shown: no research consent." in text
        assert "Anouk" not in text and "Dev Patel" not in text


async def test_markup_in_names_and_titles_shows_as_typed(data: Path) -> None:
    community, title = "[red]CoP[/] [b]Noord", "[/] Lost [link=https://x]homework[/link]"
    clock = FakeClock(TODAY)
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    store = Store(data)
    for number in range(2):
        plan = MeetingPlan(entry.protocol, community=community,
                           participants=["Anouk", "Bram", "Chantal"])
        plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
        plan.case.title = f"{title} {number}"
        store.create_meeting(plan.create(clock))
    remember_roster(store, community, ["Anouk", "Bram", "Chantal"])
    app = app_on(data)
    async with app.run_test(size=TALL) as pilot:
        await open_insights(pilot)
        text = drawn(app)
        assert f"Insights: {community}" in text
        assert f"{title} 0" in text and f"{title} 1" in text


async def test_a_community_without_meetings_says_so(data: Path) -> None:
    remember_roster(Store(data), "Intervisie Zuid", ["Anouk", "Bram"])
    app = app_on(data)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_insights(pilot)
        assert "This community has not met yet" in drawn(app)
        assert not screen.query_one("#figures").display  # no empty plots
        assert "Intervisie Zuid" in str(screen.query_one("#heading", Static).render())


async def test_f1_names_the_screen_s_keys(seeded: Path) -> None:
    app = app_on(seeded)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_insights(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = drawn(app)
        assert re.search(r"r\s{2,}Reload", text) and re.search(r"esc\s{2,}Back", text)


def test_the_insights_screen(snap_compare, tmp_path: Path) -> None:
    seed_community(tmp_path, 30)
    app = app_on(tmp_path / "data")

    async def run_before(pilot: Pilot[None]) -> None:
        await open_insights(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
