"""The command line under hostile conditions: odd output encodings, a reader that went away, a
data folder that is no folder, absurd numbers, links where a file should be written, and bugs.
Each ends in a sentence and an exit code, never a traceback."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.model.community import MAX_RETENTION_DAYS, Community, valid_retention
from kring.sessions.paths import log_dir
from kring.tui.crash import crash_message, crash_report, write_crash_log
from tests.support.budget import examples
from tests.support.cli import meeting_with_entries, run

TIMEOUT = 60


@pytest.fixture
def data(isolated_folders: Path) -> Path:
    return isolated_folders / "data"


@pytest.fixture
def meeting(data: Path) -> str:
    return meeting_with_entries(data, "2025-01-10", "Zoë’s team", [
        "a: Bel de mentor — snel @bram 2025-01-20", "l: Stille leerlingen @chantal"])


def kring(*argv: str, env: dict[str, str] | None = None,
          **options: object) -> subprocess.CompletedProcess[bytes]:
    """Kring as people run it: a separate process, with the test's folders."""
    return subprocess.run([sys.executable, "-m", "tui", *argv], env={**os.environ, **(env or {})},
                          capture_output=True, timeout=TIMEOUT, check=False,
                          cwd=Path(__file__).parent.parent, **options)  # type: ignore[call-overload]


# -- output ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("meeting")
@pytest.mark.parametrize("argv", [["list"], ["--lang", "nl", "actions"], ["templates"],
                                  ["export", "latest", "--out", "-"], ["--lang", "nl", "--help"],
                                  ["journal", "Zoë’s team"]])
def test_any_output_encoding_works(argv: list[str]) -> None:
    done = kring(*argv, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    assert done.stdout.strip()
    done.stdout.decode("ascii")  # what could not be shown became '?', nothing else broke


@pytest.mark.usefixtures("meeting")
@pytest.mark.parametrize("argv", [["actions"], ["templates"], ["list"],
                                  ["export", "latest", "--out", "-"]])
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str]) -> None:
    # `kring actions | head -c0`: the reader is gone before Kring writes a byte.
    process = subprocess.Popen([sys.executable, "-m", "tui", *argv], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=Path(__file__).parent.parent)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    code = process.wait(timeout=TIMEOUT)
    assert code == 1, err.decode()
    assert err == b"", err.decode()


# -- the data folder -------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["list"], ["actions"], ["doctor"], ["export", "latest"],
                                  ["community", "list"], ["journal", "T"]])
