"""The share pages in a real browser: Debian's Chromium, headless, driven by Playwright (no
browser is downloaded). A phone-sized view follows a phase change within a second; a
question written on a phone reaches the queue and, revealed, the minutes; a vote counts once
per participant; the scribe's terminal runs Kring; and no page loads anything from outside."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from itertools import pairwise
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.documents.minutes import render_markdown
from kring.sessions.model.clock import SystemClock
from kring.sessions.model.meeting import Meeting
from kring.sessions.share.access import AccessKind
from kring.sessions.share.votes import VoteRound, vote_options
from kring.sessions.store.facade import Store
from kring.tui.share.scribe import scribe_command
from kring.tui.share.server import ShareServer
from tests.support.browser import Phones, needs_chromium
from tests.support.share import SECRET, held, serving
from tests.support.store import Mutate

pytestmark = [pytest.mark.e2e, needs_chromium]


def watch_requests(page: object, base: str) -> list[str]:
    """Every URL the page asks for; the test checks they are all this server's."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


async def test_a_phone_s_view_follows_a_phase_change_within_a_second(
        data: Path, browser: Phones) -> None:
    live = held(data, SystemClock())
    async with serving(data, live) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        await page.goto(server.url(AccessKind.VIEW))
        await page.wait_for_url(f"{base}/view")
        title = page.locator("#title")
        await title.filter(has_text="Choose an incident").wait_for(timeout=5000)
        assert await page.locator("#case").text_content() == "Why Pupil A stopped asking"
        delays = []
        for _round in range(3):
            before = await title.text_content()
            live.next_phase()
            started = time.monotonic()
            await page.wait_for_function(
                "previous => document.getElementById('title').textContent !== previous",
                arg=before, timeout=3000)
            delays.append(time.monotonic() - started)
        assert max(delays) <= 1.0, delays
        assert re.match(r"\d+:\d\d", await page.locator("#timer").text_content() or "")
        content = await page.content()
        assert SECRET not in content and "Zoë" not in content
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing sideways on a phone
        assert asked and all(url.startswith(base) for url in asked), asked


async def test_a_question_from_a_phone_reaches_the_queue_and_revealed_the_minutes(
        data: Path, browser: Phones) -> None:
    live = held(data, SystemClock(), phase="questions")
    async with serving(data, live) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        await page.goto(server.url(AccessKind.CONTRIBUTE))
        await page.wait_for_url(f"{base}/contribute")
        await page.locator("#send").wait_for(state="visible", timeout=5000)
        await page.fill("#text", "What did you try first?")
        await page.select_option("#who", label="Dev")
        await page.click("#send button")
        await page.locator("#status").filter(has_text="Sent").wait_for(timeout=5000)
        assert await page.input_value("#text") == ""
        assert server.feed is not None
        log = server.feed.log
        log.refresh()
        [item] = log.waiting
        assert (item.text, item.author) == ("What did you try first?", "Dev")
        entry = log.reveal(item.id, live)
        assert entry is not None
        stored = Store(data).load(live.meeting.id)
        assert "What did you try first?" in render_markdown(stored.meeting, stored.entries)
        # A phase that collects nothing: the form goes.
        live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "actual"))
        await page.locator("#closed").wait_for(state="visible", timeout=3000)
        assert all(url.startswith(base) for url in asked), asked


