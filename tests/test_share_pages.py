"""What the view and contribute pages carry, over loopback: a phase's instructions as safe
HTML (formatted, nothing executable, no outside URL), and a contribution signed only as the
facilitator allows (named, anonymous or either), enforced by the server whatever a page sends."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.i18n import use_language
from kring.sessions.model.clock import FakeClock
from kring.sessions.share.access import AccessKind
from kring.sessions.share.instructions import instructions_html
from kring.sessions.share.naming import NameRequired, Naming, sign
from kring.sessions.share.queue import new_item_id
from kring.tui.share.pages import contribute_page, number
from tests.support.share import HOSTILE, held, hostile_instructions, serving


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


# -- names -------------------------------------------------------------------------------------


async def send(session: aiohttp.ClientSession, base: str, who: str | None,
               text: str) -> tuple[int, dict[str, object]]:
    fields = {"text": text, "item": new_item_id()}
    if who is not None:
        fields["who"] = who
    async with session.post(base + "/contribute", data=fields,
                            headers={"Accept": "application/json", "Origin": base}) as response:
        return response.status, await response.json()


async def contribute_as(naming: Naming, data: Path, clock: FakeClock,
                        sent: list[str | None]) -> tuple[list[int], list[str | None], str,
                                                         dict[str, object]]:
    """Contributions sent with ``sent`` as their name field (a roster place, "" or none at
    all): the statuses, the authors that reached the queue, the page and its state."""
    live = held(data, clock, phase="questions")
    async with serving(data, live, naming=naming) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(server.url(AccessKind.CONTRIBUTE)) as response:
            assert response.status == 200
        base = f"http://127.0.0.1:{server.port}"
        statuses = [(await send(session, base, who, f"Question {n}?"))[0]
                    for n, who in enumerate(sent)]
        async with session.get(base + "/contribute") as response:
            page = await response.text()
        state = await first_state(session, base + "/events/contribute")
        assert server.feed is not None
        server.feed.log.refresh()
        return statuses, [item.author for item in server.feed.log.waiting], page, state


async def test_either_way_a_participant_chooses(data: Path, clock: FakeClock) -> None:
    statuses, authors, page, state = await contribute_as(
        Naming.ANY, data, clock, ["3", "", None, "99", "x"])
    assert statuses == [200] * 5
    assert authors == ["Dev", None, None, None, None]  # not on the roster: anonymous
    assert ">Anonymous</option>" in page and "who\" required" not in page
    assert '<span id="names-note" class="note" hidden>' in page
    assert state["naming"] == "any" and "Dev" in state["names"]  # type: ignore[operator]


async def test_named_only_refuses_a_contribution_without_a_roster_name(
        data: Path, clock: FakeClock) -> None:
    statuses, authors, page, state = await contribute_as(
        Naming.NAMED, data, clock, ["1", "", None, "99", "-1"])
    assert statuses == [200, 400, 400, 400, 400]
    assert authors == ["Bram"]  # nothing else reached the queue
    assert '<select id="who" name="who" required aria-describedby="names-note">' in page
    assert ">Anonymous<" not in page
    # Said plainly, with the page: whoever picks a name is not checked.
    assert '<span id="names-note" class="note">Names are chosen by each person' in page
    assert state["naming"] == "named"


async def test_anonymous_only_drops_any_name_sent(data: Path, clock: FakeClock) -> None:
    statuses, authors, page, state = await contribute_as(
        Naming.ANONYMOUS, data, clock, ["3", "0", "", None])
    assert statuses == [200] * 4
    assert authors == [None] * 4  # sent by hand, past the page: still not kept
    assert 'id="who"' not in page and 'id="who-box" class="who" hidden' in page
    assert state["naming"] == "anonymous" and state["names"] == []


async def test_a_change_while_sharing_applies_to_the_next_contribution(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        await session.get(server.url(AccessKind.CONTRIBUTE))
        base = f"http://127.0.0.1:{server.port}"
        assert (await send(session, base, "", "Before?"))[0] == 200
        server.set_naming(Naming.NAMED)
        assert (await send(session, base, "", "After?"))[0] == 400
        assert (await first_state(session, base + "/events/contribute"))["naming"] == "named"
        server.set_naming(Naming.ANONYMOUS)
        assert (await send(session, base, "2", "Later?"))[0] == 200
        assert server.feed is not None
        server.feed.log.refresh()
        assert [i.author for i in server.feed.log.waiting] == [None, None]


def test_sign_is_the_one_rule() -> None:
    names = ["Anouk", "Bram"]
    assert sign(Naming.ANY, "1", names) == "Bram" and sign(Naming.ANY, "", names) is None
    assert sign(Naming.ANONYMOUS, "1", names) is None
    with pytest.raises(NameRequired):
        sign(Naming.NAMED, "2", names)


# -- the form comes with the page (issue 22) -----------------------------------------------------


async def test_the_contribute_form_comes_with_the_page(data: Path, clock: FakeClock) -> None:
    """As served, before any script runs: the form with its hint and the roster's names
    when the phase collects, the closed sentence when it does not, Sent after a plain
    post, and a word for a browser without JavaScript."""
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        await session.get(server.url(AccessKind.CONTRIBUTE))
        base = f"http://127.0.0.1:{server.port}"
        async with session.get(base + "/contribute") as response:
            page = await response.text()
        assert '<form id="send" method="post" action="/contribute">' in page  # not hidden
        assert '<label for="text" id="hint">Type a question</label>' in page
        names = re.findall(r'<option value="(\d+)">([^<]*)</option>', page)
        assert names == [("0", "Anouk"), ("1", "Bram"), ("2", "Chantal"), ("3", "Dev")]
        assert '<p id="closed" class="closed" hidden></p>' in page
        assert "<noscript>" in page and "without JavaScript" in page
        assert '<p id="status" class="status" role="status"></p>' in page
        assert f'<h1 id="title">{live.step.phase.title}</h1>' in page
        async with session.get(base + "/contribute?sent=1") as response:
            assert "Sent: it waits for the facilitator.</p>" in await response.text()
        live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "actual"))
        assert server.feed is not None
        server.feed.poll()
        async with session.get(base + "/contribute") as response:
            page = await response.text()
        assert '<form id="send" method="post" action="/contribute" hidden>' in page
        assert ">Nothing is collected in this phase.</p>" in page


def test_the_contribute_page_escapes_what_it_is_given() -> None:
    state = {"collect": {"kind": "question", "label": "question", "hint": "<b>Type</b>"},
             "names": ["<script>x</script>", 'A"B'], "title": "<i>T</i>", "phase": "P&Q",
             "rule": "<u>r</u>", "naming": "any", "ended": False}
    page = contribute_page("<item>", Naming.ANY, state)
    for raw in ("<b>", "<script>", "<i>", "<u>", "<item>"):
        assert raw not in page, raw
    assert "&lt;b&gt;Type&lt;/b&gt;</label>" in page and "A&quot;B</option>" in page


def test_an_ended_meeting_takes_nothing() -> None:
    state = {"collect": {"kind": "question", "label": "question", "hint": "Type"},
             "names": [], "title": "T", "naming": "any", "ended": True}
    page = contribute_page("x" * 16, Naming.ANY, state)
    assert '<form id="send" method="post" action="/contribute" hidden>' in page
    assert '<p id="ended" class="ended">The meeting has ended.</p>' in page


def test_counts_come_in_both_forms_for_the_script() -> None:
    page = contribute_page("x" * 16)
    for key, one, other in [("votes", "{n} vote", "{n} votes"),
                            ("voters", "{n} voter", "{n} voters"),
                            ("votes-left", "{n} vote left", "{n} votes left"),
                            ("chars-left", "{n} character left", "{n} characters left")]:
        assert f'data-{key}-one="{one}" data-{key}-other="{other}"' in page
    assert '<p id="count" class="chars" data-max="1000">1,000 characters left</p>' in page
    assert 'aria-describedby="count"' in page


def test_numbers_are_written_as_the_language_writes_them() -> None:
    try:
        use_language("nl")
        assert number(1000) == "1.000"
    finally:
        use_language("en")
    assert number(1000) == "1,000" and number(7) == "7"


async def test_a_refused_plain_post_gets_the_page_back_saying_why_with_the_text_kept(
        data: Path) -> None:
    """Without JavaScript a phone sees a page, never a JSON body: why it was not sent, and
    what was written still in the field to send again."""
    import aiohttp

    from kring.sessions.model.clock import SystemClock
    from kring.sessions.share.access import AccessKind
    from kring.sessions.share.queue import new_item_id
    from tests.support.share import held, serving

    live = held(data, SystemClock(), phase="actual")  # a phase that collects nothing
    jar = aiohttp.CookieJar(unsafe=True)  # cookies of an address, as a phone keeps them
    async with serving(data, live) as server, aiohttp.ClientSession(cookie_jar=jar) as session:
        base = f"http://127.0.0.1:{server.port}"
        async with session.get(server.url(AccessKind.CONTRIBUTE)) as entered:
            assert entered.status == 200
        written = "What did <b>you</b> try first?"
        async with session.post(f"{base}/contribute", headers={"Origin": base},
                                data={"text": written, "item": new_item_id()},
                                allow_redirects=False) as refused:
            page = await refused.text()
            assert refused.status == 409 and refused.content_type == "text/html"
        assert "Not sent: This phase takes no contributions." in page
        assert "What did &lt;b&gt;you&lt;/b&gt; try first?</textarea>" in page