def test_a_data_folder_that_is_a_file_is_a_one_line_error(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    afile = isolated_folders / "afile"
    afile.write_text("x")
    for folder in (afile, afile / "inside"):
        code, _, err = run(capsys, "--data", str(folder), *argv)
        assert code == 2 and str(folder) in err and "not a folder" in err
        assert len(err.strip().splitlines()) == 1


def _refuse(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    """Listing ``refused`` fails with EACCES. Tests run as root, which chmod 000 does not stop,
    so the refusal is the operating system's answer, patched in."""
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(os.fspath(path)) == refused:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_data_folder_is_a_one_line_error(
        data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data.mkdir()
    _refuse(monkeypatch, data)
    code, _, err = run(capsys, "list")
    assert code == 2 and str(data) in err and "no permission" in err


@pytest.mark.usefixtures("meeting")
def test_an_unreadable_meetings_folder_is_an_error_not_a_traceback(
        data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse(monkeypatch, data / "devices")
    for argv in (["list"], ["export", "latest"]):
        code, _, err = run(capsys, *argv)
        text = " ".join(err.split())  # rich wraps long lines at spaces
        assert code == 1 and str(data / "devices") in text and "no permission" in text


def test_an_unreadable_meeting_is_named_not_no_meetings_yet(
        data: Path, meeting: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kring.sessions.errors import ReadError
    from kring.sessions.store import logs
    from kring.sessions.store.files.atomic import describe_read

    real = logs.read_from

    def read_from(where: Path, offset: int, what: str, **options: object) -> object:
        if where.name == f"{meeting}.jsonl":  # as the disk says it when root is not root
            error = PermissionError(errno.EACCES, "Permission denied", str(where))
            raise ReadError(what, describe_read(error), errno.EACCES)
        return real(where, offset, what, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(logs, "read_from", read_from)
    for ref in ("latest", meeting[:4], meeting):
        code, _, err = run(capsys, "export", ref)
        text = " ".join(err.split())
        assert code == 1 and meeting in text and "no permission to read it" in text
        assert "kring doctor" in text and "no meetings" not in text.casefold()
    code, _out, err = run(capsys, "list")
    assert code == 0 and meeting in " ".join(err.split())
    code, _, err = run(capsys, "export", "zzzz")
    assert code == 1 and "No meeting has an id starting with 'zzzz'" in err


# -- numbers ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("meeting")
def test_an_absurd_retention_is_refused_and_a_stored_one_breaks_nothing(
        data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "community", "retention", "Zoë’s team", str(10**20))
    assert code == 1 and str(MAX_RETENTION_DAYS) in err
    assert run(capsys, "community", "retention", "Zoë’s team", str(MAX_RETENTION_DAYS))[0] == 0
    # Written by hand or by another program: every listing still works.
    (path,) = data.glob("devices/*/communities.jsonl")
    text = path.read_text(encoding="utf-8")
    assert f'"retention_days":{MAX_RETENTION_DAYS}' in text
    path.write_text(text.replace(str(MAX_RETENTION_DAYS), str(10**20)), encoding="utf-8")
    for argv in (["list"], ["community", "list"], ["actions"], ["doctor"]):
        code, _out, err = run(capsys, *argv)
        assert code == 0 and "Traceback" not in err, (argv, err)


@settings(max_examples=examples(200), deadline=None)
@given(days=st.one_of(st.integers(), st.none()))
def test_any_stored_whole_number_of_days_reads_as_a_usable_retention(days: int | None) -> None:
    from datetime import date, timedelta

    try:
        community = Community.from_dict({"name": "T", "retention_days": days})
    except TypeError:
        assert days is not None and days < 1  # refused as before: not a period at all
        return
    kept = community.retention_days
    assert kept is None or valid_retention(kept)
    if kept is not None:
        date(2026, 1, 1) - timedelta(days=kept)  # what the purge suggestion computes


# -- writing --out ---------------------------------------------------------------------------


@pytest.mark.usefixtures("meeting", "umask_022")
@pytest.mark.parametrize("argv", [["export", "latest", "--out"],
                                  ["export", "latest", "--format", "html", "--out"],
                                  ["journal", "Zoë’s team", "--out"]])
def test_out_files_are_private_whatever_the_umask(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    target = isolated_folders / "out.md"
    assert run(capsys, *argv, str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o644)  # an existing file someone made readable is replaced by a private one
    assert run(capsys, *argv, str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and target.read_text(encoding="utf-8")
    assert not [p for p in isolated_folders.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.usefixtures("meeting")
@pytest.mark.parametrize("command", [["export", "latest"], ["journal", "Zoë’s team"]])
def test_out_refuses_links_devices_pipes_and_folders(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    victim = isolated_folders / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = isolated_folders / "link.md"
    link.symlink_to(victim)
    pipe = isolated_folders / "pipe.md"
    os.mkfifo(pipe)
    folder = isolated_folders / "folder.md"
    folder.mkdir()
    for target, reason in ((link, "symbolic link"), (Path("/dev/null"), "not a regular file"),
                           (pipe, "not a regular file"), (folder, "a folder"),
                           (isolated_folders / "nowhere" / "x.md", "does not exist")):
        code, _, err = run(capsys, *command, "--out", str(target))
        text = " ".join(err.split())
        assert code == 1 and str(target) in text and reason in text, text
    assert link.is_symlink() and victim.read_text(encoding="utf-8") == "keep me"
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_new_template_is_private_whatever_the_umask(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], umask_022: None) -> None:
    assert run(capsys, "templates", "new", "mine", "--from", "incident")[0] == 0
    made = isolated_folders / "config" / "templates" / "en" / "mine.toml"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600 and 'id = "mine"' in made.read_text()


# -- bugs --------------------------------------------------------------------------------------


SECRET = "Daan zit thuis sinds de scheiding"


def test_an_unexpected_error_is_a_short_message_and_a_private_report_without_notes(
        data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def list_meetings(context: object, **options: object) -> int:
        note = SECRET  # a local holding typed text: it must not reach the report
        raise RuntimeError(f"could not place {note}")

    monkeypatch.setattr("kring.tui.cli.listing.list_meetings", list_meetings)
    code, _out, err = run(capsys, "list")
    assert code == 70 and "Traceback" not in err and SECRET not in err
    assert "unexpected error" in err
    logs = list(log_dir().glob("crash-*.log"))
    assert log_dir().parent == Path(os.environ["KRING_STATE"])  # the test's, never the home
    assert len(logs) == 1 and str(logs[0]) in err
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    report = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError" in report and "in list_meetings" in report
    assert "tui/cli/__init__.py" in report  # the frame that dispatched to the command
    assert SECRET not in report and "Daan" not in report


def test_a_report_keeps_the_chain_and_drops_every_message() -> None:
    try:
        try:
            raise OSError(errno.ENOSPC, SECRET)
        except OSError as inner:
            raise ValueError(SECRET) from inner
    except ValueError as error:
        report = crash_report(error)
    assert "OSError (errno 28)" in report and "ValueError" in report and SECRET not in report
    assert report.index("OSError") < report.index("ValueError")  # as Python prints a chain


def test_the_command_line_in_a_report_keeps_its_shape_not_its_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["kring", "journal", "Daan", "--person=Daan", "--out",
                                      "/home/daan/x.md"])
    report = crash_report(RuntimeError())
    assert "command: journal … --person --out …" in report and "Daan" not in report


def test_a_report_that_cannot_be_written_is_none_and_says_so(tmp_path: Path) -> None:
    blocked = tmp_path / "afile"
    blocked.write_text("x")
    assert write_crash_log(RuntimeError(), blocked / "logs") is None
    assert "unexpected error" in crash_message(None)
    path = write_crash_log(RuntimeError(), tmp_path / "logs")
    assert path is not None and str(path) in crash_message(path)
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700


def test_the_log_folder_follows_the_overrides(tmp_path: Path) -> None:
    assert log_dir({"KRING_STATE": str(tmp_path / "s"), "KRING_DATA": "x"}) == \
        tmp_path / "s" / "logs"
    # Never the data folder: a sync engine may carry it to other schools.
    assert log_dir({"KRING_DATA": str(tmp_path / "d")}) != tmp_path / "d" / "logs"
    assert log_dir({}).name in {"kring", "log", "logs", "Logs"}


def test_a_store_error_escaping_a_command_is_its_sentence(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kring.sessions.errors import ReadError

    def actions_command(context: object, args: object) -> int:
        raise ReadError("the communities", "the disk reported an error.")

    monkeypatch.setattr("kring.tui.cli.actions.actions_command", actions_command)
    code, _, err = run(capsys, "actions")
    assert code == 1 and err.strip() == \
        "Could not read the communities: the disk reported an error."


def test_ctrl_c_ends_quietly(capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(context: object, **options: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("kring.tui.cli.listing.list_meetings", interrupted)
    code, _, err = run(capsys, "list")
    assert code == 130 and err == ""


def test_a_templates_file_nested_deeply_is_reported_by_validate(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 3000 + "]" * 3000, encoding="utf-8")
    code, out, _ = run(capsys, "templates", "validate", str(deep))
    assert code == 1 and str(deep) in out and "nested too deeply" in out
