"""A count is said as the language counts it: "1 action point", never "1 action points", in
English and in Dutch (gettext's plural forms through ``ngettext``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kring.sessions.i18n import ngettext, use_language
from kring.sessions.model.kinds import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.tui.cli import main
from tests.support.store import entry, meeting

ROOT = Path(__file__).resolve().parent.parent
# A number placeholder followed by a word in the plural: "{count} meetings", "{n} members".
COUNTED = re.compile(r"\{(n|count|number)\} (\w+ )?\w+s\b")


def test_no_translated_text_puts_a_count_before_a_fixed_plural() -> None:
    found = []
    for folder in ("tui", "sessions"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id in {"_", "N_"} and node.args
                        and isinstance(node.args[0], ast.Constant)
                        and isinstance(node.args[0].value, str)
                        and COUNTED.search(node.args[0].value)):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    assert not found, "use ngettext:\n" + "\n".join(found)


@pytest.mark.parametrize(("language", "one", "two"), [
    ("en", "1 action point written", "2 action points written"),
    ("nl", "1 actiepunt geschreven", "2 actiepunten geschreven"),
])
def test_one_and_two_are_counted_as_the_language_counts(
        language: str, one: str, two: str) -> None:
    use_language(language)
    try:
        said = [ngettext("{count} action point written to {path}",
                         "{count} action points written to {path}", n).format(count=n, path="x")
                for n in (1, 2)]
    finally:
        use_language("en")
    assert said[0].startswith(one) and said[1].startswith(two)


def test_kring_calendar_counts_one_action_point_in_the_singular(
        data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(data)
    made = meeting("m1")
    store.create_meeting(made)
    store.apply("m1", AddEntry(entry("e1", "Call the parents", kind=Capture.ACTION,
                                     owner="Ann", due=made.date)))
    assert main(["--data", str(data), "calendar", "--out", str(tmp_path / "a.ics")]) == 0
    printed = capsys.readouterr().out
    assert "1 action point written" in printed, printed
