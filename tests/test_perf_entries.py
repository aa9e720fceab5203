"""A phase with 20,000 entries: the entry list makes rows for the newest WINDOW of them, the
newest in view, and a first row says how many earlier ones there are; moving up onto it (or
Enter, or a click) shows another WINDOW, and every message still names the right entry.
benchmarks/ui.py times opening such a meeting and typing in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.store.facade import Store
from kring.tui.widgets import entries as entries_module
from kring.tui.widgets.entries import EARLIER, WINDOW, EntryList
from tests.support.catalog import CATALOG
from tests.support.meeting_app import make_app, open_meeting, type_line, until

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def many(count: int, step: str = "s1") -> list[Entry]:
    return [Entry(id=f"{number:08x}", kind=Capture.NOTE, text=f"Entry {number}", step=step,
                  created_at=START + timedelta(seconds=number)) for number in range(count)]


class ListOnly(App[None]):
    def __init__(self, shown: list[Entry], highlight: str | None = None) -> None:
        super().__init__()
        self.shown = shown
        self.highlight = highlight
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield EntryList(language="en", id="entries")

    def on_mount(self) -> None:
        listing = self.query_one(EntryList)
        listing.show_entries(self.shown, highlight=self.highlight)
        listing.focus()

    @on(EntryList.EntryMessage)
    def record(self, message: Message) -> None:
        self.received.append(message)


async def test_twenty_thousand_entries_make_one_window_of_rows(monkeypatch) -> None:
    made: list[str] = []
    row = entries_module.entry_row
    monkeypatch.setattr(entries_module, "entry_row",
                        lambda entry, language, flagged=(): made.append(entry.id)
                        or row(entry, language, flagged))
    app = ListOnly(many(20_000))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(EntryList)
        assert len(made) == WINDOW and listing.option_count == WINDOW + 1
        first = listing.get_option_at_index(0)
        assert first.id == EARLIER and f"{20_000 - WINDOW} earlier entries" in str(first.prompt)
        assert listing.get_option_at_index(WINDOW).id == f"{19_999:08x}"
        assert listing.scroll_y == listing.max_scroll_y > 0  # the newest entry in view
        # The newest entry shows once the list has laid out its window (on a loaded machine a
        # frame or two after the screen first shows).
        await until(pilot, lambda: "Entry 19999" in app.export_screenshot().replace(
            "&#160;", " "), 5)


async def test_moving_up_onto_the_first_row_shows_earlier_entries() -> None:
    app = ListOnly(many(2 * WINDOW + 10))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(EntryList)
        listing.highlighted = 1  # the oldest entry shown: entry 210
        assert listing.selected_entry() == app.shown[WINDOW + 10]
        await pilot.press("up")
        await pilot.pause()
        assert listing.option_count == 2 * WINDOW + 1
        assert listing.selected_entry() == app.shown[WINDOW + 9]  # the one just before
        await pilot.press("enter")
        await pilot.pause()
        assert [m.entry for m in app.received] == [app.shown[WINDOW + 9]]  # type: ignore[attr-defined]
        listing.highlighted = 0
        await pilot.pause()
        assert listing.option_count == 2 * WINDOW + 10  # all of them: no first row any more
        assert listing.get_option_at_index(0).id == app.shown[0].id
        assert listing.selected_entry() == app.shown[9]


async def test_a_click_on_the_first_row_shows_one_more_window() -> None:
    app = ListOnly(many(3 * WINDOW))
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(EntryList)
        listing.highlighted = 0  # what a click does: highlight, then select at once
        listing.action_select()
        await pilot.pause()
        await pilot.pause()
        assert listing.option_count == 2 * WINDOW + 1 and app.received == []


async def test_an_entry_far_back_stays_highlighted_after_an_edit() -> None:
    shown = many(5 * WINDOW)
    app = ListOnly(shown, highlight=shown[7].id)
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(EntryList)
        assert listing.selected_entry() == shown[7]
        await pilot.press("delete")
        await pilot.pause()
        assert [m.entry for m in app.received] == [shown[7]]  # type: ignore[attr-defined]


async def test_the_meeting_screen_with_twenty_thousand_entries(data: Path,
                                                                clock: FakeClock) -> None:
    found = CATALOG.find("incident", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    Store(data).create_meeting(meeting, many(20_000, found.protocol.steps()[0].key))
    app = make_app(data, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, meeting.id)
        listing = screen.query_one(EntryList)
        assert len(listing.entries) == 20_000 and listing.option_count == WINDOW + 1
        # The newest entry shows once the list has laid out its window (on a loaded machine a
        # frame or two after the screen first shows).
        await until(pilot, lambda: "Entry 19999" in app.export_screenshot().replace(
            "&#160;", " "), 5)
        await type_line(pilot, "n: one more")
        assert listing.option_count == WINDOW + 2
        assert str(listing.get_option_at_index(WINDOW + 1).prompt).endswith("one more")
        screen.query_one("#capture").focus()
        await pilot.press("up")  # from the capture line to the newest entry
        assert listing.selected_entry() is not None
        assert listing.selected_entry().text == "one more"  # type: ignore[union-attr]
