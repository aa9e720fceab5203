"""The command line, called in-process: what people type and what they read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.tui.cli import main
from tests.support.cli import meeting_with_entries, run
from tests.support.templates import VALID


def test_templates_lists_every_builtin_with_its_facts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates")
    assert code == 0
    for ident in ("incident", "troika", "kollegiale-beratung", "what-so-what"):
        assert ident in out
    assert "built-in" in out and " nl " in out and " en " in out


def test_lang_filters_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "templates", "--lang", "nl")
    assert " nl " in out and " en " not in out


def test_show_prints_phases_with_times_and_rules(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "show", "incident", "--lang", "en")
    assert code == 0
    assert "Incident method" in out and "group" in out and "question" in out
    assert "Total: " in out


def test_show_unknown_id_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "templates", "show", "nope")
    assert code == 1 and "No protocol with id 'nope'" in err


def test_validate_exits_zero_for_good_and_one_with_a_line_per_problem(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.toml"
    good.write_text(VALID)
    bad = tmp_path / "bad.toml"
    bad.write_text(VALID.replace("minutes = 10", "minutes = 0").replace('"group"', '"grup"'))
    assert run(capsys, "templates", "validate", str(good))[0] == 0
    code, out, _ = run(capsys, "templates", "validate", str(good), str(bad))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(str(bad))]
    assert len(lines) == 2
    assert "Traceback" not in out


def test_new_copies_a_builtin_that_then_overrides_or_extends(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "new", "my-incident", "--from", "incident")
    assert code == 0
    created = isolated_folders / "config" / "templates" / "en" / "my-incident.toml"
    assert created.is_file() and 'id = "my-incident"' in created.read_text()
    _, out, _ = run(capsys, "templates")
    assert "my-incident" in out and "user" in out
    # Copying under the built-in's own id makes an override, and the list says so.
    assert run(capsys, "templates", "new", "balint")[0] == 0
    _, out, _ = run(capsys, "templates", "--lang", "en")
    assert "overrides" in out
    # Never overwrite the user's file.
    code, _, err = run(capsys, "templates", "new", "balint")
    assert code == 1 and "already exists" in err


def test_extra_templates_folder_and_broken_user_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "tiny.toml").write_text(VALID)
    (folder / "broken.toml").write_text("id = ")
    code, out, err = run(capsys, "--templates", str(folder), "templates")
    assert code == 0 and "tiny" in out
    assert "broken.toml" in err and "TOML syntax error" in err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    assert "templates" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("kring ")


def test_list_shows_meetings_in_progress_and_doctor_reports(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kring.sessions.meeting.setup import MeetingPlan
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.meeting import Entry
    from kring.sessions.model.protocol import Capture, Role
    from kring.sessions.protocols.catalog import load_catalog
    from kring.sessions.store.events import PUT, Event, ulid
    from kring.sessions.store.facade import Store
    from kring.templates import BUILTIN_DIR

    code, out, _ = run(capsys, "list")
    assert code == 0 and "No meetings yet" in out
    found = load_catalog(BUILTIN_DIR).find("balint", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="Team West", participants=["A", "B", "C"])
    plan.roles = {Role.FACILITATOR: "A", Role.CASE_BRINGER: "B"}
    meeting = plan.create(FakeClock())
    store = Store(isolated_folders / "data")
    store.create_meeting(meeting)
    code, out, _ = run(capsys, "list")
    assert code == 0 and meeting.id in out and "Team West" in out and "in progress" in out

    assert run(capsys, "doctor")[0] == 0
    # A sync engine's conflict copy of this device's log, holding one entry the log lacks.
    log = store.layout.meeting_log(store.device, meeting.id)
    copy = log.with_name(f"{meeting.id}.sync-conflict-20261127-120000-ABCDEFG.jsonl")
    extra = Entry(id="x1", kind=Capture.FACT, text="only in the copy", step="s",
                  created_at=meeting.created_at)
    line = Event(ulid(1), 1, 0, store.device, PUT, "x1", extra.to_dict()).to_line()
    copy.write_bytes(log.read_bytes() + line + b"\n")
    assert "x1" in {e.id for e in Store(isolated_folders / "data").load(meeting.id).entries}
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and copy.name in out and "Nothing was changed" in out
    assert copy.exists()
    code, out, _ = run(capsys, "doctor", "--repair")
    assert code == 0 and "Took the conflict copy" in out
    assert not copy.exists() and b'"k":"x1"' in log.read_bytes()  # taken in, never lost
    assert run(capsys, "doctor")[0] == 0


def test_community_members_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "No communities yet" in run(capsys, "community", "list")[1]
    assert run(capsys, "community", "add-member", "Team West", "Özlem")[0] == 0
    assert run(capsys, "community", "add-member", "team west", "Dev")[0] == 0
    code, out, _ = run(capsys, "community", "show", "Team West")
    assert code == 0 and "Özlem" in out and "Dev" in out
    assert run(capsys, "community", "remove-member", "Team West", "özlem")[0] == 0
    assert "Özlem" not in run(capsys, "community", "show", "Team West")[1]
    code, _, err = run(capsys, "community", "remove-member", "Team West", "Nobody")
    assert code == 1 and "not on the community's roster" in err
    assert "Team West (1 member)" in run(capsys, "community", "list")[1]


def test_export_by_prefix_or_latest_to_stdout_file_or_minutes_folder(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kring.sessions.meeting.setup import MeetingPlan
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.protocol import Role
    from kring.sessions.protocols.catalog import load_catalog
    from kring.sessions.store.facade import Store
    from kring.templates import BUILTIN_DIR

    found = load_catalog(BUILTIN_DIR).find("gossip", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="Team <West>", participants=["A", "B", "C"])
    plan.roles = {Role.FACILITATOR: "A", Role.CASE_BRINGER: "B"}
    meeting = plan.create(FakeClock())
    Store(isolated_folders / "data").create_meeting(meeting)

    code, out, _ = run(capsys, "export", meeting.id[:4], "--out", "-")
    assert code == 0 and out.startswith("---\n") and "Team \\<West>" in out
    code, out, _ = run(capsys, "export", "latest", "--format", "html", "--out", "-")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and "<West>" not in out
    target = isolated_folders / "m.md"
    assert run(capsys, "export", "latest", "--out", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("---\n")
    code, out, _ = run(capsys, "--minutes", str(isolated_folders / "mins"), "export", "latest")
    assert code == 0 and len(list((isolated_folders / "mins").glob("*.md"))) == 1
    # Again, and as HTML too: the same meeting's file is rewritten, never a -2 copy beside it.
    for _ in range(2):
        code, again, _ = run(capsys, "--minutes", str(isolated_folders / "mins"), "export",
                             "latest", "--format", "html")
        assert code == 0 and out.strip() in again
        # It says that the Markdown was written again, and where the page went.
        md, html = (isolated_folders / "mins").glob("*.md"), (isolated_folders / "mins").glob(
            "*.html")
        assert f"Minutes written to {next(md)}" in again
        assert f"HTML page written to {next(html)}" in again
    assert sorted(p.suffix for p in (isolated_folders / "mins").iterdir()) == [".html", ".md"]
    code, _, err = run(capsys, "export", "zzzz")
    assert code == 1 and "No meeting has an id starting with 'zzzz'" in err


def test_actions_journal_and_purge(isolated_folders: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = isolated_folders / "data"
    old = meeting_with_entries(data, "2025-01-10", "Team West", [
        "a: Call the mentor @bram 2025-01-20", "l: Quiet pupils need to be seen @chantal"])
    new = meeting_with_entries(data, "2026-11-20", "Team East", [
        "a: Plan a visit @anouk 2026-12-24", "!a: private reminder @anouk 2026-12-01"])

    code, out, _ = run(capsys, "actions")
    assert code == 0 and "Call the mentor" in out and "Plan a visit" in out
    assert "private reminder" not in out and "overdue" in out
    _, out, _ = run(capsys, "actions", "--owner", "anouk", "--format", "md")
    assert "Plan a visit" in out and "Call the mentor" not in out
    _, out, _ = run(capsys, "actions", "--community", "team west", "--status", "done")
    assert "No action points found" in out

    code, out, _ = run(capsys, "journal", "Team West")
    assert code == 0 and "Quiet pupils need to be seen" in out
    target = isolated_folders / "journal.md"
    assert run(capsys, "journal", "Team West", "--person", "Chantal", "--out", str(target))[0] == 0
    assert "Quiet pupils" in target.read_text(encoding="utf-8")

    before = {p for p in data.rglob("*") if p.is_file()}
    code, out, _ = run(capsys, "purge", "--before", "2026-01-01", "--yes")
    assert code == 0 and old in out and new not in out
    after = {p for p in data.rglob("*") if p.is_file()}
    removed = before - after
    assert removed and all(old in p.name for p in removed if "meetings" in p.parts)
    assert all(new not in p.name for p in removed)
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--before", "not-a-date"])
    assert exited.value.code == 2 and "not a date" in capsys.readouterr().err


def test_a_retention_period_makes_kring_suggest_a_purge(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting_with_entries(isolated_folders / "data", "2025-01-10", "Team West", ["n: old"])
    assert "purge" not in run(capsys, "list")[2]
    code, out, _ = run(capsys, "community", "retention", "team west", "365")
    assert code == 0 and "365 days" in out
    code, _, err = run(capsys, "list")
    assert code == 0 and "kring purge --before" in err and "Team West" in err
    assert run(capsys, "community", "retention", "Team West", "0")[0] == 1
    assert run(capsys, "community", "retention", "Team West")[0] == 0
    assert "purge" not in run(capsys, "list")[2]
