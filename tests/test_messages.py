"""Attributes down, messages up: the entry list knows nothing of the meeting screen. Its keys
become messages naming an entry; the screen, which owns the meeting, handles them. And the
interface's language is one value, which the app reads and hands to the domain. The setup
screen's participant list works the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input

from kring.sessions.i18n import active_language, use_language
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.screens.dialogs import ChoiceDialog
from kring.tui.screens.setup import ParticipantList
from kring.tui.widgets.capture import CaptureLine
from kring.tui.widgets.entries import EntryList
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting, open_setup, stored_meeting, type_line


def entry(text: str, entry_id: str) -> Entry:
    return Entry(id=entry_id, kind=Capture.NOTE, text=text, step="s1",
                 created_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


class ListOnly(App[None]):
    """The entry list with no meeting screen above it: whatever it asks arrives here."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield EntryList(language="en", id="entries")

    def on_mount(self) -> None:
        entries = self.query_one(EntryList)
        entries.show_entries([entry("first", "e1"), entry("second", "e2")], highlight="e2")
        entries.focus()

    @on(EntryList.EntryMessage)
    @on(EntryList.TypingRequested)
    def record(self, message: Message) -> None:
        self.received.append(message)


async def test_the_entry_list_s_keys_become_messages_naming_the_entry() -> None:
    app = ListOnly()
    async with app.run_test() as pilot:
        listing = app.query_one(EntryList)
        await pilot.press("enter", "ctrl+k", "ctrl+e", "delete", "escape")
        await pilot.pause()
    kinds = [type(message) for message in app.received]
    assert kinds == [EntryList.EditRequested, EntryList.KindChangeRequested,
                     EntryList.MoveRequested, EntryList.DeleteRequested,
                     EntryList.TypingRequested]
    named = [m.entry.id for m in app.received if isinstance(m, EntryList.EntryMessage)]
    assert named == ["e2"] * 4
    assert all(m.control is listing for m in app.received)  # type: ignore[attr-defined]


async def test_an_empty_entry_list_asks_nothing() -> None:
    app = ListOnly()
    async with app.run_test() as pilot:
        app.query_one(EntryList).show_entries([])
        await pilot.press("ctrl+k", "ctrl+e", "delete")
        await pilot.pause()
    assert app.received == []


async def test_letters_typed_in_the_entry_list_ask_for_the_capture_line_only() -> None:
    app = ListOnly()
    async with app.run_test() as pilot:
        await pilot.press(*"kmd x")
        await pilot.pause()
    assert [type(m) for m in app.received] == [EntryList.TypingRequested] * 5
    assert "".join(m.text for m in app.received) == "kmd x"  # type: ignore[attr-defined]


async def test_a_delete_message_reaches_the_screen_and_ctrl_z_undoes_it(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: keep me")
        await type_line(pilot, "n: delete me")
        entries = screen.query_one(EntryList)
        doomed = entries.entries[-1]
        entries.post_message(EntryList.DeleteRequested(entries, doomed))
        await pilot.pause()
        stored = [e.text for e in Store(data).load(meeting_id).entries]
        assert stored == ["keep me"]
        assert [e.text for e in entries.entries] == ["keep me"]  # the screen passed it down
        await pilot.press("ctrl+z")
        await pilot.pause()
        stored = [e.text for e in Store(data).load(meeting_id).entries]
        assert sorted(stored) == ["delete me", "keep me"]
        assert sorted(e.text for e in entries.entries) == ["delete me", "keep me"]


async def test_a_kind_change_message_opens_the_choice_and_changes_the_kind(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: was it a question?")
        entries = screen.query_one(EntryList)
        entries.post_message(EntryList.KindChangeRequested(entries, entries.entries[0]))
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        dialog.dismiss(list(Capture).index(Capture.QUESTION))
        await pilot.pause()
        [stored] = Store(data).load(meeting_id).entries
        assert stored.kind is Capture.QUESTION
        assert entries.entries[0].kind is Capture.QUESTION


async def test_escape_in_the_entries_gives_the_capture_line_back(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: something")
        await pilot.press("up")
        assert isinstance(app.focused, EntryList)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, CaptureLine)
        assert app.screen is screen  # the first escape only leaves the entries


def test_the_app_s_language_is_the_interface_s() -> None:
    app = create_app(Path("unused"), CATALOG, FakeClock(), language="nl")
    assert app.language == active_language() == "nl"
    use_language("en")  # as the language changes, the app cannot keep a stale copy
    assert app.language == "en"
    assert create_app(Path("unused"), CATALOG, FakeClock()).language == "en"


async def test_capture_warnings_speak_the_interface_s_language(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, language="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        said: list[str] = []
        monkeypatch.setattr(screen, "notify", lambda message, **_: said.append(str(message)))
        await type_line(pilot, "n: iets @Zoltan")
    assert "geen deelnemer die '@Zoltan' heet" in said


async def test_the_participant_list_asks_and_the_setup_screen_reorders_and_removes(
        data: Path, clock: FakeClock) -> None:
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        setup = await open_setup(pilot)
        setup.query_one("#participant", Input).focus()
        for name in ("Anouk", "Bram", "Chantal"):
            await pilot.press(*name, "enter")
        await pilot.pause()
        listing = setup.query_one(ParticipantList)
        listing.focus()
        listing.index = 2
        await pilot.press("shift+up")
        await pilot.pause()
        assert setup.current.participants == ["Anouk", "Chantal", "Bram"]
        assert listing.names == setup.current.participants  # handed down again
        assert listing.index == 1  # the cursor moved with the name
        await pilot.press("delete")
        await pilot.pause()
        assert setup.current.participants == ["Anouk", "Bram"]
