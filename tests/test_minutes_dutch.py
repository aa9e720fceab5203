"""A whole meeting held in Dutch gives Dutch minutes, compared byte for byte with
tests/golden/minutes-incident-nl.md; whatever language the interface speaks meanwhile.

After an intended change, regenerate and read the diff before committing:

    KRING_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_minutes_dutch.py
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from kring.sessions.documents.minutes import render_markdown
from kring.sessions.i18n import use_language
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import ActionStatus, Case, Entry, Meeting, ReviewNote
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.protocols.templates import load_protocol
from kring.templates import BUILTIN_DIR
from tests.support.golden import check
from tests.support.minutes import Recorder


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    use_language("en")


def dutch_incident_meeting() -> tuple[Meeting, list[Entry]]:
    """The incident method in Dutch, as a Dutch CoP would hold it: every kind of entry, a
    skipped phase, added minutes, a pause, a private note, action points with and without an
    owner or a due date, a note from a phase the protocol no longer has, a protected pupil's
    name and the review of an earlier action point."""
    clock = FakeClock()
    protocol = load_protocol(BUILTIN_DIR / "nl" / "incident.toml")
    people = ["Anouk", "Bram", "Chantal", "Dewi"]
    plan = MeetingPlan(
        protocol, community="CoP Passend onderwijs", date=date(2026, 11, 25),
        participants=people, goal="Oefenen met *feitelijke* vragen stellen",
        case=Case("Een leerling die geen hulp meer vraagt",
                  "Sinds de herfstvakantie stelt een stille leerling geen vragen meer.\n"
                  "Afgelopen dinsdag: na twintig minuten nog een leeg blad.",
                  "Hoe merk ik eerder wie mij nodig heeft?"),
        protected_names=["Daan"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram",
                  Role.NOTE_TAKER: "Chantal", Role.TIMEKEEPER: "Dewi"}
    meeting = plan.create(clock)
    meeting.id = "m0001"
    live = LiveMeeting(meeting, [], Recorder(meeting), clock, protocol)
    live.start()

    def after(minutes: float) -> None:
        clock.advance(minutes=minutes)

    # 1. Kies een incident
    live.add_entry("Drie incidenten genoemd; de groep kiest dat van Bram.", Capture.DECISION)
    after(11)
    live.next_phase()
    # 2. De inbrenger schetst het incident
    live.add_entry("De leerling is stil sinds de herfstvakantie.", Capture.FACT)
    live.add_entry("daan zit achterin, bij het raam.", Capture.FACT)
    live.add_entry("Bram leek moe vandaag.", Capture.NOTE, private=True)
    after(4.5)
    live.next_phase()
    # 3. Ieder schrijft feitelijke vragen op: overgeslagen
    after(0.5)
    live.skip_phase()
    # 4. Informatieronde, met een pauze en vijf minuten erbij
    live.add_entry("Wat gebeurde er vlak daarvoor?", Capture.QUESTION, author="Chantal")
    live.add_entry("De klas had net een toets terug.", Capture.FACT)
    live.add_entry("Waar stond je precies?", Capture.QUESTION, author="Dewi")
    after(6)
    live.pause()
    after(3)
    live.resume()
    live.add_minutes(5)
    after(16)
    live.next_phase()
    # 5. Analyse van de situatie
    live.add_entry("Kern: hij verwacht niet dat hulp helpt.", Capture.REFLECTION, author="Dewi")
    after(9)
    live.next_phase()
    # 6. Wat had jij gedaan? Schrijf het op
    after(5)
    live.next_phase()
    # 7. Standpuntenronde
    live.add_entry("Ik was naast hem gaan zitten.", Capture.POSITION, author="Dewi")
    live.add_entry("Ik had de hele klas een eerste stap laten zien.", Capture.POSITION,
                   author="Anouk")
    after(12)
    live.next_phase()
    # 8. Wat de inbrenger werkelijk deed
    live.add_entry("Bram liet het zo en sprak hem na de les aan.", Capture.FACT)
    after(5)
    live.next_phase()
    # 9. Nabespreking
    live.add_entry("Elke les even bij hem langs aan het begin", Capture.ACTION,
                   owner="Bram", due=date(2026, 12, 1))
    live.add_entry("De mentor vragen wat er na de vakantie veranderd is", Capture.ACTION,
                   owner="Chantal")
    live.add_entry("De kaart *eerste stap* delen met het team", Capture.ACTION, author="Dewi")
    live.add_entry("Stil zijn is iets anders dan het redden.", Capture.LEARNING, author="Bram")
    after(8)
    live.next_phase()
    # 10. Evaluatie
    live.add_entry("Goed tempo; de schrijffase hebben we gemist.", Capture.REFLECTION)
    after(6)
    live.end()
    live.add_entry("Bewaard uit een oudere versie van de methode.", Capture.NOTE)
    live.edit_entry(live.entries[-1].id, step="oude-fase")
    record = live.meeting
    record.reviews = [ReviewNote(
        entry_id="e0007", meeting_id="m0000", meeting_date=date(2026, 11, 4),
        text="Met de mentor van Daan de plattegrond bespreken", owner="Anouk",
        due=date(2026, 11, 18), status=ActionStatus.DONE, on=date(2026, 11, 25),
        comment="DAAN zit nu vooraan.")]
    return record, list(live.entries)


def test_dutch_minutes_match_the_golden_file() -> None:
    meeting, entries = dutch_incident_meeting()
    assert meeting.language == "nl"
    check("minutes-incident-nl.md", render_markdown(meeting, entries))


def test_the_minutes_follow_the_meeting_not_the_interface() -> None:
    meeting, entries = dutch_incident_meeting()
    use_language("en")
    dutch = render_markdown(meeting, entries)
    assert "## Actiepunten" in dutch and "## Action points" not in dutch
    assert "gespreksleider" in dutch
    use_language("nl")
    meeting.language = "en"
    english = render_markdown(meeting, entries)
    assert "## Action points" in english and "## Actiepunten" not in english


def test_a_private_note_never_reaches_the_dutch_minutes() -> None:
    assert "moe vandaag" not in render_markdown(*dutch_incident_meeting())


def test_dutch_minutes_write_dates_durations_and_pseudonyms_in_dutch() -> None:
    markdown = render_markdown(*dutch_incident_meeting())
    assert "25 november 2026" in markdown and "uiterlijk 1 december 2026" in markdown
    assert "| **1 uur 18 min** |" in markdown
    assert "Leerling A zit achterin" in markdown and "Leerling A zit nu vooraan" in markdown
    assert not re.search(r"\bdaan\b", markdown, re.IGNORECASE)  # "gedaan" is fine
    assert "## Terugblik op de actiepunten" in markdown


def test_an_amendment_after_the_meeting_is_noted_in_the_minutes() -> None:
    meeting, entries = dutch_incident_meeting()
    assert "Aangevuld" not in render_markdown(meeting, entries)
    meeting.amended_at = [datetime(2026, 11, 26, 13, 5, tzinfo=UTC),
                          datetime(2026, 11, 27, 8, 10, tzinfo=UTC)]
    text = render_markdown(meeting, entries)
    assert ("Aangevuld na de bijeenkomst: 26 november 2026 13:05 UTC; "
            "27 november 2026 08:10 UTC.") in text
    meeting.language = "en"
    assert "Amended after the meeting: 26 November 2026 13:05 UTC; " in \
        render_markdown(meeting, entries)
