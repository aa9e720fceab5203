"""Meetings for the minutes tests, held through ``LiveMeeting`` with a fake clock, as a note-taker
would hold them: an incident-method meeting and a Troika meeting, both ended, the Markdown-hostile
texts typed in them, and the in-memory recorder they are held on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar

from kring.sessions.documents.writing import write_minutes
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import (
    ActionStatus,
    Case,
    Entry,
    Meeting,
    ReviewNote,
    StatusChange,
)
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.protocols.templates import load_protocol
from kring.templates import BUILTIN_DIR
from tests.support.live import MemoryRecorder

R = TypeVar("R")


class Recorder(MemoryRecorder):
    """A store in memory whose entry ids are predictable: an entry added is given the next
    id, on the entry itself too, so the window holding it shows that id."""

    def _put(self, entry: Entry) -> None:
        entry.id = f"e{len(self.entries) + 1:04d}"
        super()._put(entry)


def live(protocol_id: str, people: list[str], case: Case, *, community: str = "CoP Inclusion",
         goal: str = "", roles: dict[Role, str] | None = None,
         clock: FakeClock | None = None, meeting_id: str = "m0001") -> LiveMeeting:
    protocol = load_protocol(BUILTIN_DIR / "en" / f"{protocol_id}.toml")
    plan = MeetingPlan(protocol, community=community, date=date(2026, 11, 25),
                       participants=list(people), goal=goal, case=case)
    plan.roles = roles if roles is not None else {Role.FACILITATOR: people[0],
                                                  Role.CASE_BRINGER: people[1]}
    clock = clock or FakeClock()
    meeting = plan.create(clock)
    meeting.id = meeting_id
    return LiveMeeting(meeting, [], Recorder(meeting), clock, protocol)


HOSTILE = [
    "# Not a heading",
    "- not a list item",
    "1. not a numbered item",
    "> not a quote",
    "| not | a | table |",
    "`code` and ``` fences",
    "<script>alert('x')</script>",
    "[a link](https://example.org) and ![an image](x.png)",
    "**not bold** and _not italic_ and ~~not struck~~",
    "&amp; &lt;b&gt; &#60; stay as typed",
    "first line\nsecond line\r\n- third line\n\n    fourth, indented",
    "a very long line " * 40,
]


PUPIL = "Zoë"  # the name the incident meeting protects


def earlier_action(entry_id: str, text: str, owner: str, status: ActionStatus, *,
                   due: date | None = None, comment: str = "",
                   private: bool = False) -> ReviewNote:
    """How an action point of the meeting of 4 November was reviewed on 25 November."""
    return ReviewNote(entry_id=entry_id, meeting_id="m0000", meeting_date=date(2026, 11, 4),
                      text=text, owner=owner, due=due, status=status, on=date(2026, 11, 25),
                      comment=comment, private=private)


def incident_meeting() -> tuple[Meeting, list[Entry]]:
    """An incident-method meeting, ended, with every kind of entry, a skipped phase, added
    minutes, a pause, a private entry and Markdown-hostile text. A pupil's name is protected
    and typed in other spellings ("zoe", "ZOË's"); the meeting opened with a review of an
    earlier meeting's action points (one private); and, reviewed in a later meeting since, one
    of its own action points is done and another dropped."""
    clock = FakeClock()
    people = ["Anouk", "Bram", "Chantal", "Dev"]
    meeting = live(
        "incident", people,
        Case("A pupil who stopped asking for help",
             "Since the autumn break a quiet pupil no longer asks questions.\n"
             "Last Tuesday: an empty page after 20 minutes.",
             "How do I notice sooner who needs me?"),
        goal="Practise asking *factual* questions", clock=clock,
        roles={Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram",
               Role.NOTE_TAKER: "Chantal", Role.TIMEKEEPER: "Dev"})
    meeting.protect_names([PUPIL])
    meeting.start()

    def after(minutes: float) -> None:
        clock.advance(minutes=minutes)

    # 1. choose
    meeting.add_entry("Three incidents named; the group picks Bram's.", Capture.DECISION)
    meeting.add_entry("Chantal's incident is kept for next time.")
    after(11)
    meeting.next_phase()
    # 2. sketch
    meeting.add_entry("The pupil has been quiet since the autumn break.", Capture.FACT)
    meeting.add_entry("zoe sits at the back, next to the window.", Capture.FACT)
    meeting.add_entry("! Bram seemed tired today.", Capture.NOTE, private=True)
    after(4.5)
    meeting.next_phase()
    # 3. write-questions: skipped
    after(0.5)
    meeting.skip_phase()
    # 4. questions, with a pause
    meeting.add_entry("What happened just before?", Capture.QUESTION, author="Chantal")
    meeting.add_entry("The class had just had a test back.", Capture.FACT)
    meeting.add_entry("Where were you standing?", Capture.QUESTION, author="Dev")
    meeting.add_entry(HOSTILE[0], Capture.QUESTION, author="Anouk")
    after(6)
    meeting.pause()
    after(3)
    meeting.resume()
    meeting.add_minutes(5)
    for number, text in enumerate(HOSTILE[1:6], start=1):
        meeting.add_entry(text, Capture.NOTE, author="Dev" if number % 2 else None)
    after(16)
    meeting.next_phase()
    # 5. analysis
    meeting.add_entry("The core problem: he does not expect help to help.", Capture.REFLECTION,
                      author="Dev")
    meeting.add_entry(HOSTILE[6], Capture.REFLECTION, author="Chantal")
    after(9)
    meeting.next_phase()
    # 6. write-positions
    after(5)
    meeting.next_phase()
    # 7. positions: by participant, in speaking order that differs from the roster
    meeting.add_entry("I would have sat down next to him.", Capture.POSITION, author="Dev")
    meeting.add_entry("I would have asked the whole class to show a first step.",
                      Capture.POSITION, author="Anouk")
    meeting.add_entry("I would have waited until after the lesson.", Capture.POSITION,
                      author="Dev")
    meeting.add_entry(HOSTILE[7], Capture.POSITION, author="Chantal")
    meeting.add_entry(HOSTILE[8], Capture.POSITION)
    after(12)
    meeting.next_phase()
    # 8. actual
    meeting.add_entry(HOSTILE[9], Capture.FACT)
    meeting.add_entry("ZOË's mother called the next morning.", Capture.NOTE, author="Bram")
    meeting.add_entry(HOSTILE[10], Capture.NOTE)
    after(5)
    meeting.next_phase()
    # 9. closing
    meeting.add_entry("Check in with him at the start of every lesson", Capture.ACTION,
                      owner="Bram", due=date(2026, 12, 1))
    meeting.add_entry("Ask the mentor what changed after the break", Capture.ACTION,
                      owner="Chantal")
    meeting.add_entry("Share the *first step* card\nwith the team", Capture.ACTION,
                      author="Dev")
    meeting.add_entry("Silence is not the same as coping.", Capture.LEARNING, author="Bram")
    meeting.add_entry("We keep asking why-questions.", Capture.REFLECTION, author="Anouk")
    after(8)
    meeting.next_phase()
    # 10. evaluation
    meeting.add_entry(HOSTILE[11], Capture.LEARNING, author="Chantal")
    meeting.add_entry("Good pace, the write phase was missed.", Capture.REFLECTION)
    after(6)
    meeting.end()
    # A note moved to a phase the protocol does not have: it must still be in the minutes.
    meeting.add_entry("Kept from an older version of the protocol.", Capture.NOTE)
    meeting.edit_entry(meeting.entries[-1].id, step="old-phase")
    # Reviewed in the meeting after this one: one action point done, one dropped.
    actions = [e for e in meeting.entries if e.kind is Capture.ACTION]
    for action, status in zip(actions[1:], (ActionStatus.DONE, ActionStatus.DROPPED),
                              strict=True):
        meeting.edit_entry(action.id, status=status, history=[
            StatusChange(status, date(2026, 12, 9), "m0002")])
    record = meeting.meeting
    # The review this meeting opened with, of an earlier meeting's action points.
    record.reviews = [
        earlier_action("e0007", "Ask Zoë's mentor about the seating plan", "Anouk",
                       ActionStatus.DONE, due=date(2026, 11, 18),
                       comment="zoe now sits at the front."),
        earlier_action("e0008", "Talk to the parents of the girl in 2B", "Dev",
                       ActionStatus.CARRIED_ON),
        earlier_action("e0009", "secret review of a private action point", "Chantal",
                       ActionStatus.DROPPED, private=True),
    ]
    return record, list(meeting.entries)


def troika_meeting() -> tuple[Meeting, list[Entry]]:
    """A Troika meeting of three, ended, every participant taking a turn as client."""
    clock = FakeClock()
    people = ["Anouk", "Bram", "Chantal"]
    meeting = live("troika", people,
                   Case("Three challenges, three rounds", "", "What is my next step?"),
                   community="Team 4B · Wiskunde", goal="Quick, frank advice for each",
                   clock=clock)
    meeting.start()
    meeting.add_entry("Everyone wrote down a challenge.")
    clock.advance(minutes=1.5)
    meeting.next_phase()
    challenges = {
        "Anouk": "Parents who mail late at night",
        "Bram": "A class that will not start quietly",
        "Chantal": "Marking takes my weekends",
    }
    for client in people:
        others = [p for p in people if p != client]
        meeting.add_entry(challenges[client], author=client)  # share
        clock.advance(minutes=2)
        meeting.next_phase()
        meeting.add_entry("What have you tried so far?", Capture.QUESTION, author=others[0])
        meeting.add_entry("Only answering the next morning.", Capture.FACT, author=client)
        clock.advance(minutes=2, seconds=40)
        meeting.next_phase()
        meeting.add_entry(f"{client} could try a fixed time slot.", Capture.POSITION,
                          author=others[1])
        meeting.add_entry("Name it in the first lesson.", Capture.POSITION, author=others[0])
        clock.advance(minutes=4, seconds=20)
        meeting.next_phase()
        meeting.add_entry("A fixed slot, starting Monday.", Capture.ACTION, owner=client,
                          due=date(2026, 12, 7))
        meeting.add_entry("Frank advice is easier from two people.", Capture.LEARNING,
                          author=client)
        clock.advance(minutes=2)
        if client != people[-1]:
            meeting.next_phase()
    meeting.end()
    return meeting.meeting, list(meeting.entries)


def write_minutes_of(folder: Path, meeting: Meeting, entries: Sequence[Entry], *,
                     html: bool = False) -> list[Path]:
    """The minutes files of ``meeting`` and ``entries`` as Kring writes them (its one writer,
    ``documents/writing.py``), for tests that build the two apart."""
    return write_minutes(SimpleNamespace(meeting=meeting, entries=list(entries)), folder,
                         now=None, html=html)
