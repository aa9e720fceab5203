"""What the room may see (sessions/meeting/room.py): the phase, its rule, the timer and the
speakers, with every protected name as a pseudonym and no private entry anywhere."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest

from kring.sessions.documents.writing import write_minutes
from kring.sessions.i18n import use_language
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import RoomView, room_view
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.share.votes import vote_options
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from tests.support.minutes import live

PROTECTED = ["Anne-Marie", "Zoë"]

# Every way the protected names can be typed that the pseudonymizer promises to catch.
VARIANTS = ["Anne-Marie", "Anne Marie", "AnneMarie", "anne_marie", "Annemaries",
            "ANNE-MARIE's", "Änne-Marié", "Zoë", "zoe", "ZOË", "Zoe's", "Zo\u00ade"]


def folded(text: str) -> str:
    """Letters only, lower case, accents and invisible characters gone: an oracle written
    apart from the pseudonymizer."""
    plain = unicodedata.normalize("NFKD", text.replace("\u00ad", ""))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain.lower())


def leaks(view: RoomView) -> list[str]:
    return [text for text in view.texts if "annemarie" in folded(text) or "zoe" in folded(text)]


def meeting_naming_everyone(clock: FakeClock | None = None) -> LiveMeeting:
    variants = " / ".join(VARIANTS)
    meeting = live("incident", ["Anouk", "Bram", "Chantal", "Dev"],
                   Case(f"Why {VARIANTS[0]} left", f"Since March {variants} stays home.",
                        f"How do I reach {VARIANTS[7]}'s parents?"),
                   community="CoP Inclusion", clock=clock)
    meeting.protect_names(PROTECTED)
    return meeting


def test_the_view_shows_the_phase_its_rule_and_its_timer() -> None:
    clock = FakeClock()
    meeting = meeting_naming_everyone(clock)
    meeting.start()
    clock.advance(90)
    view = room_view(meeting, clock.now())
    assert (view.number, view.total) == (1, len(meeting.steps))
    assert view.title == meeting.step.phase.title
    assert view.speaking_rule == "Everyone speaks."
    assert view.instructions.strip()
    assert view.timer.planned == 600 and view.timer.remaining == 510
    assert view.timer.running and not view.timer.paused and not view.timer.overtime
    assert view.now_speaking == "Anouk" and view.next_speaking == "Bram"
    assert view.community == "CoP Inclusion" and not view.ended


def test_every_spelling_of_a_protected_name_becomes_a_pseudonym() -> None:
    meeting = meeting_naming_everyone()
    view = room_view(meeting, meeting.clock.now())
    assert leaks(view) == []
    assert view.case_title == "Why Pupil A left"
    assert "Pupil B" in view.focus_question
    assert view.case_summary.count("Pupil") == len(VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_protected_name_as_a_participant_is_hidden_where_they_speak(variant: str) -> None:
    clock = FakeClock()
    meeting = live("incident", ["Anouk", variant, "Dev"], Case("A case"),
                   roles={Role.FACILITATOR: variant, Role.CASE_BRINGER: variant}, clock=clock)
    meeting.protect_names(PROTECTED)
    for index in range(len(meeting.steps)):
        meeting.go_to(index)
        for _ in range(3):
            view = room_view(meeting, clock.now())
            assert leaks(view) == [], (index, view)
            meeting.next_turn()


def test_no_private_entry_reaches_the_room() -> None:
    meeting = meeting_naming_everyone()
    meeting.start()
    meeting.add_entry("SECRET the mother drinks", Capture.NOTE, private=True)
    meeting.add_entry("A question for everyone", Capture.QUESTION)
    for index in range(len(meeting.steps)):
        meeting.go_to(index)
        meeting.add_entry(f"SECRET note {index}", Capture.NOTE, private=True)
        view = room_view(meeting, meeting.clock.now())
        assert not [text for text in view.texts if "SECRET" in text]
    # The view holds no entries at all: nothing typed in the meeting is a field of it.
    assert not [f.name for f in fields(RoomView) if "entr" in f.name]


@pytest.mark.parametrize(("meeting_language", "word"), [("en", "Pupil"), ("nl", "Leerling")])
def test_one_word_for_a_pupil_per_meeting_whatever_the_interface_speaks(
        tmp_path: Path, meeting_language: str, word: str) -> None:
    """An English meeting in a Dutch interface once said "Leerling A" on the wall and "Pupil
    A" in the list, on the home screen and in the minutes: the meeting's language decides."""
    meeting = meeting_naming_everyone()
    meeting.start()
    meeting.add_entry("Zoë hid behind the door", Capture.QUESTION)
    meeting.meeting.language = meeting_language  # as set up (after start: the record's copy)
    use_language("nl" if meeting_language == "en" else "en")  # conftest restores English
    store = Store(tmp_path / "data")
    store.create_meeting(meeting.meeting)
    store.apply(meeting.meeting.id, AddEntry(meeting.entries[-1]))
    [summary] = store.list_meetings()
    minutes = write_minutes(store.load(meeting.meeting.id), tmp_path / "minutes", now=None)
    said = {
        "projector": room_view(meeting, meeting.clock.now()).case_title,
        "home": summary.public_case,
        "vote": vote_options(meeting)[0].text,
        "minutes": minutes[0].read_text(encoding="utf-8"),
    }
    for where, text in said.items():
        assert re.search(rf"\b{word} [AB]\b", text), where
        assert ("Leerling" if word == "Pupil" else "Pupil") not in text, where


