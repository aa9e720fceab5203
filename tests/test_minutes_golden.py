"""The minutes of two whole meetings, compared byte for byte with the files in tests/golden/.

After an intended change, regenerate them and read the diff before committing:

    KRING_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_minutes_golden.py
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kring.sessions.documents.html import render_html
from kring.sessions.documents.minutes import minutes_title, render_markdown
from kring.sessions.model.meeting import Entry, Meeting
from tests.test_minutes_fixtures import incident_meeting, troika_meeting

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("KRING_UPDATE_GOLDEN") == "1"

MEETINGS: dict[str, Callable[[], tuple[Meeting, list[Entry]]]] = {
    "incident": incident_meeting,
    "troika": troika_meeting,
}


def check(name: str, content: str) -> None:
    path = GOLDEN / name
    data = content.encode("utf-8")
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing: run with KRING_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    # Compared as text first, for a readable diff; then as bytes, so line endings count too.
    assert data.decode("utf-8") == expected.decode("utf-8")
    assert data == expected


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_markdown_matches_the_golden_file(name: str) -> None:
    meeting, entries = MEETINGS[name]()
    check(f"{name}.md", render_markdown(meeting, entries))


@pytest.mark.parametrize("name", sorted(MEETINGS))
def test_html_matches_the_golden_file(name: str) -> None:
    meeting, entries = MEETINGS[name]()
    page = render_html(render_markdown(meeting, entries), minutes_title(meeting),
                       language=meeting.language)
    check(f"{name}.html", page)


def test_building_a_meeting_twice_gives_the_same_minutes() -> None:
    # The goldens only mean something if the meetings they come from are fixed.
    for build in MEETINGS.values():
        assert render_markdown(*build()) == render_markdown(*build())