async def test_a_vote_counts_once_per_participant(data: Path, browser: Phones) -> None:
    from kring.sessions.model.kinds import Capture

    live = held(data, SystemClock(), phase="positions")
    live.add_entry("Ask the mentor", Capture.POSITION)
    live.add_entry("Call the parents", Capture.POSITION)
    live.add_entry("Wait a week", Capture.POSITION)
    async with serving(data, live) as server:
        assert server.feed is not None
        log = server.feed.log
        options = vote_options(live)
        log.open(VoteRound("vote1", live.step.key, 2, options, live.clock.now()))
        phones = [await browser.new_page() for _n in range(2)]
        for phone in phones:
            await phone.goto(server.url(AccessKind.CONTRIBUTE))
            await phone.locator("#options button").first.wait_for(timeout=5000)
        first = phones[0].locator("#options button", has_text="Call the parents")
        await first.click()
        await phones[0].locator("#votes-left").filter(
            has_text="1 vote left").wait_for(timeout=3000)
        assert await first.get_attribute("aria-pressed") == "true"
        # Sent again behind the page's back: not counted again.
        status = await phones[0].evaluate(
            """id => fetch('/vote', {method: 'POST', body: new URLSearchParams(
                   {vote: 'vote1', option: id}), headers: {Accept: 'application/json'}})
               .then(r => r.status)""", options[1].entry_id)
        assert status == 200
        log.refresh()
        assert dict((o.text, n) for o, n in log.open_vote.counts())["Call the parents"] == 1
        await phones[1].locator("#options button", has_text="Call the parents").click()
        await phones[1].locator('#options button[aria-pressed="true"]').wait_for(timeout=3000)
        await phones[1].locator("#options button", has_text="Wait a week").click()
        await phones[1].locator("#votes-left").filter(
            has_text="0 votes left").wait_for(timeout=3000)
        view = await browser.new_page()
        await view.goto(server.url(AccessKind.VIEW))
        await view.locator("#results li").first.filter(
            has_text="2 votes").wait_for(timeout=3000)
        assert "Call the parents" in (await view.locator("#results li").first.text_content()
                                      or "")
        assert await view.locator("#voters").text_content() == "2 voters"
        counts = await view.locator("#results .count").all_text_contents()
        assert counts == ["2 votes", "1 vote", "0 votes"]  # never "1 votes"


async def test_the_scribe_runs_kring_in_the_browser(data: Path, browser: Phones) -> None:
    live = held(data, SystemClock())
    command = scribe_command(data, live.meeting.id, "en")
    assert command.startswith(sys.executable.replace(" ", "\\ ")[:5])
    async with serving(data, live, scribe_command=command) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        await page.goto(server.url(AccessKind.SCRIBE))
        await page.wait_for_url(f"{base}/scribe")
        # textual-serve's client marks the page once the app has drawn its first frame.
        await page.locator("body.-first-byte").wait_for(timeout=30000)
        assert server.connected(AccessKind.SCRIBE) == 1
        await server.revoke(AccessKind.SCRIBE)
        await page.locator("body.-closed").wait_for(timeout=10000)
        assert all(url.startswith(("http://127.0.0.1", "ws://127.0.0.1")) for url in asked)


async def test_a_phone_shows_the_instructions_formatted_and_runs_nothing_in_them(
        data: Path, browser: Phones) -> None:
    from tests.support.share import hostile_instructions

    live = held(data, SystemClock(), phase="questions")
    hostile_instructions(data, live.meeting.id)
    async with serving(data, live) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(server.url(AccessKind.VIEW))
        await page.wait_for_url(f"{base}/view")
        bold = page.locator("#instructions strong", has_text="your own")
        await bold.wait_for(timeout=5000)
        assert await page.locator("#instructions li").count() == 3
        for tag in ("script", "img", "a", "iframe"):
            assert await page.locator(f"#instructions {tag}").count() == 0, tag
        text = await page.locator("#instructions").inner_text()
        assert "**" not in text and "<script>alert('x')</script>" in text  # shown as typed
        assert dialogs == [] and all(url.startswith(base) for url in asked), asked


# -- issue 22: the phone side ------------------------------------------------------------------

LONG = "W" * 200  # one word wider than any phone


def longest_words(data: Path, meeting_id: str) -> None:
    """A 200-character word in every text a page shows: the phases' titles, rules and
    instructions, the case, its focus question and a name on the roster."""
    def edit(meeting: Meeting) -> Meeting:
        for phase in meeting.protocol["phases"]:
            phase["title"] = f"Title {LONG}"
            phase["instructions"] = f"Read {LONG} aloud.\n\n    code {LONG}\n"
        meeting.case.title = f"Case {LONG}"
        meeting.case.focus_question = f"Focus {LONG}?"
        meeting.participants = [*meeting.participants, f"Name{LONG}"]
        return meeting

    Store(data).apply(meeting_id, Mutate(edit))


