"""``kring insights`` on a seeded year of 30 meetings: what it prints, its JSON and HTML, what
it never shows, and its errors."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from kring.tui.cli import insights as insights_command
from tests.support.cli import run
from tests.support.community import COMMUNITY, NOT_CONSENTING, PUPILS, seed_community

TODAY = date(2026, 12, 6)
NEVER = (*PUPILS, *NOT_CONSENTING.split())


@pytest.fixture
def seeded(isolated_folders: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(insights_command, "today", lambda: TODAY)
    seed_community(isolated_folders, 30)
    return isolated_folders


def never_named(text: str) -> None:
    for name in NEVER:
        assert not re.search(rf"\b{name}\b", text, re.IGNORECASE), name


def test_the_terminal_report_says_the_numbers(seeded: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "insights", "cop passend ONDERWIJS")  # as people type it
    assert (code, err) == (0, "")
    assert "Insights: CoP Passend onderwijs" in out
    assert "30 meetings, 12 January 2026 to 3 August 2026" in out
    assert "60 raised: 15 done, 35 open (35 overdue), 10 dropped." in out
    assert "Average 4.2 over 30 meetings" in out
    assert re.search(r"De inbrenger legt het dilemma voor\s+30\s+10 min\s+11 min\s+\+1 min", out)
    assert "Has not brought a case yet: Dev Patel" in out
    assert "1 member not shown: no research consent." in out
    assert "- ouders betrekken (30 meetings)" in out
    assert "\x1b" not in out  # piped: no colour, no escape code at all
    never_named(out)


def test_json_holds_the_same_figures(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "insights", COMMUNITY, "--json")
    data = json.loads(out)
    assert code == 0 and data["follow_through"] == {"done": 15, "open": 35, "overdue": 35,
                                                   "dropped": 10}
    assert len(data["meetings"]) == 30 and data["without_case"] == ["Dev Patel"]
    never_named(out)


def test_a_period_keeps_its_meetings(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "insights", COMMUNITY, "--json", "--from", "2026-03-01",
                          "--to", "2026-03-31")
    dates = [m["date"] for m in json.loads(out)["meetings"]]
    assert code == 0 and dates == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23",
                                   "2026-03-30"]


def test_the_html_report_is_a_private_file_without_names(
        seeded: Path, capsys: pytest.CaptureFixture[str], umask_022: None) -> None:
    target = seeded / "report.html"
    code, out, _err = run(capsys, "insights", COMMUNITY, "--out", str(target))
    assert code == 0 and str(target) in out
    assert target.stat().st_mode & 0o777 == 0o600
    page = target.read_text(encoding="utf-8")
    assert "CoP Passend onderwijs" in page and "ouders betrekken" in page
    never_named(page)


def test_dutch_reports_in_dutch(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", "nl", "insights", COMMUNITY)
    assert code == 0 and "Inzichten: CoP Passend onderwijs" in out
    assert "Gemiddeld 4,2" in out


@pytest.mark.parametrize(("argv", "says"), [
    (["insights", "Nobody here"], "Nobody here"),
    (["insights", COMMUNITY, "--from", "2026-06-01", "--to", "2026-01-01"],
     "The period ends before it starts"),
    (["insights", COMMUNITY, "--from", "yesterday"], "is not a date like"),
    (["insights", COMMUNITY, "--json", "--out", "x.html"], "not allowed with"),
    (["insights"], "COMMUNITY"),
])
def test_wrong_arguments_get_a_sentence(seeded: Path, capsys: pytest.CaptureFixture[str],
                                        argv: list[str], says: str) -> None:
    try:
        code, _out, err = run(capsys, *argv)
    except SystemExit as exited:  # argparse's own errors end the process, as in a shell
        code, err = int(str(exited.code)), capsys.readouterr().err
    assert code != 0 and says in err and "Traceback" not in err
    assert not (seeded / "x.html").exists()


def test_a_community_without_meetings_says_so(isolated_folders: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "community", "add-member", "Empty CoP", "Anouk")[0] == 0
    code, out, _err = run(capsys, "insights", "Empty CoP")
    assert code == 0 and "No meetings of this community in this period yet." in out
