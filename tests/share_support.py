"""What the share tests have in common: a meeting held in a data folder, and a share server
on loopback for it, started and stopped within the test's event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.share.access import AccessKind
from kring.sessions.share.naming import Naming
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR
from kring.tui.share.pace import Pace
from kring.tui.share.server import ShareServer

CATALOG = load_catalog(BUILTIN_DIR)
SECRET = "Zoë's mother drinks"  # a private entry: never on any page


def held(data: Path, clock: Clock, *, phase: str | None = None,
         meeting_id: str = "share0001") -> LiveMeeting:
    """An incident-method meeting in progress, a pupil's name protected and a private entry
    captured; in ``phase`` when given."""
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       case=Case("Why Zoë stopped asking", "Zoë sits at the back.",
                                 "How do I reach Zoë?"))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    meeting.id = meeting_id
    meeting.protected_names = ["Zoë"]
    store = Store(data)
    store.create_meeting(meeting)
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    live.add_entry(SECRET, private=True)
    if phase is not None:
        live.go_to(next(i for i, step in enumerate(live.steps) if step.phase.id == phase))
    return live


@asynccontextmanager
async def serving(data: Path, live: LiveMeeting, clock: Clock | None = None,
                  caps: dict[AccessKind, int] | None = None,
                  scribe_command: str | None = None,
                  naming: Naming = Naming.ANY,
                  pace: Pace | None = None) -> AsyncIterator[ShareServer]:
    server = ShareServer(data, live.meeting.id, clock=clock or live.clock, caps=caps,
                         scribe_command=scribe_command, naming=naming)
    if pace is not None:
        server.pace = pace
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
