"""Text people type is never read as Rich markup (nor as emoji codes) by any command: case
titles, action points, learnings, names and community names that look like markup ("[/]",
"[bold]", "[link=...]", unbalanced brackets, ":smile:"), emoji and right-to-left scripts show
as typed, and the command exits 0. Terminal output must contain the text literally; Markdown
output (journal, export, actions --format md) must show it literally once rendered."""

from __future__ import annotations

import html
import json
import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry, new_id
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import remember_roster
from kring.templates import BUILTIN_DIR
from kring.tui.cli import main
from tests.support.budget import examples

FRAGMENTS = ["[/]", "[bold]", "[/bold]", "[b]x[/b]", "[link=https://example.org]", "[/link]",
             "[red on blue]", "[", "]", "[[", "]]", "\\[", "[/ ]", "[@click=quit]", ":smile:",
             ":x:", "😀", "👩‍👩‍👧", "家族", "שלום", "مرحبا", "Zoë", "*", "_", "<b>", "&amp;", "#",
             "`", "|"]
WORDS = st.one_of(st.sampled_from(FRAGMENTS),
                  st.text(alphabet="abcdefghijXYZ0123456789-.,'", min_size=1, max_size=6))
# Names and titles as the setup would keep them: words separated by single spaces.
TYPED = st.lists(WORDS, min_size=1, max_size=5).map(" ".join).filter(
    lambda text: not text.startswith("-"))  # not to be taken for an option
COMMUNITY = TYPED
PEOPLE = st.lists(TYPED, min_size=3, max_size=3,
                  unique_by=lambda name: name.casefold()).filter(
    lambda names: all("[" not in name or len(name) > 1 for name in names))


def _plain(markdown: str) -> str:
    """What a reader of the rendered Markdown sees: tags dropped, entities decoded."""
    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def _run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _meeting(data: Path, community: str, people: list[str], title: str, action: str,
             learning: str) -> str:
    found = load_catalog(BUILTIN_DIR).find("incident-short", "en")
    assert found is not None
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    plan = MeetingPlan(found.protocol, community=community, participants=list(people))
    plan.case.title = title
    plan.roles = {Role.FACILITATOR: people[0], Role.CASE_BRINGER: people[1]}
    meeting = plan.create(clock)
    step = found.protocol.steps()[0].key
    store = Store(data)
    store.create_meeting(meeting, [
        Entry(new_id(), Capture.ACTION, action, step, clock.now(), author=people[1],
              owner=people[1], due=date(2026, 3, 9)),
        Entry(new_id(), Capture.LEARNING, learning, step, clock.now(), author=people[2]),
    ])
    remember_roster(store, meeting.community, meeting.participants)
    return meeting.id


@pytest.mark.slow
@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(community=COMMUNITY, people=PEOPLE, title=TYPED, action=TYPED, learning=TYPED,
       note=TYPED)
def test_typed_text_shows_as_typed_in_every_command(
        capsys: pytest.CaptureFixture[str], community: str, people: list[str], title: str,
        action: str, learning: str, note: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        _meeting(data, community, people, title, action, learning)

        def shows(argv: list[str], *texts: str, markdown: bool = False) -> str:
            code, out, err = _run(capsys, data, *argv)
            assert code == 0, (argv, err)
            assert "Traceback" not in err and "MarkupError" not in err, (argv, err)
            shown = _plain(out) if markdown else out
            for text in texts:
                assert text in shown, (argv, text, shown)
            return out

        shows(["list"], community, title)
        shows(["list", "--real-names", "--all"], community, title)
        shows(["actions"], action, people[1], community)
        shows(["actions", f"--community={community}", f"--owner={people[1]}", "--status=all"],
              action, people[1])
        shows(["actions", "--format", "md"], action, people[1], markdown=True)
        shows(["journal", community], learning, people[2], community, markdown=True)
        shows(["journal", community, f"--person={people[2]}"], learning, markdown=True)
        shows(["export", "latest", "--out", "-"], title, action, learning, markdown=True)
        shows(["community", "list"], community)
        shows(["community", "show", community], community, *people)
        shows(["consent", community, people[0], "grant"], people[0])
        shows(["add", "latest", f"n: {note}"], note)
        shows(["calendar", f"--community={community}", "--out=-"])
        shows(["purge", "--before=2100-01-01", f"--community={community}", "--yes"], community)


@pytest.mark.parametrize("name", ["[/]", "[bold]Loud[/bold]", "Ends in [", "[link=x]y",
                                  ":smile: 😀", "שלום [b]"])
def test_template_names_and_phases_show_as_typed(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path, name: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # Rich's tables wrap cells to fit: room for them
    source = (BUILTIN_DIR / "en" / "incident-short.toml").read_text(encoding="utf-8")
    source = re.sub(r'(?m)^id\s*=\s*"[^"\n]*"', 'id = "markup-test"', source, count=1)
    source = re.sub(r'(?m)^name\s*=\s*"[^"\n]*"',
                    lambda _m: f"name = {json.dumps(name, ensure_ascii=False)}", source, count=1)
    source = re.sub(r'(?m)^title\s*=\s*"[^"\n]*"',
                    lambda _m: f"title = {json.dumps(name + ' phase', ensure_ascii=False)}",
                    source, count=1)
    folder = isolated_folders / "config" / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "markup-test.toml").write_text(source, encoding="utf-8")
    data = isolated_folders / "data"
    for argv in (["templates"], ["templates", "show", "markup-test"],
                 ["templates", "validate", str(folder / "markup-test.toml")]):
        code, out, err = _run(capsys, data, *argv)
        assert code == 0, (argv, err)
        assert name in out, (argv, out)
    code, out, _err = _run(capsys, data, "templates", "show", "markup-test")
    assert f"{name} phase" in out


def test_a_problem_with_a_template_is_shown_as_written(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path) -> None:
    folder = isolated_folders / "config" / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "[red]broken[b].toml").write_text("id = 3\n", encoding="utf-8")
    code, _out, err = _run(capsys, isolated_folders / "data", "templates")
    assert code == 0 and "[red]broken[b].toml" in err and "skipped" in err
