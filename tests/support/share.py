"""What the share tests have in common: a meeting held in a data folder, a share server on
loopback for it, started and stopped within the test's event loop, and instructions that try
to be more than formatting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Case, Meeting
from kring.sessions.model.protocol import Role
from kring.sessions.share.access import AccessKind
from kring.sessions.share.naming import Naming
from kring.sessions.store.facade import Store
from kring.tui.share.pace import Pace
from kring.tui.share.server import ShareServer
from tests.support.catalog import CATALOG
from tests.support.store import Mutate

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


HOSTILE = """Write **your own** question, then *read it aloud*.

- one question a person
- [the method](https://evil.example/track?me=1) explains why, see <https://auto.example/x>
- and www.example.org/page

<script>alert('x')</script> <img src=x onerror="alert(1)"> ![a photo](http://img.example/a.png)
"""


def hostile_instructions(data: Path, meeting_id: str) -> None:
    """Every phase's instructions replaced by ``HOSTILE``, as an edited protocol template could
    have them."""
    def edit(meeting: Meeting) -> Meeting:
        for phase in meeting.protocol["phases"]:
            phase["instructions"] = HOSTILE
        return meeting

    Store(data).apply(meeting_id, Mutate(edit))
