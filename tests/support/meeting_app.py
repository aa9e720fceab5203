"""The app on a data folder, driven with Textual's Pilot as a person drives it: a meeting stored
first, then opened (the app shows its screen), the setup screen opened with its key, lines
typed into the capture line, keys arriving faster than they are handled.

The screens are reached only as a test sees them: ``app.screen``, its widgets by id or type,
and keys. What a screen holds inside is its own business."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from kring.tui.app import KringApp, create_app
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.screens.setup import SetupScreen
from kring.tui.widgets.capture import CaptureLine
from tests.support.catalog import CATALOG

PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]


def make_app(data: Path, clock: FakeClock) -> KringApp:
    """The app on ``data``, in English, with the built-in protocols and the test's clock."""
    return create_app(data, CATALOG, clock)


def stored_meeting(data: Path, clock: FakeClock, protocol_id: str = "incident",
                   people: list[str] = PEOPLE) -> str:
    """A meeting of CoP Inclusion stored in ``data``, not started, Anouk facilitating and
    Bram bringing the case; its id."""
    entry = CATALOG.find(protocol_id, "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion", participants=list(people))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    Store(data).create_meeting(meeting)
    return meeting.id


def app_with_meeting(data: Path, clock: FakeClock, language: str = "en",
                     community: str = "CoP Inclusion", meeting_id: str = "snapshot0001"
                     ) -> tuple[KringApp, str]:
    """An incident-method meeting of four with a fixed id (a snapshot shows it), stored in
    ``data``, and the app in ``language`` on it."""
    entry = CATALOG.find("incident", language)
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community=community,
                       participants=["Anouk", "Bram", "Chantal", "Dev"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    meeting.id = meeting_id
    Store(data).create_meeting(meeting)
    return create_app(data, CATALOG, clock, language=language), meeting.id


def meeting_screen(app: KringApp) -> MeetingScreen:
    """The screen the app shows, which is a meeting's."""
    assert isinstance(app.screen, MeetingScreen), type(app.screen)
    return app.screen


async def open_meeting(pilot: Pilot[None], meeting_id: str, *,
                       pause: float | None = None) -> MeetingScreen:
    """Open ``meeting_id`` as choosing it on the home screen does and, once the app has
    handled that (or after ``pause`` seconds), the meeting screen it shows."""
    app = pilot.app
    assert isinstance(app, KringApp)
    app.open_meeting(meeting_id)
    await pilot.pause(pause)
    return meeting_screen(app)


async def open_meeting_to_type(pilot: Pilot[None], meeting_id: str) -> MeetingScreen:
    """Open ``meeting_id`` and wait, up to two seconds, until its capture line has the focus:
    where a person's typing goes from then on."""
    app = pilot.app
    assert isinstance(app, KringApp)
    app.open_meeting(meeting_id)
    for _ in range(100):
        await pilot.pause(0.02)
        if isinstance(app.screen, MeetingScreen) and isinstance(app.focused, CaptureLine):
            return app.screen
    raise AssertionError("the meeting screen never opened")


async def open_setup(pilot: Pilot[None]) -> SetupScreen:
    """The setup of a new meeting, opened from the home screen with its key (n)."""
    await pilot.press("n")
    await pilot.pause()
    setup = pilot.app.screen
    assert isinstance(setup, SetupScreen)
    return setup


async def type_line(pilot: Pilot[None], text: str) -> None:
    """``text`` in the shown screen's capture line, then Enter, handled."""
    capture = pilot.app.screen.query_one("#capture", Input)
    capture.focus()
    capture.value = text
    await pilot.press("enter")
    await pilot.pause()


def burst(app: App[None], text: str) -> None:
    """Queue every key at once, the way a fast typist, a paste typed by the terminal or tmux
    delivers them: no key waits for the one before it to be handled."""
    for character in text:
        if character == "\r":
            app.post_message(events.Key("enter", "\r"))
        elif character == " ":
            app.post_message(events.Key("space", " "))
        else:
            app.post_message(events.Key(character, character))


async def until(pilot: Pilot[None], check: Callable[[], object], limit: float = 60.0) -> float:
    """How long, in real time, until ``check`` holds (the app runs meanwhile); fails past
    ``limit``: for what another process or thread does (the privacy guard, a sync)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if check():
            return time.monotonic() - start
        await pilot.pause(0.02)
    raise AssertionError(f"not within {limit} s")