def test_overtime_and_warning() -> None:
    clock = FakeClock()
    meeting = meeting_naming_everyone(clock)
    meeting.start()
    clock.advance(9 * 60 + 30)
    assert room_view(meeting, clock.now()).timer.warning
    clock.advance(60)
    timer = room_view(meeting, clock.now()).timer
    assert timer.overtime and timer.remaining == -30 and not timer.warning


def test_a_view_moves_on_by_itself_unless_paused() -> None:
    clock = FakeClock()
    meeting = meeting_naming_everyone(clock)
    meeting.start()
    view = room_view(meeting, clock.now())
    later = clock.now() + timedelta(seconds=75)
    assert view.at(later).timer.remaining == 600 - 75
    # Moved on a quarter second at a time it keeps the same time as moved on at once.
    stepped = view
    for quarter in range(1, 301):
        stepped = stepped.at(clock.now() + timedelta(seconds=quarter / 4))
    assert stepped.timer.remaining == 600 - 75
    meeting.pause()
    paused = room_view(meeting, clock.now())
    assert paused.timer.paused and not paused.timer.running
    assert paused.at(later).timer.remaining == 600


def test_an_ended_meeting_says_so_and_its_timer_stands_still() -> None:
    clock = FakeClock()
    meeting = meeting_naming_everyone(clock)
    meeting.start()
    clock.advance(60)
    meeting.end()
    view = room_view(meeting, clock.now())
    assert view.ended and not view.timer.running
    assert view.at(clock.now() + timedelta(minutes=5)) == view


def test_a_round_in_a_block_names_its_client() -> None:
    meeting = live("troika", ["Anouk", "Bram", "Chantal"], Case("A case"))
    blocked = next(i for i, step in enumerate(meeting.steps) if step.client)
    meeting.go_to(blocked)
    view = room_view(meeting, meeting.clock.now())
    assert view.round >= 1 and view.rounds >= view.round and view.client


def test_the_phase_s_last_closed_vote_is_shown_most_votes_first_without_private_options() -> None:
    from kring.sessions.meeting.room import VOTE_ROWS
    from kring.sessions.model.votes import VoteResult

    clock = FakeClock()
    meeting = meeting_naming_everyone(clock)
    meeting.start()
    meeting.go_to(next(i for i, s in enumerate(meeting.steps) if s.phase.id == "positions"))
    assert room_view(meeting, clock.now()).tally is None  # no vote held: nothing shown
    texts = ["Call the parents", "Talk to Zoë after class", "SECRET ask the mother",
             *[f"Idea {n}" for n in range(6)]]
    entries = [meeting.add_entry(text, Capture.POSITION, private=text.startswith("SECRET"))
               for text in texts]
    gone = meeting.add_entry("Deleted later", Capture.POSITION)
    counts = [2, 5, 9, 1, 0, 3, 1, 1, 0]
    meeting.meeting.votes.append(VoteResult(meeting.step.key, clock.now(), clock.now(), 3, 4,
                                            [(e.id, 1) for e in entries]))
    meeting.meeting.votes.append(VoteResult(
        meeting.step.key, clock.now(), clock.now(), 3, 6,
        [*[(e.id, n) for e, n in zip(entries, counts, strict=True)], (gone.id, 7)]))
    meeting.delete_entry(gone.id)
    tally = room_view(meeting, clock.now()).tally
    assert tally is not None and (tally.voters, tally.each) == (6, 3)  # the step's last vote
    assert tally.rows[:3] == (("Talk to Pupil B after class", 5), ("Idea 2", 3),
                              ("Call the parents", 2))
    assert [n for _t, n in tally.rows] == [5, 3, 2, 1, 1] and len(tally.rows) == VOTE_ROWS
    assert tally.rows[3:] == (("Idea 0", 1), ("Idea 3", 1))  # ties: in the order offered
    view = room_view(meeting, clock.now())
    assert "Talk to Pupil B after class" in view.texts and leaks(view) == []
    assert not [text for text in view.texts if "SECRET" in text or "Deleted" in text]
    meeting.go_to(meeting.step_index - 1)
    assert room_view(meeting, clock.now()).tally is None  # another phase: not its vote
