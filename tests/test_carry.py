"""The second loop: a case shared from a school's intervision group to the CoP's own folder,
with the case-bringer's consent, and only what was chosen, as the room may see it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.store.facade import Store
from kring.tui.cli import main

START = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
PUPIL = "Daan Jansen"


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
