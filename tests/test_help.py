"""F1 names only keys that are bound: it is built from the bindings of the screen underneath
and of the lists on it, in the interface's language, and its sentences name no key (one once
said "k changes the kind" while the key was ctrl+k, and k typed a k)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Label, Static

from kring.sessions.i18n import _, use_language
from kring.sessions.model.clock import FakeClock
from kring.tui.app import create_app
from kring.tui.screens.help import HelpScreen, widget_bindings
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.screens.meeting.entries import MeetingEntries
from kring.tui.share.queue_panel import QueuePanel
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting, stored_meeting


def shown(app: App[None]) -> str:
    console = Console(record=True, width=200, file=io.StringIO())
    for widget in app.screen.query("Label, Static"):
        if isinstance(widget, Label | Static):
            console.print(widget.content)
    return console.export_text()


def rows(text: str) -> list[tuple[str, str]]:
    """(key, what it does) of every table row: a key, two spaces or more, a description."""
    return [(m.group(1), m.group(2)) for line in text.splitlines()
            if (m := re.match(r"^(\S+)\s{2,}(\S.*?)\s*$", line.strip()))]


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_every_key_f1_names_on_the_meeting_screen_is_bound_there(
        data: Path, clock: FakeClock, language: str) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, language=language)
    try:
        async with app.run_test(size=(120, 60)) as pilot:
            screen = await open_meeting(pilot, meeting_id)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = shown(app)
            named = rows(text)
            # Every key a row names is a binding of the screen or of a list on it, with that
            # very description; and each of those bindings is in the help.
            bound: dict[tuple[str, str], str] = {}
            for active in screen.active_bindings.values():
                if active.binding.description:
                    bound[(app.get_key_display(active.binding),
                           active.binding.description)] = "screen"
            for kind in (MeetingEntries, QueuePanel):
                for binding in widget_bindings(kind):
                    described = app.get_key_display(binding)
                    bound[(described, _(binding.description))] = kind.__name__
                    assert (described, _(binding.description)) in named, (kind, binding)
                    # ... and it runs an action the list has (never a key that types)
                    assert hasattr(kind, f"action_{binding.action}"), binding
            keys = [(key, what) for key, what in named if (key, what) in bound]
            assert len(keys) >= len(MeetingScreen.BINDINGS)
            for key, what in named:
                if (key, what) == (_("Key"), _("What it does")):  # the table's header
                    continue
                if what in {b.description for b in MeetingScreen.BINDINGS} or (key, what) in bound:
                    continue
                # What is left is the prefix table: "q:" and the kind it captures.
                assert key.endswith(":"), (key, what)
            # The sentences name no single letter as a key.
            assert not re.search(r"\b[a-z] (changes|moves|deletes|edits|verandert|verplaatst)",
                                 text), text
    finally:
        use_language("en")


def footer_actions(app: App[None]) -> set[str]:
    return {active.binding.action for active in app.screen.active_bindings.values()
            if active.binding.show and active.binding.description}


async def test_an_ended_meeting_s_footer_offers_only_what_works(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        running = footer_actions(app)
        assert {"next_phase", "next_turn", "toggle_pause", "end_meeting"} <= running
        assert "amend" not in running
        screen.live.end()
        screen.show_state()
        await pilot.pause()
        ended = footer_actions(app)
        assert not {"next_phase", "next_turn", "toggle_pause", "end_meeting"} & ended
        assert "amend" in ended
        said: list[str] = []
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        await pilot.press("ctrl+n")  # not offered, and still says why when pressed
        await pilot.pause()
        assert said == ["This meeting has ended: F9 amends it."]
        screen.live.amend()
        screen.show_state()
        await pilot.pause()
        amending = footer_actions(app)
        assert "end_meeting" in amending and "next_phase" not in amending
        assert "amend" not in amending


async def test_f1_reaches_the_dialogs_and_closes_the_help(data: Path, clock: FakeClock) -> None:
    """A dialog's keys stop at itself (Textual's modal screens): F1 is a priority key so that
    the review, the share dialog and the case dialog have their help too; F1 again closes it."""
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 50)) as pilot:
        await open_meeting(pilot, meeting_id)
        for opens, title in (("f7", "Open action points from earlier meetings"),
                             ("f12", "Share this meeting with the room's devices")):
            await pilot.press(opens)
            await pilot.pause()
            dialog = app.screen
            assert title in shown(app)
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen) and app.screen.under is dialog
            await pilot.press("f1")
            await pilot.pause()
            assert app.screen is dialog  # F1 again: back where it was
            await pilot.press("escape")
            await pilot.pause()


async def test_the_help_shows_every_key_of_an_action_and_only_what_is_on_screen(
        data: Path, clock: FakeClock) -> None:
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("f1")  # home: nothing to type into
        await pilot.pause()
        assert _("The capture line") not in shown(app)
        await pilot.press("escape", "n")  # the setup of a new meeting
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        text = shown(app)
        # The list of participants' keys, though the name field has the focus.
        assert "In the list of participants" in text
        assert ("shift+↑", "Move up") in rows(text)
        await pilot.press("escape", "escape")
        await pilot.pause()
        meeting_id = stored_meeting(data, clock)
        await open_meeting(pilot, meeting_id)
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert ("esc/f7", "Back to the meeting") in rows(shown(app))
