"""Phones in a real browser: Debian's Chromium, headless, driven by Playwright (no browser is
downloaded). ``browser`` is a fixture, offered to every test by tests/conftest.py.

.ci/run installs Chromium; without it the tests that need it skip (``needs_chromium``)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() or shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (.ci/run installs it)")
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Phones:
    """Phones in the room: each its own browser context, so its own cookies."""

    def __init__(self, browser: Any) -> None:  # Playwright's Browser
        self.browser = browser
        self.contexts: list[Any] = []

    async def new_page(self, **options: object) -> Any:
        """A phone's page; ``options`` change its context (a desktop's size, dark mode, no
        JavaScript)."""
        context = await self.browser.new_context(**{**PHONE, **options})
        self.contexts.append(context)
        return await context.new_page()


@pytest.fixture
async def browser() -> AsyncIterator[Phones]:
    """Chromium launched for the test, closed with every phone's context after it."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                                    headless=True)
        phones = Phones(launched)
        yield phones
        for context in phones.contexts:
            await context.close()
        await launched.close()
