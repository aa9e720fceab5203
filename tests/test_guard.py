"""The privacy guard's rules around the spotter (issue 25), without loading it: what is known
(participants, protected names, dismissed words), which dates matter, compounds, what of a
meeting is looked at, the community's dismissed words across laptops, and the cache built
once and whole. The spotter itself is measured in test_guard_quality.py."""

from __future__ import annotations

import re
import threading
from datetime import date
from pathlib import Path

import pytest

from kring.sessions.guard.cache import build_into, cache_folder, is_built
from kring.sessions.guard.kinds import Kind
from kring.sessions.guard.meeting import CASE_TITLE, FOCUS_QUESTION, meeting_findings
from kring.sessions.guard.spotting import Known, Span, worth_asking
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Capture
from kring.sessions.store.rosters import dismiss_words, dismissed_words
from tests.support.laptops import TEAM, Laptop, sync
from tests.support.minutes import live

TODAY = date(2026, 12, 6)


def capitals(text: str) -> list[Span]:
    """A stand-in spotter: every capitalised word is a name, every date a date."""
    spans = [Span(m.start(), m.end(), m.group(), Kind.PERSON)
             for m in re.finditer(r"\b[A-Z][a-zë]+(?: de [A-Z][a-z]+)?", text)]
    spans += [Span(m.start(), m.end(), m.group(), Kind.BIRTH_DATE)
              for m in re.finditer(r"\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}", text)]
    return spans


NOBODY = Known()


def asked(text: str, known: Known = NOBODY) -> list[str]:
    return [span.text for span in worth_asking(capitals(text), text, known, TODAY)]


def test_participants_and_any_part_of_their_names_are_known() -> None:
    known = Known.of(["Bram de Wit", "Zoë"])
    assert asked("Bram said Sanne left", known) == ["Sanne"]
    assert asked("Zoe and Wit agreed", known) == []  # no accents, surname alone: still them


def test_a_protected_name_is_known_whole_but_a_part_of_it_is_asked_about() -> None:
    """"Daan" where "Daan de Vries" is protected is not pseudonymised: exactly what to spot."""
    known = Known.of([], protected=["Daan de Vries"])
    assert asked("Daan de Vries called", known) == []
    assert asked("Daan called", known) == ["Daan"]


def test_dismissed_words_are_known() -> None:
    known = Known.of([], dismissed=["Mark"])
    assert asked("Mark the question, Sanne", known) == ["Sanne"]


def test_only_a_date_of_birth_is_asked_about_never_a_due_date() -> None:
    assert asked("actie: bellen voor 2026-12-10") == []
    assert asked("na 12-03-2025 beter") == []  # last year: an event, not a birthday
    assert asked("Dossier from 12-03-2015 says") == ["Dossier", "12-03-2015"]
    assert asked("geboren 2024-01-05, nu in groep 1") == ["2024-01-05"]  # said so


def test_a_name_joined_to_a_lower_case_word_is_a_compound() -> None:
    assert asked("de Groot-lijst en Summer-born") == []
    assert "Jansen" in asked("Sanne Jansen-de Vries belt")  # a double surname is a name


def test_a_meeting_is_looked_at_where_others_read_it_and_private_entries_are_not() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"],
                   Case("Why Sanne left", "", "How do I reach Milan?"))
    meeting.start()
    shown = meeting.add_entry("Jayden pushed her", Capture.FACT)
    meeting.add_entry("Kevin hits at home", Capture.NOTE, private=True)  # never leaves
    meeting.add_entry("Anouk asks what Bram tried", Capture.QUESTION)
    found = meeting_findings(meeting, capitals, today=TODAY)
    assert [(f.where, f.span.text) for f in found] == [
        (CASE_TITLE, "Why"), (CASE_TITLE, "Sanne"), (FOCUS_QUESTION, "How"),
        (FOCUS_QUESTION, "Milan"), (shown.id, "Jayden")]
    assert all(f.protectable for f in found)


def test_dismissals_on_two_laptops_offline_are_both_kept(tmp_path: Path,
                                                         clock: FakeClock) -> None:
    a, b = Laptop(tmp_path, "a", clock), Laptop(tmp_path, "b", clock)
    dismiss_words(a.store, TEAM, ["Mark"])
    sync(a, b)
    dismiss_words(a.store, TEAM, ["Groot"])
    dismiss_words(b.store, TEAM, ["Storm", "mark"])  # "mark": dismissed already, as typed
    sync(a, b)
    for laptop in (a, b):
        assert sorted(dismissed_words(laptop.fresh(), TEAM)) == ["Groot", "Mark", "Storm"]


def test_the_cache_is_built_once_and_whole(tmp_path: Path) -> None:
    folder = cache_folder(tmp_path / "state", "3.0.6", environ={})
    assert folder == tmp_path / "state" / "guard" / "deduce-3.0.6"
    assert cache_folder(tmp_path, "3.0.6", {"KRING_GUARD_CACHE": "/shared"}) == Path(
        "/shared/deduce-3.0.6")

    def broken(into: Path) -> None:
        (into / "cache").mkdir()
        (into / "cache" / "lookup_structs.pickle").write_bytes(b"half")
        raise MemoryError("killed halfway")

    stale = folder.with_name(f"{folder.name}.building-99999")  # a build killed mid-way
    (stale / "cache").mkdir(parents=True)
    with pytest.raises(MemoryError):
        build_into(folder, broken)
    assert not stale.exists()  # cleared by the next build
    assert not folder.exists()  # nothing half-written where it is read from
    assert [p.name for p in folder.parent.iterdir()] == ["deduce-3.0.6.lock"]

    builds: list[int] = []

    def build(into: Path) -> None:
        builds.append(1)
        (into / "cache").mkdir()
        (into / "cache" / "lookup_structs.pickle").write_bytes(b"whole")

    threads = [threading.Thread(target=build_into, args=(folder, build)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert builds == [1] and is_built(folder)


def test_a_participant_inside_a_longer_span_is_the_participant() -> None:
    """The spotter took "What Anouk" for one name once, in "Edited: What Anouk noticed"."""
    known = Known.of(["Anouk"])
    span = Span(8, 18, "What Anouk", Kind.PERSON)
    assert worth_asking([span], "Edited: What Anouk noticed", known, TODAY) == []


def test_a_protected_name_after_a_sentences_first_word_is_the_protected_name() -> None:
    """The spotter took "Why Zoë" for one name in a case titled "Why Zoë stopped asking"."""
    known = Known.of([], protected=["Zoë"])
    text = "Why Zoë stopped asking. Then Zoë Jansen left"
    spans = [Span(0, 7, "Why Zoë", Kind.PERSON), Span(29, 39, "Zoë Jansen", Kind.PERSON)]
    # Mid-sentence, the word before is no sentence's opening: "Zoë Jansen" is a longer name.
    assert [s.text for s in worth_asking(spans, text, known, TODAY)] == ["Zoë Jansen"]
    assert worth_asking([Span(0, 7, "Why Zoë", Kind.PERSON)], "Why Zoë", Known(), TODAY)