async def scroll_width(page: object) -> int:
    width: int = await page.evaluate("document.documentElement.scrollWidth")
    return width


async def test_a_200_character_word_does_not_scroll_a_phone_sideways(
        data: Path, browser: Phones) -> None:
    from kring.sessions.model.kinds import Capture

    async with asyncio.timeout(60):
        live = held(data, SystemClock(), phase="positions")
        live.add_entry(f"Option {LONG}", Capture.POSITION)
        live.add_entry("Call the parents", Capture.POSITION)
        longest_words(data, live.meeting.id)
        async with serving(data, live) as server:
            assert server.feed is not None
            server.feed.log.open(VoteRound("vote1", live.step.key, 1, vote_options(live),
                                           live.clock.now()))
            phone = await browser.new_page()
            await phone.goto(server.url(AccessKind.CONTRIBUTE))
            await phone.locator("#options button", has_text=LONG).wait_for(timeout=5000)
            await phone.locator("#title", has_text=LONG).wait_for(timeout=5000)
            await phone.locator("#options button", has_text=LONG).click()
            await phone.locator('#options button[aria-pressed="true"]').wait_for(timeout=3000)
            assert await phone.locator("#who option", has_text=LONG).count() == 1
            assert await scroll_width(phone) <= 390
            view = await browser.new_page()
            await view.goto(server.url(AccessKind.VIEW))
            await view.locator("#results li", has_text=LONG).wait_for(timeout=5000)
            for shown in ("#case", "#focus", "#instructions p", "#instructions pre"):
                assert LONG in (await view.locator(shown).text_content() or ""), shown
            assert await scroll_width(view) <= 390


async def test_a_phone_turned_away_comes_back_when_the_room_has_space(
        data: Path, browser: Phones) -> None:
    """A 429 ends an EventSource for good: the page tries again by itself, with back-off, and
    shows the meeting once a stream is free, without being reloaded."""
    caps = {AccessKind.VIEW: 1, AccessKind.CONTRIBUTE: 150, AccessKind.SCRIBE: 2}
    live = held(data, SystemClock())
    async with asyncio.timeout(60), serving(data, live, caps=caps) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        await other.get(server.url(AccessKind.VIEW))
        base = f"http://127.0.0.1:{server.port}"
        holding = await other.get(base + "/events/view")
        assert holding.status == 200
        await holding.content.readuntil(b"\n\n")
        phone = await browser.new_page()
        await phone.goto(server.url(AccessKind.VIEW))
        await phone.wait_for_url(f"{base}/view")
        offline = phone.locator("#offline")
        await offline.filter(has_text="Connection lost").wait_for(timeout=5000)
        assert await phone.locator("#case").is_hidden()  # nothing shown yet: it got a 429
        await phone.evaluate("window.kept = true")
        holding.close()
        started = time.monotonic()
        await phone.locator("#case").filter(
            has_text="Why Pupil A stopped asking").wait_for(timeout=20000)
        assert time.monotonic() - started < 20
        await offline.wait_for(state="hidden", timeout=3000)
        assert await phone.evaluate("window.kept === true")  # the same page: no reload


