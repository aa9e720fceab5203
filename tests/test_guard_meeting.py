"""The privacy guard in the meeting (issue 25), with the real spotter in its own process: a
line typed with a name nobody protected is marked in the note-taker's list within a second;
one key protects the name (everywhere, earlier entries included), one dismisses a word for
the community; what it found never shows on the projector view. What a phone sent is read
before it can be revealed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from kring.sessions.guard.process import GuardState
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import Contribution, ShareLog
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import dismissed_words
from kring.tui.app import create_app
from kring.tui.screens.dialogs import ChoiceDialog, EndMeetingDialog
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.screens.meeting.guard_bar import GuardBar
from kring.tui.share.queue_panel import QueuePanel
from tests.support.catalog import CATALOG
from tests.support.guard import ready
from tests.support.meeting_app import (
    open_meeting,
    open_meeting_to_type,
    stored_meeting,
    type_line,
    until,
)
from tests.support.share import held

pytestmark = pytest.mark.slow  # a process that loads deduce: seconds




async def test_a_name_typed_is_marked_protected_with_a_key_and_hidden_from_the_wall(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, guard=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        assert isinstance(screen, MeetingScreen)
        await until(pilot, lambda: ready(app), 300)  # minutes if its lists are being built
        await type_line(pilot, "Sanne's vader belde gisteren")
        entries = screen.phase.entries
        took = await until(pilot, lambda: any(
            flags == ("Sanne",) for flags in entries.flags.values()))
        assert took < 1.0  # the promise: findings within a second of Enter
        bar = screen.query_one(GuardBar)
        assert "Sanne" in str(bar.render()) and bar.display

        await pilot.press("f5")  # the projector view: nothing the guard found is shown
        await pilot.pause()
        assert not bar.display
        await pilot.press("f5")
        await pilot.pause()

        await pilot.press("up", "ctrl+f")  # protect it
        await until(pilot, lambda: not entries.flags, 5)
        assert "Sanne" in screen.live.meeting.protected_names
        stored = Store(data).load(meeting_id).meeting
        assert "Sanne" in stored.protected_names

        await pilot.press("escape")
        await type_line(pilot, "Mark the question for next week")
        await until(pilot, lambda: any(f == ("Mark",) for f in entries.flags.values()), 5)
        await pilot.press("up", "ctrl+d")  # Mark is nobody: dismissed for the community
        await until(pilot, lambda: not entries.flags, 5)
        assert dismissed_words(Store(data), screen.live.meeting.community) == ["Mark"]
        assert not bar.display  # nothing left to look at


async def test_a_guard_that_cannot_run_says_so_and_the_meeting_goes_on(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = data.parent / "not-a-folder"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the guard's lists would go")
    monkeypatch.setenv("KRING_GUARD_CACHE", str(blocked))
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, guard=True, minutes=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        bar = screen.query_one(GuardBar)
        await until(pilot, lambda: "privacy guard is off" in str(bar.render()), 30)
        await type_line(pilot, "Sanne's vader belde")
        await until(pilot, lambda: any("Sanne" in e.text for e in screen.live.entries), 5)
        await pilot.press("f10", "f10")
        await until(pilot, lambda: minutes_of(tmp_path), 5)
    assert 'privacy_guard: "off"' in minutes_of(tmp_path)  # nobody looked: the minutes say so


def minutes_of(folder: Path) -> str:
    return "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.md"))


async def test_ending_names_what_nobody_protected_and_the_minutes_say_it_was_left(
        data: Path, clock: FakeClock, tmp_path: Path) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, guard=True, minutes=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        await until(pilot, lambda: ready(app), 300)
        await type_line(pilot, "Jayden kwam te laat binnen")
        await until(pilot, lambda: screen.phase.entries.flags, 5)
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, EndMeetingDialog), 5)
        said = str(app.screen.query_one("#unprotected", Static).render())
        assert "Jayden" in said and "protect it" in said
        await pilot.press("f10")
        await until(pilot, lambda: minutes_of(tmp_path), 5)
    minutes = minutes_of(tmp_path)
    assert 'privacy_guard: "unresolved"' in minutes and "Jayden" in minutes  # as typed


async def test_a_phone_contribution_is_read_before_it_can_be_revealed(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    for number, text in enumerate(["Wat zei de moeder van Jayden?", "What did you try?"]):
        log.submit(Contribution(f"item{number:08d}", text, Capture.QUESTION, None,
                                live.step.key, clock.now()))
    app = create_app(data, CATALOG, clock, guard=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.5)
        queue = screen.query_one(QueuePanel)
        await until(pilot, lambda: ready(app), 300)
        await until(pilot, lambda: "item00000000" in queue.findings, 5)
        assert "⚑ Jayden" in str(queue.get_option_at_index(0).prompt)
        assert "item00000001" in queue.looked and "item00000001" not in queue.findings
        assert "Jayden" not in str(screen.guard.render())  # the queue says it, not the bar

        queue.focus()
        await pilot.press("enter")  # not revealed: asked first
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), 5)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "Jayden" in dialog.title_text
        assert dialog.options[0] == "Protect Jayden, then reveal"
        assert not [e for e in Store(data).load(live.meeting.id).entries if not e.private]
        await pilot.press("enter")
        await until(pilot, lambda: [i.id for i in queue.items] == ["item00000001"], 5)
        stored = Store(data).load(live.meeting.id)
        assert "Jayden" in stored.meeting.protected_names
        assert [e.text for e in stored.entries if not e.private] == [
            "Wat zei de moeder van Jayden?"]

        await pilot.press("enter")  # nothing found in it: revealed at once
        await until(pilot, lambda: not queue.items, 5)
        assert not isinstance(app.screen, ChoiceDialog)
    assert [e.text for e in Store(data).load(live.meeting.id).entries if not e.private] == [
        "Wat zei de moeder van Jayden?", "What did you try?"]


async def test_while_the_guard_loads_a_contribution_is_revealed_unread_only_when_asked_for(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    ShareLog(Journal(journal_path(live.meeting.id))).submit(Contribution(
        "item00000000", "Wat zei Jayden?", Capture.QUESTION, None, live.step.key,
        clock.now()))
    app = create_app(data, CATALOG, clock)  # no guard process: its state is told here
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.5)
        queue = screen.query_one(QueuePanel)
        queue.show_findings({}, frozenset(), GuardState.LOADING)
        queue.focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), 5)
        assert isinstance(app.screen, ChoiceDialog)
        assert "not read" in app.screen.title_text
        assert app.screen.options == ["Reveal as it is", "Discard it", "Not now"]
        await pilot.press("escape")  # not now: it waits
        await pilot.pause()
        assert [i.id for i in queue.items] == ["item00000000"]

        queue.show_findings({}, frozenset(), GuardState.READY)  # ready, not yet read
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceDialog)
        assert [i.id for i in queue.items] == ["item00000000"]

        queue.show_findings({}, frozenset(), GuardState.OFF)  # off: the facilitator decides
        await pilot.press("enter")
        await until(pilot, lambda: not queue.items, 5)
    assert [e.text for e in Store(data).load(live.meeting.id).entries if not e.private] == [
        "Wat zei Jayden?"]
