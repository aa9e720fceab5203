"""The share pages pass axe-core (every rule it runs by default: WCAG 2.x A and AA, and its
best practices) in a real browser: Debian's Chromium, as in test_share_browser.py, with the
axe.min.js that the axe-playwright-python package ships (no download at test time). Both
pages, at a phone's size and a laptop's, in the light and the dark scheme: with the form
showing, with a vote open (its counts shown, then hidden), with the phase closed, and with
the connection lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from kring.sessions.model.clock import SystemClock
from kring.sessions.model.kinds import Capture
from kring.sessions.share.access import AccessKind
from kring.sessions.share.naming import Naming
from kring.sessions.share.votes import VoteRound, vote_options
from tests.support.browser import Phones, needs_chromium
from tests.support.share import held, serving

pytestmark = [pytest.mark.e2e, needs_chromium]

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


async def violations(page: Any) -> list[str]:
    """axe's violations on ``page`` as it is now, one line each (rule, impact, where)."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(", ".join(n["target"]) + " " + n.get("failureSummary", "")
                        for n in v["nodes"][:3])
            for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
async def test_both_pages_pass_axe(data: Path, browser: Phones, size: str,
                                   scheme: str) -> None:
    live = held(data, SystemClock(), phase="positions")
    live.add_entry("Ask the mentor", Capture.POSITION)
    live.add_entry("Call the parents", Capture.POSITION)
    async with asyncio.timeout(90), serving(data, live, naming=Naming.NAMED) as server:
        assert server.feed is not None
        options = {"viewport": SIZES[size], "color_scheme": scheme}
        if size == "laptop":
            options |= {"is_mobile": False, "has_touch": False, "device_scale_factor": 1}
        phone = await browser.new_page(**options)
        await phone.goto(server.url(AccessKind.CONTRIBUTE))
        await phone.locator("#send").wait_for(state="visible", timeout=5000)
        await phone.locator("#timer").filter(has_text=":").wait_for(timeout=5000)
        await phone.fill("#text", "What did you try first?")
        found = {"contribute, the form": await violations(phone)}
        view = await browser.new_page(**options)
        await view.goto(server.url(AccessKind.VIEW))
        await view.locator("#timer").filter(has_text=":").wait_for(timeout=5000)
        found["view"] = await violations(view)

        log = server.feed.log
        log.open(VoteRound("vote1", live.step.key, 1, vote_options(live), live.clock.now()))
        await phone.locator("#options button").first.wait_for(timeout=5000)
        await phone.locator("#options button").first.click()
        await phone.locator('#options button[aria-pressed="true"]').wait_for(timeout=5000)
        await view.locator("#results .count").first.wait_for(timeout=5000)
        found["contribute, a vote given"] = await violations(phone)
        found["view, a vote"] = await violations(view)

        log.hide_counts(True)
        await view.locator("#counts-hidden").wait_for(state="visible", timeout=5000)
        await phone.locator("#counts-hidden").wait_for(state="visible", timeout=5000)
        found["contribute, counts hidden"] = await violations(phone)
        found["view, counts hidden"] = await violations(view)

        # A phase that takes nothing: the form gives way to a sentence.
        live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "actual"))
        await phone.locator("#closed").wait_for(state="visible", timeout=5000)
        found["contribute, closed"] = await violations(phone)
        # The view's link revoked: its stream ends and the page says it is trying again.
        await server.revoke(AccessKind.VIEW)
        await view.locator("#offline").wait_for(state="visible", timeout=5000)
        found["view, connection lost"] = await violations(view)
        assert {where: v for where, v in found.items() if v} == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", list(SIZES))
async def test_the_evaluation_form_passes_axe(data: Path, browser: Phones, size: str,
                                              scheme: str) -> None:
    """The contribute page in the closing evaluation: the score's five buttons with none
    chosen, then one chosen with the keyboard (its focus ring showing) and a line written."""
    live = held(data, SystemClock(), phase="evaluation")
    async with asyncio.timeout(90), serving(data, live, naming=Naming.NAMED) as server:
        options = {"viewport": SIZES[size], "color_scheme": scheme}
        if size == "laptop":
            options |= {"is_mobile": False, "has_touch": False, "device_scale_factor": 1}
        phone = await browser.new_page(**options)
        await phone.goto(server.url(AccessKind.CONTRIBUTE))
        await phone.locator("#score-box").wait_for(state="visible", timeout=5000)
        await phone.locator("#timer").filter(has_text=":").wait_for(timeout=5000)
        found = {"evaluation, no score yet": await violations(phone)}
        await phone.locator("#score-1").focus()
        await phone.keyboard.press("ArrowRight")
        assert await phone.locator("#score-2").is_checked()
        found["evaluation, a score chosen"] = await violations(phone)
        await phone.fill("#text", "The questions helped")
        found["evaluation, a line written"] = await violations(phone)
        assert {where: v for where, v in found.items() if v} == {}
