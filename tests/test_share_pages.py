"""What the view and contribute pages carry, over loopback: a phase's instructions as safe
HTML (formatted, nothing executable, no outside URL), and a contribution signed only as the
facilitator allows (named, anonymous or either), enforced by the server whatever a page sends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Meeting
from kring.sessions.share.access import AccessKind
from kring.sessions.share.instructions import instructions_html
from kring.sessions.store.facade import Store
from tests.share_support import held, serving

HOSTILE = """Write **your own** question, then *read it aloud*.

- one question a person
- [the method](https://evil.example/track?me=1) explains why, see <https://auto.example/x>
- and www.example.org/page

<script>alert('x')</script> <img src=x onerror="alert(1)"> ![a photo](http://img.example/a.png)
"""


def formatted_and_harmless(html: str) -> None:
    assert "<strong>your own</strong>" in html and "<em>read it aloud</em>" in html
    assert html.count("<li>") == 3 and "<ul>" in html
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "onerror" not in re.sub(r"&lt;.*?&gt;", "", html)  # only as escaped text
    assert "&lt;script&gt;" in html  # what was typed shows, as text
    assert not re.search(r"(?i)(?:[a-z]+:)?//|https?:|www\.example\.org/", html), html
    assert "the method" in html and "a photo" in html  # a link's words, an image's description


def test_instructions_become_safe_formatted_html() -> None:
    formatted_and_harmless(instructions_html(HOSTILE))
    assert instructions_html("  \n") == ""


def hostile_instructions(data: Path, meeting_id: str) -> None:
    """Every phase's instructions replaced, as an edited protocol template could have them."""
    def edit(meeting: Meeting) -> Meeting:
        for phase in meeting.protocol["phases"]:
            phase["instructions"] = HOSTILE
        return meeting

    Store(data).update_meeting(meeting_id, edit)


async def first_state(session: aiohttp.ClientSession, url: str) -> dict[str, object]:
    async with session.get(url) as stream:
        event = (await stream.content.readuntil(b"\n\n")).decode()
    data = next(line[len("data: "):] for line in event.splitlines() if line.startswith("data: "))
    return json.loads(data)


async def test_the_view_page_gets_the_instructions_as_safe_html(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    hostile_instructions(data, live.meeting.id)
    async with serving(data, live) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(server.url(AccessKind.VIEW)) as response:
            assert response.status == 200
        base = f"http://127.0.0.1:{server.port}"
        state = await first_state(session, base + "/events/view")
        formatted_and_harmless(str(state["instructions"]))
        async with session.get(base + "/view") as response:
            page = await response.text()
        assert re.findall(r"https?://", page) == []
