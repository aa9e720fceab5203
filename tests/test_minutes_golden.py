"""The minutes of two whole meetings, compared byte for byte with the files in tests/golden/.

After an intended change, regenerate them and read the diff before committing:

    KRING_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_minutes_golden.py
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kring.sessions.documents.html import render_html
from kring.sessions.documents.minutes import minutes_title, render_markdown
from kring.sessions.model.meeting import Entry, Meeting
from tests.support.golden import check
from tests.support.minutes import incident_meeting, troika_meeting

MEETINGS: dict[str, Callable[[], tuple[Meeting, list[Entry]]]] = {
    "incident": incident_meeting,
    "troika": troika_meeting,
}


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
