"""The second loop: a case shared from a school's intervision group to the CoP's own folder,
with the case-bringer's consent, and only what was chosen, as the room may see it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.care.carry import ConsentError, Part, carried_meeting
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.store.facade import Store
from kring.tui.cli import guarding, main

START = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
PUPIL = "Daan Jansen"


@pytest.fixture(autouse=True)
def guard_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The privacy guard before carrying is tests/test_guard_cli.py's: here it lets all pass."""
    monkeypatch.setattr(guarding, "refused_for_findings", lambda *_args, **_kwargs: None)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def note(number: int, kind: Capture, text: str, **fields: object) -> Entry:
    return Entry(id=f"e{number}", kind=kind, text=text, step="s",
                 created_at=START + timedelta(minutes=number), author="Anna", **fields)


@pytest.fixture
def school(data: Path) -> Store:
    store = Store(data)
    store.create_meeting(Meeting(
        id="school1", community="Team 4B", date=date(2026, 11, 20), protocol={"id": "x"},
        created_at=START, participants=["Anna", "Bram de Wit", "Chris"],
        roles={Role.CASE_BRINGER.value: "Bram de Wit", Role.FACILITATOR.value: "Anna"},
        case=Case(title=f"{PUPIL} walks out", summary=f"{PUPIL} left the room twice."),
        protected_names=[PUPIL]), [
        note(1, Capture.LEARNING, f"Ask {PUPIL} first, before the class"),
        note(2, Capture.ACTION, f"Call {PUPIL}'s parents", owner="Bram de Wit"),
        note(3, Capture.ACTION, "Tell the mentor about Daan", private=True),
        note(4, Capture.QUESTION, "What happened before?"),
    ])
    return store


def cop_folder(isolated_folders: Path) -> Path:
    config = isolated_folders / "config"
    config.mkdir(exist_ok=True)
    cop = isolated_folders / "cop"
    (config / "config.toml").write_text(f'[folders]\n"CoP Inclusion" = "{cop}"\n',
                                        encoding="utf-8")
    return cop


