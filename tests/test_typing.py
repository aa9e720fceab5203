"""Typed text is never lost in the capture line: bursts of keys, pastes, lines that cannot be
saved yet, and closing while the disk refuses."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from textual import events

from kring.sessions.errors import SaveError, TransientError
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Status
from kring.sessions.store.changes import AddEntry, Change, R
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.screens.dialogs import ConfirmDialog
from kring.tui.widgets.capture import CaptureLine
from tests.support.catalog import CATALOG
from tests.support.meeting_app import burst, open_meeting_to_type, stored_meeting


def stored_texts(data: Path, meeting_id: str) -> list[str]:
    return [entry.text for entry in Store(data).load(meeting_id).entries]


async def test_a_burst_of_lines_stores_each_line_once_as_typed(data: Path,
                                                               clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    lines = ["first note", "second note", "third note", "a fourth, with ünïcode"]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        burst(app, "".join(f"{line}\r" for line in lines) + "still typing")
        await pilot.pause(0.3)
        assert screen.query_one(CaptureLine).value == "still typing"
    assert stored_texts(data, meeting_id) == lines


async def test_a_pasted_block_becomes_one_entry_per_line(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        capture = screen.query_one(CaptureLine)
        capture.value = "q: "
        capture.cursor_position = 3
        app.post_message(events.Paste("why now?\r\n\nwho knows?\nand the rest"))
        await pilot.pause(0.3)
        assert capture.value == "and the rest"
    assert stored_texts(data, meeting_id) == ["why now?", "who knows?"]


async def test_a_line_with_nothing_after_its_prefix_goes_back_not_away(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        burst(app, "q:\rmore")
        await pilot.pause(0.3)
        assert screen.query_one(CaptureLine).value == "q: more"
    assert stored_texts(data, meeting_id) == []


async def test_a_draft_is_saved_while_typing_goes_on(data: Path, clock: FakeClock) -> None:
    """A timer restarted on every key never fires for someone who keeps typing; the draft
    must be on disk within a second of the first unsaved key anyway."""
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting_to_type(pilot, meeting_id)
        for character in "typing on and on":
            await pilot.press(character if character != " " else "space")
            await pilot.pause(0.1)
        # Another window opening now would find no draft to recover (this window is alive),
        # so look at the disk itself: some draft of this meeting holds what was typed so far.
        drafts = [p.read_text() for p in Store(data).layout.drafts.rglob("*.json")]
        assert any("typing on" in text for text in drafts), drafts


async def test_a_refused_draft_save_is_said_and_never_crashes(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)

        def refuse(text: str) -> None:
            raise SaveError("the draft", "the disk is full", errno.ENOSPC)

        monkeypatch.setattr(screen.draft, "save", refuse)
        await pilot.press(*"half a thought")
        await pilot.pause(0.8)
        assert app.is_running and app.screen is screen
        assert "not saved yet" in str(screen.query_one("#capture-hint").render())
        assert screen.query_one(CaptureLine).value == "half a thought"


async def test_quitting_with_refused_changes_asks_and_writes_them_elsewhere(
        data: Path, clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    meeting_id = stored_meeting(data, clock)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr("kring.tui.screens.meeting.closing.rescue_folder", lambda: home)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        full = SaveError("meeting", "the disk is full", errno.ENOSPC)
        assert isinstance(full, TransientError)

        real = app.store.apply

        def refuse(meeting_id: str, change: Change[R]) -> R:
            if isinstance(change, AddEntry):
                raise full
            return real(meeting_id, change)

        monkeypatch.setattr(app.store, "apply", refuse)
        burst(app, "kept in memory\r")
        await pilot.pause(0.3)
        assert screen.live.unsaved == 1
        await pilot.press("ctrl+q")  # "quit?": asked first, always
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        await pilot.press("ctrl+q")  # yes; the refused changes are asked about next
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and app.is_running
        assert "not saved yet" in str(app.screen.message)
        app.screen.dismiss(True)
        await pilot.pause()
    rescued = list(home.iterdir())
    assert len(rescued) == 1 and "kept in memory" in rescued[0].read_text(encoding="utf-8")
    assert rescued[0].stat().st_mode & 0o777 == 0o600
    assert Store(data).load(meeting_id).meeting.status is Status.IN_PROGRESS
