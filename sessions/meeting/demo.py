"""A short demo meeting with a sample group and case, for trying Kring out."""

from __future__ import annotations

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Case, Meeting
from kring.sessions.model.protocol import Protocol, Role

_CASE = {
    "en": ("DEMO", "A pupil who stopped asking for help",
           "Since the autumn break a quiet pupil in year 2 no longer asks questions in my "
           "maths lessons, even when stuck. Last Tuesday I saw an empty page after 20 minutes.",
           "How do I notice sooner who needs me without asking?"),
    "nl": ("DEMO", "Een leerling die niet meer om hulp vraagt",
           "Sinds de herfstvakantie stelt een stille leerling uit de tweede klas geen vragen "
           "meer in mijn wiskundeles, ook niet als hij vastzit. Vorige dinsdag zag ik na "
           "twintig minuten een leeg blad.",
           "Hoe merk ik eerder wie mij nodig heeft zonder dat hij het vraagt?"),
}


def demo_meeting(protocol: Protocol, clock: Clock) -> Meeting:
    """Four fictional colleagues; the case mentions no real pupil."""
    prefix, title, summary, focus = _CASE.get(protocol.language, _CASE["en"])
    plan = MeetingPlan(protocol, community=f"{prefix} · CoP Passend onderwijs",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       goal=title, case=Case(title, summary, focus))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram",
                  Role.NOTE_TAKER: "Chantal", Role.TIMEKEEPER: "Dev"}
    plan.roles = {role: who for role, who in plan.roles.items() if role in protocol.roles}
    return plan.create(clock)