async def test_a_phone_waits_longer_each_time_and_looks_at_once_when_picked_up(
        data: Path, browser: Phones) -> None:
    """Turned away again and again, a phone waits longer each time (1 s, 2 s, 4 s, ...,
    give or take a quarter), and when it is picked up again (the tab becomes visible) it
    does not wait out the rest."""
    caps = {AccessKind.VIEW: 1, AccessKind.CONTRIBUTE: 150, AccessKind.SCRIBE: 2}
    live = held(data, SystemClock())
    async with asyncio.timeout(60), serving(data, live, caps=caps) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other:
        await other.get(server.url(AccessKind.VIEW))
        base = f"http://127.0.0.1:{server.port}"
        holding = await other.get(base + "/events/view")
        await holding.content.readuntil(b"\n\n")
        phone = await browser.new_page()
        asked: list[float] = []
        phone.on("request", lambda request: asked.append(time.monotonic())
                 if request.url.endswith("/events/view") else None)
        await phone.goto(server.url(AccessKind.VIEW))
        offline = phone.locator("#offline")
        # The third wait: 4 s, give or take a quarter.
        await offline.filter(has_text=re.compile(r"in [345] seconds")).wait_for(timeout=10000)
        waited = time.monotonic()
        gaps = [later - earlier for earlier, later in pairwise(asked)]
        assert len(gaps) == 2 and 0.7 < gaps[0] < gaps[1] < 2.6, gaps
        holding.close()
        while server.connected(AccessKind.VIEW):
            await asyncio.sleep(0.05)
        await phone.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        await phone.locator("#case").filter(
            has_text="Why Pupil A stopped asking").wait_for(timeout=3000)
        assert time.monotonic() - waited < 2.9  # before the wait of at least 3 s was out
        await offline.wait_for(state="hidden", timeout=3000)


async def test_a_phone_comes_back_after_the_server_restarts(
        data: Path, browser: Phones) -> None:
    """The server stops and starts again on the same port with the same sessions (a laptop
    that slept, a crash brought back): the phone finds it again by itself, and shows what
    changed while it was gone."""
    live = held(data, SystemClock(), phase="questions")
    old = ShareServer(data, live.meeting.id, clock=live.clock)
    await old.start()
    new: ShareServer | None = None
    try:
        async with asyncio.timeout(60):
            phone = await browser.new_page()
            await phone.goto(old.url(AccessKind.CONTRIBUTE))
            await phone.locator("#send").wait_for(state="visible", timeout=5000)
            before = await phone.locator("#title").text_content()
            await phone.evaluate("window.kept = true")
            await old.stop()
            await phone.locator("#offline").filter(
                has_text="Connection lost").wait_for(timeout=5000)
            live.next_phase()
            new = ShareServer(data, live.meeting.id, port=old.port, clock=live.clock)
            new.access = old.access
            await new.start()
            await phone.wait_for_function(
                "before => document.getElementById('title').textContent !== before",
                arg=before, timeout=20000)
            assert await phone.locator("#title").text_content() == live.step.phase.title
            await phone.locator("#offline").wait_for(state="hidden", timeout=3000)
            assert await phone.evaluate("window.kept === true")
    finally:
        if new is not None:
            await new.stop()
        if not old.closing:
            await old.stop()


async def test_a_vote_taken_back_counts_no_more(data: Path, browser: Phones) -> None:
    from kring.sessions.model.kinds import Capture

    live = held(data, SystemClock(), phase="positions")
    live.add_entry("Ask the mentor", Capture.POSITION)
    live.add_entry("Call the parents", Capture.POSITION)
    async with asyncio.timeout(60), serving(data, live) as server:
        assert server.feed is not None
        server.feed.log.open(VoteRound("vote1", live.step.key, 1, vote_options(live),
                                       live.clock.now()))
        phone = await browser.new_page()
        await phone.goto(server.url(AccessKind.CONTRIBUTE))
        view = await browser.new_page()
        await view.goto(server.url(AccessKind.VIEW))
        option = phone.locator("#options button", has_text="Call the parents")
        other = phone.locator("#options button", has_text="Ask the mentor")
        await option.click()
        await phone.locator('#options button[aria-pressed="true"]').wait_for(timeout=3000)
        assert await other.is_disabled()  # one vote each, and it is given
        counted = view.locator("#results li", has_text="Call the parents")
        await counted.filter(has_text="1 vote").wait_for(timeout=3000)
        assert await view.locator("#voters").text_content() == "1 voter"
        # Pressed again, from the keyboard this time: taken back, and the focus stays put
        # though the list is drawn anew.
        await option.focus()
        await phone.keyboard.press("Space")
        await phone.locator('#options button[aria-pressed="false"]').nth(1).wait_for(
            timeout=3000)
        assert await option.get_attribute("aria-pressed") == "false"
        assert await phone.evaluate("document.activeElement.textContent") == "Call the parents"
        assert not await other.is_disabled()
        assert await phone.locator("#votes-left").text_content() == "1 vote left"
        await counted.filter(has_text="0 votes").wait_for(timeout=3000)
        assert await view.locator("#voters").text_content() == "0 voters"
        server.feed.log.refresh()
        assert server.feed.log.open_vote is not None
        assert server.feed.log.open_vote.chosen.get(
            next(iter(server.feed.log.open_vote.chosen), ""), []) == []


