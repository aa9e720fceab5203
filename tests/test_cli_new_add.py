"""A meeting held from a script: ``kring new`` prepares (and starts) it as the setup screen
does, ``kring add`` captures lines as the capture line does, ``kring project`` opens the
room's window, and ``kring list`` shows case titles as the room may see them. Bad input is a
sentence and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.meeting import Status
from kring.sessions.model.protocol import InputMode
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import find_community
from kring.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
INCIDENT = ["new", "--community", "Team West", "--protocol", "incident",
            "--participant", "Anouk", "Bram", "Chantal", "--participant", "Dev",
            "--role", "Anouk=facilitator", "--role", "bram=case-bringer",
            "--title", "Why Zoë stopped asking", "--protect", "Zoë"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 2
    return capsys.readouterr().err


def live(data: Path, meeting_id: str) -> LiveMeeting:
    store = Store(data)
    record = store.load(meeting_id)
    return LiveMeeting(record.meeting, record.entries, store, store.clock)


# -- kring new -----------------------------------------------------------------------------------


def test_new_prepares_a_meeting_as_the_setup_screen_does(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *INCIDENT, "--goal", "Practise questions", "--focus",
                         "How do I notice sooner?")
    assert code == 0 and err == ""
    meeting_id = out.strip()
    meeting = Store(isolated_folders / "data").load(meeting_id).meeting
    assert meeting.community == "Team West" and meeting.language == "en"
    assert meeting.participants == ["Anouk", "Bram", "Chantal", "Dev"]
    assert meeting.roles == {"facilitator": "Anouk", "case-bringer": "Bram"}
    assert meeting.case.title == "Why Zoë stopped asking"
    assert meeting.case.focus_question == "How do I notice sooner?"
    assert meeting.goal == "Practise questions" and meeting.protected_names == ["Zoë"]
    assert meeting.status is Status.IN_PROGRESS and meeting.runs == []  # not started
    community = find_community(Store(isolated_folders / "data"), "team west")
    assert community is not None and "Dev" in community.members  # remembered, as the app does


def test_new_start_starts_the_first_phase_and_json_gives_the_id(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "nl", *INCIDENT[:-4], "--role", "Chantal=notulist",
                       "--lang", "nl", "--title", "Casus", "--start", "--json")
    assert code == 0 and len(out.splitlines()) == 1
    data = json.loads(out)
    assert data["started"] is True and data["language"] == "nl"
    meeting = live(isolated_folders / "data", data["id"])
    assert meeting.run is not None and meeting.run.ended_at is None  # its clock is running
    assert meeting.step_index == 0 and meeting.meeting.roles["note-taker"] == "Chantal"


@pytest.mark.parametrize(("argv", "message"), [
    (["--protocol", "nope"], "No protocol with id 'nope'"),
    (["--role", "Dev=case-bringer"], "Only one case-bringer: bram and Dev"),
    (["--role", "Eva=timekeeper"], "The timekeeper is not among the participants"),
    (["--community", " "], "Give the community or group a name"),
])
def test_new_refuses_a_plan_the_setup_screen_would_refuse(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        message: str) -> None:
    code, out, err = run(capsys, *INCIDENT, *argv)
    assert code == 1 and out == "" and message in err
    assert not (isolated_folders / "data" / "meetings").exists() or \
        list((isolated_folders / "data" / "meetings").glob("*.json")) == []


def test_too_few_participants_are_refused(isolated_folders: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--community", "T", "--protocol", "incident",
                       "--participant", "A", "B", "--role", "A=facilitator",
                       "--role", "B=case-bringer", "--title", "x")
    assert code == 1 and "Incident method needs at least 3 participants; there are 2." in err


def test_a_protocol_without_a_required_role_filled_is_refused(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--community", "T", "--protocol", "incident",
                       "--participant", "A", "B", "C", "--title", "x")
    assert code == 1 and "Choose a facilitator." in err and "Choose a case-bringer." in err


@pytest.mark.parametrize(("role", "message"), [
    ("Anouk=boss", "'boss' is not a role"),
    ("Anouk", "'Anouk' is not NAME=ROLE"),
    ("=facilitator", "is not NAME=ROLE"),
    ("Anouk=", "is not NAME=ROLE"),
])
def test_a_bad_role_is_a_usage_error(isolated_folders: Path,
                                     capsys: pytest.CaptureFixture[str], role: str,
                                     message: str) -> None:
    err = usage_error(capsys, *INCIDENT, "--role", role)
    assert message in err and "Traceback" not in err


def test_new_needs_its_options(isolated_folders: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert "--protocol" in usage_error(capsys, "new", "--community", "T")


# -- kring add -----------------------------------------------------------------------------------


@pytest.fixture
def started(isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, *INCIDENT, "--start")
    assert code == 0
    return out.strip()


def test_add_commits_a_line_as_the_capture_line_would(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str) -> None:
    code, out, err = run(capsys, "add", started[:5], "q: What happened just before? @chantal")
    assert code == 0 and err == ""
    assert out == "question — Chantal: What happened just before?\n"
    code, out, _ = run(capsys, "add", "latest", "a: Call the mentor @bram 2026-12-01", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "action" and data["owner"] == "Bram"
    assert data["due"] == "2026-12-01" and data["text"] == "Call the mentor"
    entries = Store(isolated_folders / "data").load(started).entries
    assert [(e.kind.value, e.author, e.text) for e in entries] == [
        ("question", "Chantal", "What happened just before?"),
        ("action", data["author"], "Call the mentor")]


def test_a_line_without_a_name_in_a_round_is_the_speaker_s(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str) -> None:
    meeting = live(isolated_folders / "data", started)
    rounds = [index for index, step in enumerate(meeting.steps)
              if step.phase.input is InputMode.ROUND]
    assert rounds, "the incident method has a round"
    meeting.go_to(rounds[0])
    speaker = meeting.speaker()
    assert speaker is not None
    code, out, _ = run(capsys, "add", started, "q: Where were you standing?", "--json")
    assert code == 0 and json.loads(out)["author"] == speaker


def test_an_unknown_name_is_added_with_a_warning(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str) -> None:
    code, out, err = run(capsys, "add", started, "f: It rained @nobody")
    entries = Store(isolated_folders / "data").load(started).entries
    assert code == 0 and len(entries) == 1 and "It rained" in out
    assert err.startswith("⚠ ") and "@nobody" in err  # as the capture line would warn


@pytest.mark.parametrize(("ref", "line", "message"), [
    ("zzzz", "q: x", "No meeting has an id starting with 'zzzz'"),
    ("latest", "q:", "Nothing to save"),
    ("latest", "", "Nothing to save"),
    ("latest", "   ", "Nothing to save"),
])
def test_add_refuses_what_it_cannot_add(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str, ref: str,
        line: str, message: str) -> None:
    code, out, err = run(capsys, "add", ref, line)
    assert code == 1 and out == "" and message in err
    assert Store(isolated_folders / "data").load(started).entries == []


def test_nothing_is_added_to_an_ended_meeting(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str) -> None:
    live(isolated_folders / "data", started).end()
    code, out, err = run(capsys, "add", started, "q: Too late?")
    assert code == 1 and out == "" and "has ended" in err
    assert Store(isolated_folders / "data").load(started).entries == []


def test_add_with_no_meetings_at_all(isolated_folders: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "add", "latest", "q: x")
    assert code == 1 and "There are no meetings yet." in err


# -- kring project -------------------------------------------------------------------------------


def test_project_hands_the_meeting_to_the_projector(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, str, str | None]] = []

    def run_projector(data: Path, ref: str, language: str | None) -> int:
        calls.append((data, ref, language))
        return 0

    monkeypatch.setattr("kring.tui.projector.run_projector", run_projector)
    assert run(capsys, "project")[0] == 0
    assert run(capsys, "--lang", "nl", "project", "3fa2")[0] == 0
    data = isolated_folders / "data"
    assert calls == [(data, "latest", "en"), (data, "3fa2", "nl")]


def test_project_of_an_unknown_meeting_is_a_sentence(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "project", "zzzz")
    assert code == 1 and err.strip()


def test_the_command_line_loads_no_projector_until_asked() -> None:
    code = ("import sys; from kring.tui.cli import main, build_parser; build_parser(); "
            "print(sorted(m for m in sys.modules if m.startswith('kring.tui.projector') "
            "or m.split('.')[0] == 'textual'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


# -- kring list ----------------------------------------------------------------------------------


def test_list_shows_protected_names_as_pseudonyms(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], started: str) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and started in out
    assert "Pupil A" in out and "Zoë" not in out
    code, out, _ = run(capsys, "list", "--real-names")
    assert code == 0 and "Zoë" in out and "Pupil A" not in out


def test_a_title_with_markup_is_shown_as_typed(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # room for the whole title
    code, _, _ = run(capsys, *INCIDENT[:-4], "--title", "[bold]loud[/bold]")
    assert code == 0
    assert "[bold]loud[/bold]" in run(capsys, "list")[1]