def every_byte(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def test_a_case_travels_to_the_cop_s_folder_as_the_room_may_see_it(
        school: Store, isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cop = cop_folder(isolated_folders)
    code, out, err = run(capsys, "carry", "latest", "--to", "cop inclusion",
                         "--consent-of", "bram")
    assert (code, err) == (0, "") and "2 entries" in out
    record = Store(cop).load("school1")
    assert record.meeting.community == "cop inclusion"
    assert record.meeting.case.title == "Pupil A walks out"
    assert record.meeting.participants == [] and record.meeting.roles == {}
    assert [(e.kind, e.text, e.author) for e in record.entries] == [
        (Capture.LEARNING, "Ask Pupil A first, before the class", None),
        (Capture.ACTION, "Call Pupil A's parents", None)]
    assert record.entries[1].owner == "Bram de Wit"
    stored = every_byte(cop)
    for secret in (b"Daan", b"Jansen", b"mentor", b"What happened", b"Chris"):
        assert secret not in stored
    # Carrying again updates the copy; nothing is doubled.
    assert run(capsys, "carry", "school1", "--to", "CoP Inclusion", "--consent-of",
               "Bram de Wit")[0] == 0
    assert len(Store(cop).load("school1").entries) == 2


def test_only_the_chosen_parts_travel(school: Store, isolated_folders: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    cop = cop_folder(isolated_folders)
    assert run(capsys, "carry", "school1", "--to", "CoP Inclusion", "--consent-of", "Bram",
               "--learnings")[0] == 0
    record = Store(cop).load("school1")
    assert record.meeting.case.title == ""
    assert [e.kind for e in record.entries] == [Capture.LEARNING]


def test_without_the_case_bringer_s_consent_or_a_folder_nothing_travels(
        school: Store, isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "carry", "school1", "--to", "CoP Inclusion",
                       "--consent-of", "Bram")
    assert code == 1 and "[folders]" in err and "Traceback" not in err
    cop = cop_folder(isolated_folders)
    code, _, err = run(capsys, "carry", "school1", "--to", "CoP Inclusion",
                       "--consent-of", "Anna")
    assert code == 1 and "case-bringer" in err
    assert not cop.exists()
    code, _, err = run(capsys, "carry", "nope", "--to", "CoP Inclusion", "--consent-of", "B")
    assert code == 1 and "nope" in err
    code, _, err = run(capsys, "carry", "school1", "--to", "X", "--to-data",
                       str(isolated_folders / "data"), "--consent-of", "Bram")
    assert code == 1 and "already" in err


# -- owners: by name only with their own consent ----------------------------------------------

TEAM = ["Anna", "Bram de Wit", "Chloë van Dijk", "Daan Smit", "Dev Patel", "Dev Kumar"]


def owned_meeting() -> tuple[Meeting, list[Entry]]:
    """Bram brings the case; Chloë, Anna, Daan and Dev Patel own action points too, and a
    pupil, Daan Jansen, owns one (a pupil's pseudonym is the meeting's, not a member code)."""
    meeting = Meeting(
        id="school2", community="Team 4B", date=date(2026, 11, 20), protocol={"id": "x"},
        created_at=START, participants=TEAM,
        roles={Role.CASE_BRINGER.value: "Bram de Wit", Role.FACILITATOR.value: "Anna"},
        case=Case(title="Walking out", summary=f"Chloë saw {PUPIL} leave; Anna did not."),
        protected_names=[PUPIL])
    return meeting, [
        note(1, Capture.ACTION, f"Chloë calls {PUPIL}'s parents; CHLOE reports back",
             owner="Chloë van Dijk"),
        note(2, Capture.LEARNING, "Chloës idea worked, said chloe van dijk"),
        note(3, Capture.ACTION, "Bram asks Chloë van Dijk", owner="Bram de Wit"),
        note(4, Capture.ACTION, "Anna writes to the mentor", owner="anna"),
        note(5, Capture.ACTION, f"Daan Smit asks {PUPIL}; Daan waits", owner="Daan Smit"),
        note(6, Capture.ACTION, "Dev Patel and Dev meet", owner="Dev Patel"),
        note(7, Capture.ACTION, "Bring the planner", owner=PUPIL),
        note(8, Capture.ACTION, "Chloë's SECRET note", owner="Chloë van Dijk", private=True),
    ]


def carried(*consent_of: str) -> tuple[Meeting, list[Entry]]:
    meeting, entries = owned_meeting()
    return carried_meeting(meeting, entries, community="CoP", parts=frozenset(Part),
                           consent_of=consent_of, on=date(2026, 11, 21))


def test_an_owner_who_did_not_agree_travels_as_a_member_code_in_field_and_text() -> None:
    shared, entries = carried("Bram")
    assert shared.case.summary == "Member 1 saw Pupil A leave; Member 2 did not."
    assert [(e.owner, e.text) for e in entries] == [
        ("Member 1", "Member 1 calls Pupil A's parents; Member 1 reports back"),
        (None, "Member 1's idea worked, said Member 1"),
        ("Bram de Wit", "Bram asks Member 1"),  # the case-bringer agreed: named
        ("Member 2", "Member 2 writes to the mentor"),
        # The longest name wins: the pupil Daan Jansen is no "Member 3 Jansen"; "Daan" alone
        # could be either of them.
        ("Member 3", "Member 3 asks Pupil A; a member waits"),
        ("Member 4", "Member 4 and a member meet"),  # two Devs: "Dev" could be either
        ("Pupil A", "Bring the planner"),
    ]
    travelled = repr((shared, entries))
    for name in ("Chlo", "CHLOE", "Anna", "Daan", "Patel", "Jansen", "SECRET"):
        assert name not in travelled


def test_an_owner_named_with_consent_of_keeps_their_name() -> None:
    shared, entries = carried("Bram de Wit", "chloe", "ANNA")
    assert shared.case.summary == "Chloë saw Pupil A leave; Anna did not."
    assert [e.owner for e in entries][:4] == ["Chloë van Dijk", None, "Bram de Wit", "anna"]
    assert entries[0].text == "Chloë calls Pupil A's parents; CHLOE reports back"
    assert entries[4].owner == "Member 1"  # numbered among those who travel as codes


def test_the_codes_are_in_the_meeting_s_language() -> None:
    meeting, entries = owned_meeting()
    meeting.language = "nl"
    _, shared = carried_meeting(meeting, entries, community="CoP", parts=frozenset(Part),
                                consent_of=["Bram"], on=date(2026, 11, 21))
    assert shared[0].text == "Lid 1 calls Leerling A's parents; Lid 1 reports back"
    assert shared[5].text == "Lid 4 and een lid meet"


def test_consent_is_someone_s_own_never_a_guess() -> None:
    with pytest.raises(ConsentError, match="case-bringer"):
        carried("Chloë")
    with pytest.raises(ConsentError, match="No one called 'Chris'"):
        carried("Bram", "Chris")
    with pytest.raises(ConsentError, match="'Dev' could be Dev Patel, Dev Kumar"):
        carried("Bram", "Dev")


def test_the_command_takes_each_owner_s_consent_and_writes_no_other_name(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store(isolated_folders / "data").create_meeting(*owned_meeting())
    cop = cop_folder(isolated_folders)
    code, out, err = run(capsys, "carry", "school2", "--to", "CoP Inclusion",
                         "--consent-of", "Bram", "--consent-of", "Anna", "--actions")
    assert (code, err) == (0, "") and "6 entries" in out
    entries = Store(cop).load("school2").entries
    assert [e.owner for e in entries] == ["Member 1", "Bram de Wit", "anna", "Member 2",
                                          "Member 3", "Pupil A"]
    stored = every_byte(cop)
    for secret in ("Chloë", "Chloe", "CHLOE", "Daan", "Patel", "Jansen"):
        assert secret.encode() not in stored
    code, _, err = run(capsys, "carry", "school2", "--to", "CoP Inclusion",
                       "--consent-of", "Bram", "--consent-of", "Dev")
    assert code == 1 and "whole name" in err
