"""What a command's exit status and last words promise, as a script reads them (issue 21).

- Saved, and only the report on standard output failed (a closed pipe, a full disk, a closed
  stdout): exit 74, and stderr says what is saved, so a script does not run it (and add the
  line) a second time. Never 70, which is kept for bugs.
- A number no option can use is argparse's usage error, exit 2, never an overflow further on.
- ``--out a.ics`` (a bare name) works from any folder.
- A command that cannot save says so plainly and exits 1; it never claims to keep anything.

Each runs the installed ``kring`` as a separate process, as people and scripts do, except where
a fault has to be injected into the process itself.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kring.sessions.errors import SaveError
from kring.sessions.store.facade import Store
from kring.tui.cli import SAVED_NOT_REPORTED, main

KRING = Path(sys.executable).with_name("kring")
TIMEOUT = 60
DEV_FULL = Path("/dev/full")
PEOPLE = ["Anouk", "Bram", "Dev"]
UNEXPECTED = 70  # EX_SOFTWARE: a bug; none of these cases is one

pytestmark = pytest.mark.skipif(not KRING.exists(),
                                reason=f"no kring command next to {sys.executable}")
needs_dev_full = pytest.mark.skipif(not DEV_FULL.exists(), reason="no /dev/full here")
posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes and fds as POSIX has them")


@dataclass(frozen=True)
class Folders:
    """One installation: its data, state and config folders, and a folder elsewhere to run
    commands from (not the data folder's parent, so a relative path there is a real test)."""

    data: Path
    state: Path
    config: Path
    elsewhere: Path

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        return env | {"KRING_DATA": str(self.data), "KRING_STATE": str(self.state),
                      "KRING_CONFIG": str(self.config), "LANG": "C.UTF-8"}

    def run(self, *argv: str, stdout: object = subprocess.PIPE,
            cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([str(KRING), *argv], env=self.env, stdout=stdout,  # type: ignore[call-overload]
                              stderr=subprocess.PIPE, timeout=TIMEOUT, check=False,
                              cwd=cwd or self.elsewhere)

    def ok(self, *argv: str) -> str:
        done = self.run(*argv)
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode()

    def crash_reports(self) -> list[Path]:
        return sorted((self.state / "logs").glob("crash-*"))


@pytest.fixture
def folders(tmp_path: Path) -> Folders:
    elsewhere = tmp_path / "work" / "elsewhere"
    elsewhere.mkdir(parents=True)
    return Folders(tmp_path / "kring" / "data", tmp_path / "kring" / "state",
                   tmp_path / "kring" / "config", elsewhere)


@pytest.fixture
def meeting(folders: Folders) -> str:
    """A started meeting of "Team West", with one action point and one learning."""
    meeting_id = folders.ok("new", "--community", "Team West", "--protocol", "incident",
                            "--participant", *PEOPLE, "--role", "Anouk=facilitator",
                            "--role", "Bram=case-bringer", "--title", "A quiet pupil",
                            "--start").strip()
    folders.ok("add", meeting_id, "a: Call the mentor @bram 2026-12-01")
    folders.ok("add", meeting_id, "l: Ask before you advise @dev")
    folders.ok("consent", "Team West", "Bram", "grant")
    return meeting_id


def texts(store: Store, meeting_id: str) -> list[str]:
    return [entry.text for entry in store.load(meeting_id).entries]


# -- saved, then the report fails ---------------------------------------------------------


def full(folders: Folders, argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    """``kring ARGV > /dev/full``."""
    with DEV_FULL.open("wb") as sink:
        return folders.run(*argv, stdout=sink)


def closed_pipe(folders: Folders, argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    """``kring ARGV | true``, the reader gone before Kring writes a byte."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return folders.run(*argv, stdout=writer)
    finally:
        os.close(writer)


def closed_stdout(folders: Folders, argv: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    """``kring ARGV >&-``: no standard output at all."""
    return subprocess.run(["sh", "-c", 'exec "$0" "$@" >&-', str(KRING), *argv],
                          env=folders.env, capture_output=True, timeout=TIMEOUT, check=False,
                          cwd=folders.elsewhere)


OUTPUTS: dict[str, Callable[[Folders, Sequence[str]], subprocess.CompletedProcess[bytes]]] = {
    "full": full, "closed pipe": closed_pipe, "closed stdout": closed_stdout}
WHY = {"full": "the disk is full", "closed pipe": "standard output was closed",
       "closed stdout": "standard output was closed"}


def said_saved(done: subprocess.CompletedProcess[bytes], what: str, output: str) -> None:
    err = " ".join(done.stderr.decode().split())
    assert done.returncode == SAVED_NOT_REPORTED, err
    assert f"Saved: {what}" in err and WHY[output] in err, err
    assert "Do not run the command again" in err and "Traceback" not in err, err


@needs_dev_full
@posix_only
@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("as_json", [False, True])
def test_an_added_line_is_saved_once_and_said_so_when_its_report_fails(
        folders: Folders, meeting: str, output: str, as_json: bool) -> None:
    line = f"q: What happened first? ({output}) @chantal"
    done = OUTPUTS[output](folders, ["add", meeting, line, *(["--json"] if as_json else [])])
    store = Store(folders.data, state=folders.state)
    (entry,) = [e for e in store.load(meeting).entries if e.text.startswith("What happened")]
    said_saved(done, f"entry {entry.id} in meeting {meeting}", output)
    assert folders.crash_reports() == []


@needs_dev_full
@posix_only
@pytest.mark.parametrize("output", list(OUTPUTS))
def test_a_new_meeting_says_its_id_when_stdout_cannot(folders: Folders, output: str) -> None:
    done = OUTPUTS[output](folders, [
        "new", "--community", "Team West", "--protocol", "incident", "--participant", *PEOPLE,
        "--role", "Anouk=facilitator", "--role", "Bram=case-bringer", "--title", "T"])
    (summary,) = Store(folders.data, state=folders.state).list_meetings()
    said_saved(done, f"meeting {summary.id}", output)


@needs_dev_full
@posix_only
@pytest.mark.parametrize("argv", [
    ["consent", "Team West", "Dev", "grant"],
    ["consent", "Team West", "Bram", "withdraw", "--date", "2026-06-01"],
    ["community", "add-member", "Team West", "Zoë"],
    ["community", "remove-member", "Team West", "Dev"],
    ["community", "retention", "Team West", "365"],
    ["community", "plan", "Team West", "2036-12-10 15:30"],
])
@pytest.mark.usefixtures("meeting")
def test_a_change_to_a_community_is_said_saved_when_stdout_is_full(
        folders: Folders, argv: list[str]) -> None:
    before = Store(folders.data, state=folders.state).communities()
    done = full(folders, argv)
    said_saved(done, "the change", "full")
    assert Store(folders.data, state=folders.state).communities() != before  # it is saved


@needs_dev_full
@pytest.mark.parametrize("argv", [
    ["calendar", "--out", "a.ics"],
    ["export", "latest", "--out", "a.md"],
    ["journal", "Team West", "--out", "a.md"],
    ["research", "Team West", "--format", "jsonl", "--out", "a.jsonl"],
])
@pytest.mark.usefixtures("meeting")
def test_a_written_file_is_said_written_when_stdout_is_full(
        folders: Folders, argv: list[str]) -> None:
    done = full(folders, argv)
    said_saved(done, argv[-1], "full")
    assert (folders.elsewhere / argv[-1]).is_file()


@needs_dev_full
def test_minutes_written_into_the_minutes_folder_are_said_written(
        folders: Folders, meeting: str) -> None:
    done = full(folders, ["export", meeting])
    (written,) = (folders.data / "minutes").glob("*.md")
    said_saved(done, str(written), "full")


@needs_dev_full
@posix_only
@pytest.mark.parametrize("argv", [["list"], ["actions"], ["export", "latest", "--out", "-"],
                                  ["calendar", "--out", "-"], ["community", "show", "Team West"],
                                  ["templates"]])
@pytest.mark.usefixtures("meeting")
def test_a_command_that_saves_nothing_fails_plainly_when_stdout_does(
        folders: Folders, argv: list[str]) -> None:
    done = full(folders, argv)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "Could not write the output: the disk is full." in err and "Saved" not in err
    for failed in (closed_pipe(folders, argv), closed_stdout(folders, argv)):
        # `kring list | head`: the reader went away; nothing to say and nothing was saved.
        assert failed.returncode == 1 and failed.stderr == b"", failed.stderr.decode()
    assert folders.crash_reports() == []


def test_a_failure_after_the_save_says_what_is_saved_all_the_same(
        isolated_folders: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from kring.sessions.store import rosters

    def full_disk(*_args: object) -> None:
        raise SaveError("the communities", "the disk is full.", errno.ENOSPC)

    monkeypatch.setattr(rosters, "remember_roster", full_disk)
    code = main(["new", "--community", "Team West", "--protocol", "incident", "--participant",
                 *PEOPLE, "--role", "Anouk=facilitator", "--role", "Bram=case-bringer",
                 "--title", "T"])
    (summary,) = Store(isolated_folders / "data").list_meetings()
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert "Could not save the communities: the disk is full." in err
    assert f"Saved all the same: meeting {summary.id}." in err


# -- numbers ------------------------------------------------------------------------------


HUGE = str(10**40)


@pytest.mark.parametrize(("argv", "said"), [
    (["list", "--limit", HUGE], "is too many: give at most 1000000"),
    (["list", "--limit", "1000001"], "is too many: give at most 1000000"),
    (["list", "--limit", "0"], "is too few"),
    (["list", "--limit", "-" + HUGE], "is too few"),
    (["list", "--limit", "9" * 5000], "is not a whole number"),  # beyond what int() reads
    (["list", "--limit", "1e3"], "is not a whole number"),
    (["share", "latest", "--port", HUGE], "is not a port"),
])
def test_a_number_out_of_range_is_a_usage_error(folders: Folders, argv: list[str],
                                                said: str) -> None:
    done = folders.run(*argv)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert said in err and err.startswith("usage: kring"), err
    assert folders.crash_reports() == []


@pytest.mark.usefixtures("meeting")
def test_the_largest_limit_lists_every_meeting(folders: Folders) -> None:
    assert folders.ok("list", "--limit", "1000000") == folders.ok("list", "--all")


@pytest.mark.usefixtures("meeting")
def test_a_huge_retention_is_refused_in_words(folders: Folders) -> None:
    # The command's own range check (exit 1, as tests/test_cli_robust.py pins it), long
    # before a date computation could overflow.
    done = folders.run("community", "retention", "Team West", HUGE)
    assert done.returncode == 1 and b"at most" in done.stderr, done.stderr.decode()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]", "0:0::0"])
def test_sharing_on_every_network_at_once_is_refused_naming_lan(folders: Folders,
                                                                host: str) -> None:
    # Issue 22: --host 0.0.0.0 listened everywhere, printed URLs no phone could open, and then
    # refused the LAN address. A usage error before anything listens.
    done = folders.run("share", "latest", "--host", host)
    err = " ".join(done.stderr.decode().split())
    assert done.returncode == 2 and "--lan" in err and "every network" in err, err
    assert "Traceback" not in err


# -- relative --out ------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["calendar", "--out"],
    ["export", "latest", "--out"],
    ["export", "latest", "--format", "html", "--out"],
    ["journal", "Team West", "--out"],
    ["research", "Team West", "--format", "csv", "--out"],
    ["research", "Team West", "--format", "qdpx", "--out"],
    ["research", "Team West", "--key", "--out"],
])
@pytest.mark.parametrize("name", ["out.file", "./out.file", "sub/out.file", "../out.file"])
@pytest.mark.usefixtures("meeting")
def test_a_relative_out_is_written_from_any_folder(folders: Folders, argv: list[str],
                                                   name: str) -> None:
    (folders.elsewhere / "sub").mkdir()
    done = folders.run(*argv, name)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "missing" not in err and "Could not" not in err, err
    written = (folders.elsewhere / name).resolve()
    assert written.is_file() and written.stat().st_size > 0
    assert str(Path(name)) in done.stdout.decode()  # said as typed (pathlib drops "./")
    assert not (folders.data.parent / "out.file").exists()


# -- a save the disk refuses --------------------------------------------------------------


def test_a_line_the_disk_refuses_is_said_not_saved(
        isolated_folders: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tests.support.cli import meeting_with_entries
    from tests.support.faults import Faults

    data = isolated_folders / "data"
    meeting_id = meeting_with_entries(data, "2026-11-25", "Team West", ["f: before"])
    faults = Faults(monkeypatch, data)
    faults.set("write", errno.ENOSPC)
    code = main(["add", meeting_id, "f: refused"])
    faults.clear()
    out, err = capsys.readouterr()
    err = " ".join(err.split())
    assert code == 1 and out == ""
    assert "Could not save" in err and "the disk is full." in err
    assert "Nothing was added and nothing is kept" in err
    for promise in ("memory", "tries again", "try again", "retry"):
        assert promise not in err.casefold()
    assert texts(Store(data), meeting_id) == ["before"]


def test_a_save_error_promises_nothing() -> None:
    # The meeting screen, which does keep changes and retries them, says so itself.
    message = SaveError("meeting 3fa2", "the disk is full.").message
    assert message == "Could not save meeting 3fa2: the disk is full."


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root; the injected fault covers it")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here; the injected fault covers it")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_kring_add_on_a_really_full_disk_says_it_did_not_save(
        small_disk: Path, tmp_path: Path) -> None:
    from tests.support.faults import fill

    folders = Folders(small_disk / "data", tmp_path / "state", tmp_path / "config", tmp_path)
    meeting_id = folders.ok("new", "--community", "Team West", "--protocol", "incident",
                            "--participant", *PEOPLE, "--role", "Anouk=facilitator",
                            "--role", "Bram=case-bringer", "--title", "T", "--start").strip()
    filler = fill(small_disk)
    # Longer than a page: it cannot fit in what is left of the log's last one.
    done = folders.run("add", meeting_id, "f: " + "long line " * 1000, "--json")
    filler.unlink()
    err = " ".join(done.stderr.decode().split())
    assert done.returncode == 1 and done.stdout == b"", err
    assert "Could not save" in err and "the disk is full." in err
    assert "memory" not in err and "tries again" not in err
    assert json.loads(folders.ok("add", meeting_id, "f: room again", "--json"))["text"] == \
        "room again"
    assert folders.crash_reports() == []