async def test_hidden_counts_show_on_neither_page(data: Path, browser: Phones) -> None:
    from kring.sessions.model.kinds import Capture

    live = held(data, SystemClock(), phase="positions")
    for text in ("Ask the mentor", "Call the parents", "Wait a week"):
        live.add_entry(text, Capture.POSITION)
    async with asyncio.timeout(60), serving(data, live) as server:
        assert server.feed is not None
        server.feed.log.open(VoteRound("vote1", live.step.key, 2, vote_options(live),
                                       live.clock.now(), hidden=True))
        phone = await browser.new_page()
        await phone.goto(server.url(AccessKind.CONTRIBUTE))
        await phone.locator("#options button", has_text="Wait a week").click()
        await phone.locator("#votes-left").filter(
            has_text="1 vote left").wait_for(timeout=3000)
        view = await browser.new_page()
        await view.goto(server.url(AccessKind.VIEW))
        await view.locator("#voters").filter(has_text="1 voter").wait_for(timeout=3000)
        for page in (phone, view):
            note = page.locator("#counts-hidden")
            assert await note.is_visible()
            assert "hidden until the vote closes" in (await note.text_content() or "")
        assert await view.locator("#results .count").count() == 0
        # In the vote's own order, not by count: an order would tell what the counts hide.
        assert await view.locator("#results li").all_text_contents() == [
            "Ask the mentor", "Call the parents", "Wait a week"]
        assert not re.search(r"\d+ votes?\b(?! left)", await phone.locator("#vote").inner_text())
        server.feed.log.hide_counts(False)
        await view.locator("#results .count").first.wait_for(timeout=3000)
        assert await view.locator("#counts-hidden").is_hidden()
        assert (await view.locator("#results li").first.text_content() or "").startswith(
            "1 vote")


async def test_the_form_works_without_javascript(data: Path, browser: Phones) -> None:
    """The form comes with the page, not with the stream: a browser that runs no script
    shows it, sends a question with a plain post, and is told it was sent."""
    from kring.sessions.share.naming import Naming

    live = held(data, SystemClock(), phase="questions")
    async with asyncio.timeout(60), serving(data, live, naming=Naming.NAMED) as server:
        page = await browser.new_page(java_script_enabled=False)
        base = f"http://127.0.0.1:{server.port}"
        await page.goto(server.url(AccessKind.CONTRIBUTE))
        await page.wait_for_url(f"{base}/contribute")
        assert await page.locator("#send").is_visible()
        assert await page.locator("#hint").text_content() == "Type a question"
        assert "without JavaScript" in await page.locator("main").inner_text()
        assert await page.locator("#names-note").is_visible()  # named only: not checked
        await page.fill("#text", "What did you try first?")
        await page.select_option("#who", label="Chantal")
        await page.click("#send button")
        await page.wait_for_url(f"{base}/contribute?sent=1")
        assert await page.locator("#status").text_content() == (
            "Sent: it waits for the facilitator.")
        assert server.feed is not None
        server.feed.log.refresh()
        [item] = server.feed.log.waiting
        assert (item.text, item.author) == ("What did you try first?", "Chantal")
        # The page sent anew has a new item id: a second question is not the first again.
        await page.fill("#text", "And then?")
        await page.select_option("#who", label="Chantal")
        await page.click("#send button")
        await page.wait_for_url(f"{base}/contribute?sent=1")
        server.feed.log.refresh()
        assert [i.text for i in server.feed.log.waiting] == ["What did you try first?",
                                                             "And then?"]


