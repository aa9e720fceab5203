"""`kring check ID|latest [--json]` (issue 25): the findings of a meeting for a person or a
script, with the real spotter. In-process runs reuse the test process's loaded spotter (a
load is seconds and a gigabyte); one run is the installed command, loading it as a user's
does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kring.sessions.guard.engine import Engine
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import dismiss_words
from tests.support.cli import meeting_with_entries, run
from tests.support.guard import engine

pytestmark = pytest.mark.slow

LINES = ["Sanne's vader belde gisteren over het huiswerk",
         "q: Heeft Bram al met de mentor gesproken?",  # Bram is a participant
         "!Kevin wordt thuis geslagen",  # private: never leaves, never asked about
         "a: bel 06-12345678 voor vrijdag @anouk"]


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Engine, "load", classmethod(lambda cls, state, progress=None: engine()))


def test_it_lists_what_nobody_protected(loaded: None, data: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    meeting_id = meeting_with_entries(data, "2026-12-01", "CoP Zuid", LINES)
    code, out, _err = run(capsys, "check", "latest")
    assert code == 3
    assert "Sanne" in out and "06-12345678" in out
    assert "Bram" not in out and "Kevin" not in out

    code, out, _err = run(capsys, "check", meeting_id[:6], "--json")
    assert code == 3
    found = json.loads(out)
    entries = {e.text: e.id for e in Store(data).load(meeting_id).entries}
    sanne = next(f for f in found if f["text"] == "Sanne")
    assert sanne["where"] == entries[LINES[0]] and sanne["kind"] == "person"
    assert (sanne["start"], sanne["end"]) == (0, 5) and sanne["suggestion"]
    assert {f["kind"] for f in found} == {"person", "phone"}


def test_a_dismissed_word_and_a_protected_name_are_not_asked_about_again(
        loaded: None, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    meeting_with_entries(data, "2026-12-01", "CoP Zuid", ["Mark the question for Sanne"])
    _code, out, _err = run(capsys, "check", "latest")
    assert "Mark" in out
    dismiss_words(Store(data), "CoP Zuid", ["Mark"])
    code, out, _err = run(capsys, "check", "latest", "--json")
    assert [f["text"] for f in json.loads(out)] == ["Sanne"] and code == 3


def test_nothing_found_and_no_such_meeting(loaded: None, data: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    meeting_with_entries(data, "2026-12-01", "CoP Zuid", ["We oefenen met open vragen"])
    code, out, _err = run(capsys, "check", "latest")
    assert code == 0 and "Nothing found" in out
    code, _out, err = run(capsys, "check", "zzzz")
    assert code == 1 and "No meeting has an id starting with 'zzzz'" in err


def test_the_installed_command_loads_the_guard_and_says_so_on_stderr(data: Path) -> None:
    kring = Path(sys.executable).with_name("kring")
    meeting_with_entries(data, "2026-12-01", "CoP Zuid", LINES)
    done = subprocess.run([str(kring), "check", "latest", "--json"], capture_output=True,
                          text=True, env=os.environ.copy(), timeout=600)
    assert done.returncode == 3, done.stderr
    assert "Loading the privacy guard" in done.stderr
    assert {f["text"] for f in json.loads(done.stdout)} == {"Sanne", "06-12345678"}


def test_carry_and_research_refuse_while_findings_are_open(
        loaded: None, data: Path, isolated_folders: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Before a meeting travels to another school or to a researcher: what nobody protected
    is listed, and nothing is written until a person looked (--accept-findings)."""
    from tests.support.cli import meeting_with_entries as typed

    typed(data, "2026-12-01", "CoP Zuid", ["l: Sanne needs a quiet corner @bram"])
    cop = isolated_folders / "cop-data"
    carry = ["carry", "latest", "--to", "CoP Inclusion", "--to-data", str(cop),
             "--consent-of", "Bram"]
    code, _out, err = run(capsys, *carry)
    assert code == 3 and "Sanne" in err and "--accept-findings" in err
    assert not cop.exists()  # nothing travelled
    code, _out, err = run(capsys, *carry, "--accept-findings")
    assert code == 0 and "Written all the same" in err and cop.exists()

    out_file = isolated_folders / "export.csv"
    research = ["research", "CoP Zuid", "--format", "csv", "--out", str(out_file)]
    run(capsys, "consent", "CoP Zuid", "Bram", "grant", "--date", "2020-01-01")
    code, _out, err = run(capsys, *research)
    assert code == 3 and "Sanne" in err and not out_file.exists()
    code, _out, err = run(capsys, *research, "--accept-findings")
    assert code == 0 and out_file.exists()


def test_export_lists_what_nobody_protected_and_the_minutes_say_what_the_guard_made_of_it(
        loaded: None, data: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The minutes are the meeting's own record: written whatever is found, the findings
    listed on stderr, and ``privacy_guard`` in the front matter for whoever reads them."""
    monkeypatch.delenv("KRING_GUARD", raising=False)  # conftest turns it off for other tests
    meeting_id = meeting_with_entries(data, "2026-12-01", "CoP Zuid", LINES)
    code, out, err = run(capsys, "export", "latest", "--out", "-")
    assert code == 0 and "Sanne" in err and "06-12345678" in err
    assert "privacy_guard: \"unresolved\"" in out and "Sanne" in out  # as typed
    assert "Kevin" not in err  # private: it never leaves, so it is not asked about

    store = Store(data)
    record = store.load(meeting_id)
    live = LiveMeeting(record.meeting, record.entries, store,
                       FakeClock(record.meeting.created_at))
    live.protect_names(["Sanne"])  # and the phone number taken out: nothing left open
    live.delete_entry(next(e.id for e in live.entries if "06-" in e.text))
    code, out, err = run(capsys, "export", "latest", "--format", "html")
    assert code == 0 and "found" not in err
    markdown = next(Path(line.split(" to ", 1)[1]) for line in out.splitlines()
                    if line.startswith("Minutes written to"))
    text = markdown.read_text(encoding="utf-8")
    assert "privacy_guard: \"checked\"" in text and "Sanne" not in text

    monkeypatch.setenv("KRING_GUARD", "off")  # turned off: nobody looked, and they say so
    code, out, err = run(capsys, "export", "latest", "--out", "-")
    assert code == 0 and err == "" and "privacy_guard: \"off\"" in out
