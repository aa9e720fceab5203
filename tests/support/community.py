"""A seeded community: a year of meetings held through ``LiveMeeting`` on a real store, with a
roster, research consent, protected pupils, evaluations and action points, so that the
insights are checked against figures the seed knows by construction.

Everything is derived from the meeting's number ``n`` (no randomness): the tests recompute
what they expect from the same rules rather than reading it back from the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.consent import ConsentHistory
from kring.sessions.model.meeting import ActionStatus
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.templates import load_protocol
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

COMMUNITY = "CoP Passend onderwijs"
MEMBERS = ("Anouk Jansen", "Bram de Wit", "Chantal Bakker", "Dev Patel", "Eline Smit")
CONSENTING = MEMBERS[:4]  # Eline never consented: nothing about her may show
NOT_CONSENTING = "Eline Smit"
PUPILS = ("Milan", "Sanne", "Jayden")  # protected in every meeting that names them
# Phrases that recur on purpose: the themes should find them.
THEMES = ("werkhouding in de klas", "ouders betrekken", "rust en structuur")
FIRST_DAY = date(2026, 1, 12)
QUESTIONS = ("Wat heb je al geprobeerd rond {theme}?", "Wanneer merk je {theme} het meest?",
             "Hoe reageren collega's als {pupil} worstelt met {theme}?",
             "Wat zegt {pupil} zelf over {theme}?", "Wie helpt je nu met {theme}?")


@dataclass
class Seeded:
    store: Store
    meetings: list[str] = field(default_factory=list)  # ids, oldest first
    scores: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # id: (who, score)
    case_bringers: list[str] = field(default_factory=list)


def case_bringer(n: int) -> str:
    # Dev never brings a case: the rotation must name him.
    return ("Anouk Jansen", "Bram de Wit", "Chantal Bakker", "Eline Smit")[n % 4]


def seed_community(root: Path, count: int = 30, *, language: str = "nl",
                   protocol_id: str = "consultancy") -> Seeded:
    """``count`` meetings of ``COMMUNITY``, a week apart from ``FIRST_DAY``, in
    ``root / "data"``; consent granted to ``CONSENTING`` before the first meeting."""
    clock = FakeClock(datetime(2026, 1, 1, 9, 0, tzinfo=UTC))
    store = Store(root / "data", clock)
    history = ConsentHistory()
    for index, person in enumerate(CONSENTING):
        history = history.decide(f"c{index}", person, grant=True, on=date(2026, 1, 5))
    store.save_community(Community(COMMUNITY, members=list(MEMBERS), consents=history))
    protocol = load_protocol(BUILTIN_DIR / language / f"{protocol_id}.toml")
    seeded = Seeded(store)
    for n in range(count):
        day = FIRST_DAY + timedelta(weeks=n)
        clock.current = datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)
        pupil = PUPILS[n % len(PUPILS)]
        plan = MeetingPlan(protocol, community=COMMUNITY, date=day,
                           participants=list(MEMBERS))
        plan.roles = {Role.FACILITATOR: "Dev Patel", Role.CASE_BRINGER: case_bringer(n)}
        plan.case.title = f"{pupil} en {THEMES[n % 3]}"
        plan.case.focus_question = f"Hoe help ik {pupil} met {THEMES[(n + 1) % 3]}?"
        plan.protected_names = [pupil]
        meeting = plan.create(clock)
        store.create_meeting(meeting)
        live = LiveMeeting(meeting, [], store, clock)
        live.start()
        _hold(live, clock, n, pupil, seeded)
        seeded.meetings.append(meeting.id)
        seeded.case_bringers.append(case_bringer(n))
    return seeded


def _hold(live: LiveMeeting, clock: FakeClock, n: int, pupil: str, seeded: Seeded) -> None:
    """Every phase held: the first one minute over its plan in every meeting, the rest on
    time; in questioning phases a question each from Anouk, Bram and Chantal (never Eline or
    Dev); in the evaluation a learning, two action points and four evaluations."""
    first = True
    while True:
        phase = live.step.phase
        if phase.default_capture.value == "question":
            for k, who in enumerate(("Anouk Jansen", "Bram de Wit", "Chantal Bakker")):
                question = QUESTIONS[(n + k) % len(QUESTIONS)]
                live.add_line("v: " + question.format(pupil=pupil, theme=THEMES[(n + k) % 3])
                              + f" @{who}")
        if phase.kind.value == "evaluation":
            scores = [("Anouk Jansen", 4), ("Bram de Wit", 5), ("Chantal Bakker", 3 + n % 2),
                      ("Eline Smit", 1)]
            for who, score in scores:
                live.add_line(f"evaluatie: {score} {THEMES[(n + 2) % 3]} helpt @{who}")
            seeded.scores[live.meeting.id] = scores
            live.add_line(f"leerpunt: {THEMES[n % 3]} begint bij mezelf @Anouk Jansen")
            live.add_line(f"actie: @Bram de Wit belt de ouders van {pupil} voor: "
                          f"{(live.meeting.date + timedelta(days=14)).isoformat()}")
            live.add_line("actie: @Eline Smit deelt het stappenplan voor: "
                          f"{(live.meeting.date + timedelta(days=7)).isoformat()}")
        clock.advance(seconds=phase.seconds + (60 if first else 0))
        first = False
        if live.is_last_step:
            break
        live.next_phase()
    live.end()
    # Bram's call is done in even meetings; Eline's plan dropped in every third.
    for entry in live.entries:
        if entry.kind.value == "action" and entry.owner == "Bram de Wit" and n % 2 == 0:
            live.edit_entry(entry.id, status=ActionStatus.DONE)
        if entry.kind.value == "action" and entry.owner == "Eline Smit" and n % 3 == 0:
            live.edit_entry(entry.id, status=ActionStatus.DROPPED)
