"""The share pages in a real browser: Debian's Chromium, headless, driven by Playwright (no
browser is downloaded). A phone-sized view follows a phase change within a second; a
question written on a phone reaches the queue and, revealed, the minutes; a vote counts once
per participant; the scribe's terminal runs Kring; and no page loads anything from outside."""

from __future__ import annotations

import re
import shutil
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from kring.sessions.documents.minutes import render_markdown
from kring.sessions.model.clock import SystemClock
from kring.sessions.share.access import AccessKind
from kring.sessions.share.votes import VoteRound, vote_options
from kring.sessions.store.facade import Store
from kring.tui.share.scribe import scribe_command
from tests.share_support import SECRET, held, serving

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
                                reason="Debian's chromium is not installed (.ci/run installs it)")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Phones:
    """Phones in the room: each its own browser context, so its own cookies."""

    def __init__(self, browser: Phones) -> None:
        self.browser = browser
        self.contexts: list[object] = []

    async def new_page(self) -> object:
        context = await self.browser.new_context(**PHONE)
        self.contexts.append(context)
        return await context.new_page()


@pytest.fixture
async def browser() -> AsyncIterator[Phones]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                                    headless=True)
        phones = Phones(launched)
        yield phones
        for context in phones.contexts:
            await context.close()
        await launched.close()


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
        await phones[0].locator("#votes-left").filter(has_text="1").wait_for(timeout=3000)
        assert await first.is_disabled()
        # Sent again behind the page's back: not counted again.
        status = await phones[0].evaluate(
            """id => fetch('/vote', {method: 'POST', body: new URLSearchParams(
                   {vote: 'vote1', option: id}), headers: {Accept: 'application/json'}})
               .then(r => r.status)""", options[1].entry_id)
        assert status == 200
        log.refresh()
        assert dict((o.text, n) for o, n in log.open_vote.counts())["Call the parents"] == 1
        await phones[1].locator("#options button", has_text="Call the parents").click()
        view = await browser.new_page()
        await view.goto(server.url(AccessKind.VIEW))
        await view.locator("#results li").first.filter(
            has_text="2 votes").wait_for(timeout=3000)
        assert "Call the parents" in (await view.locator("#results li").first.text_content()
                                      or "")


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
    from tests.test_share_pages import hostile_instructions

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
