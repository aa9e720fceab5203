"""Every file Kring writes is readable by its owner only (0600), whatever the umask: the notes
are about pupils. Each way of writing is exercised under the usual umask (0o022, which would
leave a plain ``open()`` at 0644), and then every file under the folders Kring wrote into is
checked, so a file written by a path this test does not name (a lock, a backup, the index)
is checked as well."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kring.sessions.documents.writing import write_minutes
from kring.sessions.model.clock import FakeClock
from kring.sessions.store.facade import Store
from kring.sessions.store.rescue import write_rescue
from kring.tui.cli import main
from tests.support.cli import meeting_with_entries

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def modes_under(folder: Path) -> dict[str, int]:
    """Every regular file below ``folder`` with its mode."""
    return {str(path.relative_to(folder)): mode(path) for path in folder.rglob("*")
            if path.is_file() and not path.is_symlink()}


def test_every_file_kring_writes_is_private(
        isolated_folders: Path, umask_022: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = isolated_folders / "data"
    out = isolated_folders / "out"
    out.mkdir()
    meeting_id = meeting_with_entries(data, "2026-11-20", "Team West", [
        "a: Call the mentor @bram 2026-12-01", "l: Quiet pupils need to be seen @chantal"])
    store = Store(data, FakeClock(datetime(2026, 11, 20, 10, tzinfo=UTC)))
    record = store.load(meeting_id)

    written: list[Path] = []
    # The minutes as the app writes them at the end of a meeting, Markdown and HTML.
    written += write_minutes(record, data / "minutes", now=None, html=True)
    # kring export: into the minutes folder (again: rewritten), and to files named with --out.
    assert main(["export", "latest", "--format", "html"]) == 0
    for name, fmt in (("export.md", "md"), ("export.html", "html")):
        assert main(["export", "latest", "--format", fmt, "--out", str(out / name)]) == 0
        written.append(out / name)
    # kring journal --out
    assert main(["journal", "Team West", "--out", str(out / "journal.md")]) == 0
    written.append(out / "journal.md")
    # kring templates new
    assert main(["templates", "new", "my-incident", "--from", "incident", "--lang", "en"]) == 0
    written.append(isolated_folders / "config" / "templates" / "en" / "my-incident.toml")
    # kring new --start and kring add: a meeting prepared, started and noted in from a script.
    assert main(["new", "--community", "Team East", "--protocol", "incident", "--participant",
                 "A", "B", "C", "--role", "A=facilitator", "--role", "B=case-bringer",
                 "--title", "T", "--start"]) == 0
    assert main(["add", "latest", "q: Why? @c"]) == 0
    # A draft of the capture line, and a rescue copy written outside the data folder.
    with store.draft_slot(meeting_id) as slot:
        slot.save("half a sentence")
        written.append(slot.path)
        assert mode(slot.path) == 0o600
    written.append(write_rescue(out, record.meeting, record.entries,
                                datetime(2026, 11, 20, 11, tzinfo=UTC)))
    capsys.readouterr()

    for path in written:
        assert path.is_file(), path
    assert written[1].suffix == ".html"
    assert {str(p): mode(p) for p in written if p.exists()} == \
        {str(p): 0o600 for p in written if p.exists()}
    everything = {**modes_under(data), **modes_under(out),
                  **modes_under(isolated_folders / "config")}
    assert everything and {name: 0o600 for name in everything} == everything
    # The folders Kring made (the test made out/ itself) are the owner's only too.
    folders = {str(p): mode(p) for top in (data, isolated_folders / "config")
               for p in (top, *top.rglob("*")) if p.is_dir()}
    assert {name: 0o700 for name in folders} == folders


def test_a_crash_report_is_private(tmp_path: Path, umask_022: None) -> None:
    from kring.tui.crash import write_crash_log

    path = write_crash_log(RuntimeError("boom"), tmp_path / "logs")
    assert path is not None and mode(path) == 0o600
    assert mode(tmp_path / "logs") == 0o700