async def test_the_counter_counts_what_is_left(data: Path, browser: Phones) -> None:
    live = held(data, SystemClock(), phase="questions")
    async with asyncio.timeout(60), serving(data, live) as server:
        page = await browser.new_page()
        await page.goto(server.url(AccessKind.CONTRIBUTE))
        counter = page.locator("#count")
        assert await counter.text_content() == "1,000 characters left"
        assert await page.locator("#text").get_attribute("aria-describedby") == "count"
        await page.fill("#text", "What happened?")
        await counter.filter(has_text="986 characters left").wait_for(timeout=3000)
        await page.fill("#text", "x" * 999)
        await counter.filter(has_text="1 character left").wait_for(timeout=3000)
        # Said once the typing pauses, not at every key.
        await page.locator("#count-said").filter(
            has_text="1 character left").wait_for(timeout=3000)


async def test_a_phone_whose_link_was_revoked_says_so_and_stops_trying(
        data: Path, browser: Phones) -> None:
    live = held(data, SystemClock())
    async with serving(data, live) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        await page.goto(server.url(AccessKind.VIEW))
        await page.wait_for_url(f"{base}/view")
        await page.locator("#title").filter(has_text="Choose an incident").wait_for(
            timeout=5000)
        streams: list[str] = []
        page.on("request", lambda request: streams.append(request.url)
                if "/events/" in request.url else None)
        await server.revoke(AccessKind.VIEW)
        await page.locator("#offline").filter(has_text="no longer works").wait_for(
            timeout=5000)
        tried = len(streams)
        await asyncio.sleep(2.5)  # past the first back-off or two: no retry was scheduled
        assert len(streams) == tried


async def test_after_the_meeting_a_phone_downloads_the_handout(
        data: Path, browser: Phones, tmp_path: Path) -> None:
    """Issue 27: the view page offers the minutes once the meeting has ended; the handout a
    phone downloads is the one Kring makes of the meeting, as the room may read it."""
    import io

    from pypdf import PdfReader

    from kring.sessions.documents.pdf.render import render_pdf
    from kring.sessions.model.kinds import Capture

    live = held(data, SystemClock(), phase="questions")
    live.add_entry("Ask Zoë's mentor how the week went", Capture.ACTION, owner="Chantal")
    async with serving(data, live) as server:
        page = await browser.new_page(accept_downloads=True)
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        await page.goto(server.url(AccessKind.VIEW))
        await page.wait_for_url(f"{base}/view")
        await page.locator("#title").wait_for(timeout=5000)
        assert await page.locator("#minutes").is_hidden()  # not while the meeting runs
        live.end()
        link = page.locator("#minutes a[href='/handout.pdf']")
        await link.wait_for(state="visible", timeout=5000)
        async with page.expect_download() as waiting:
            await link.click()
        download = await waiting.value
        saved = tmp_path / download.suggested_filename
        await download.save_as(saved)
        assert saved.name.endswith(".handout.pdf") and "zo" not in saved.name.lower()
        assert asked and all(url.startswith(base) for url in asked), asked

    def text_of(pdf: bytes) -> str:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    downloaded = text_of(saved.read_bytes())
    made = text_of(render_pdf(live, render_markdown(live.meeting, live.entries), handout=True))
    assert downloaded == made
    assert "Ask Pupil A's mentor how the week went" in downloaded and "Chantal" in downloaded
    assert "Zoë" not in downloaded and SECRET not in downloaded


