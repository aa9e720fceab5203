"""A meeting held in the facilitator's window, for the projector to follow: an incident-method
meeting in progress with a pupil's name protected, and a dot-vote held in it."""

from __future__ import annotations

from pathlib import Path

from kring.sessions.meeting.changes import AddVoteResult
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.model.votes import VoteResult
from kring.sessions.store.facade import Store
from tests.support.catalog import CATALOG


def facilitator(data: Path, clock: FakeClock, *, meeting_id: str = "proj0001",
                protected: tuple[str, ...] = ("Zoë",)) -> LiveMeeting:
    """The facilitator's window: a meeting held through a Store of its own."""
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       case=Case("Why Zoë stopped asking", "Zoe sits at the back.",
                                 "How do I reach ZOË?"))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    meeting.id = meeting_id
    meeting.protected_names = list(protected)
    store = Store(data)
    store.create_meeting(meeting)
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    return live


def vote_held(data: Path, live: LiveMeeting, clock: FakeClock) -> None:
    """The round of positions with four positions (one private) and a closed dot-vote on
    them, its result stored as the share panel (tui/share/panel.py) stores one at its close."""
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "positions"))
    texts = ["Call the parents", "Talk to Zoë after class", "SECRET ask her mother",
             "Ask the mentor"]
    entries = [live.add_entry(text, Capture.POSITION, private=text.startswith("SECRET"))
               for text in texts]
    result = VoteResult(live.step.key, clock.now(), clock.now(), 2, 4,
                        [(e.id, n) for e, n in zip(entries, [2, 4, 5, 1], strict=True)])

    live.meeting = Store(data).apply(live.meeting.id, AddVoteResult(result))