async def test_a_phone_flashes_and_vibrates_when_a_phase_ends_but_not_when_it_opens(
        data: Path, browser: Phones) -> None:
    """Issue 26: the end of a phase reaches the phones (a flash, a vibration where there is
    one, never a sound); opening the page, or a page opened in overtime, is no signal."""
    live = held(data, SystemClock())
    async with serving(data, live) as server:
        page = await browser.new_page()
        # The phone's vibrator, counted: Chromium headless has none to feel.
        await page.add_init_script(
            "window.buzzes = []; navigator.vibrate = (p) => { window.buzzes.push(p); "
            "return true; };")
        base = f"http://127.0.0.1:{server.port}"
        await page.goto(server.url(AccessKind.VIEW))
        await page.wait_for_url(f"{base}/view")
        await page.locator("#title").wait_for(timeout=5000)
        await page.wait_for_timeout(1500)  # a tick or two: still no signal
        assert await page.evaluate("window.buzzes.length") == 0
        assert not await page.evaluate("document.body.classList.contains('signal')")
        live.next_phase()
        # A function, not an expression: the page's policy allows no eval, which an
        # expression polled until true needs.
        await page.wait_for_function("() => document.body.classList.contains('signal')",
                                     timeout=3000)
        assert await page.evaluate("window.buzzes") == [[200, 100, 200]]
        assert await page.evaluate("document.querySelectorAll('audio').length") == 0


async def test_a_phone_gives_its_evaluation_with_the_keyboard_and_it_is_revealed_with_its_score(
        data: Path, browser: Phones) -> None:
    """The closing evaluation from a phone: the form follows the meeting into the debrief and
    asks for a score, five radios in a named group that the arrow keys choose from; a line
    of what one takes with one; sent, revealed, an entry with its score. A score the server
    refuses is said on the page."""
    from kring.sessions.model.kinds import Capture

    live = held(data, SystemClock(), phase="closing")  # reflections, then the evaluation
    async with serving(data, live) as server:
        page = await browser.new_page()
        base = f"http://127.0.0.1:{server.port}"
        asked = watch_requests(page, base)
        await page.goto(server.url(AccessKind.CONTRIBUTE))
        await page.wait_for_url(f"{base}/contribute")
        await page.locator("#send").wait_for(state="visible", timeout=5000)
        assert await page.locator("#score-box").is_hidden()
        live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "evaluation"))
        group = page.get_by_role("group", name="Your score for this meeting")
        await group.wait_for(state="visible", timeout=5000)
        assert await group.get_by_role("radio").count() == 5
        assert await page.locator("#hint").text_content() == (
            "What I take with me (one line, optional)")
        await page.locator("#score-1").focus()
        for _key in range(3):
            await page.keyboard.press("ArrowRight")  # moves through the group, choosing
        four = group.get_by_role("radio", name="4")
        assert await four.is_checked() and await four.evaluate(
            "radio => radio === document.activeElement")
        await page.keyboard.press("Tab")
        assert await page.evaluate("() => document.activeElement.id") == "text"
        await page.keyboard.type("The questions helped me see the pupil")
        await page.select_option("#who", label="Dev")
        await page.locator("#send button").focus()
        await page.keyboard.press("Enter")
        await page.locator("#status").filter(has_text="Sent").wait_for(timeout=5000)
        assert not await four.is_checked() and await page.input_value("#text") == ""
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390

        # A score the page does not offer, sent anyway: refused, and the page says why.
        await page.locator("#score-2").evaluate("radio => { radio.value = '9'; }")
        await page.locator("#score-2").check()
        await page.click("#send button")
        await page.locator("#status").filter(
            has_text="Not sent: Choose a score from 1 to 5.").wait_for(timeout=5000)

        assert server.feed is not None
        log = server.feed.log
        log.refresh()
        [item] = log.waiting
        assert (item.kind, item.score, item.author) == (Capture.EVALUATION, 4, "Dev")
        entry = log.reveal(item.id, live)
        assert entry is not None and (entry.kind, entry.score) == (Capture.EVALUATION, 4)
        stored = Store(data).load(live.meeting.id)
        [kept] = [e for e in stored.entries if e.kind is Capture.EVALUATION]
        assert (kept.score, kept.text, kept.author) == (
            4, "The questions helped me see the pupil", "Dev")
        assert "The questions helped me see the pupil" in render_markdown(stored.meeting,
                                                                          stored.entries)
        assert all(url.startswith(base) for url in asked), asked
