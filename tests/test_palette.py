"""The command palette speaks the interface's language and offers each command once: Kring's
own system commands, not Textual's English ones beside them (a Dutch palette once offered
"Quit" beside "Afsluiten"); and its screenshot is saved where the user finds it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.command import CommandPalette

from kring.sessions.i18n import use_language
from kring.sessions.model.clock import FakeClock
from kring.tui.app import create_app
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting, stored_meeting

ENGLISH_ONLY = {"Theme", "Quit", "Keys", "Maximize", "Minimize", "Screenshot", "palette"}


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_each_command_once_in_the_interface_s_language(
        data: Path, clock: FakeClock, language: str) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, language=language)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_meeting(pilot, meeting_id)
            titles = [command.title for command in app.get_system_commands(screen)]
            assert len(titles) == len(set(titles)), titles
            if language == "nl":
                assert not ENGLISH_ONLY & set(titles), titles
                assert "Afsluiten" in titles and "Schermafdruk" in titles
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert CommandPalette.is_open(app)  # type: ignore[arg-type]
            placeholder = app.screen.query_one("CommandInput").placeholder  # type: ignore[attr-defined]
            assert placeholder == ("Search for commands…" if language == "en"
                                   else "Zoek een opdracht…")
    finally:
        use_language("en")


async def test_a_screenshot_is_saved_in_the_pictures_folder(
        data: Path, clock: FakeClock, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pictures = tmp_path / "pictures"
    monkeypatch.setenv("XDG_PICTURES_DIR", str(pictures))
    app = create_app(data, CATALOG, clock)
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        app.action_save_screenshot()
        await pilot.pause()
    saved = list(pictures.glob("*.svg"))
    assert len(saved) == 1 and "Welcome" in saved[0].read_text(encoding="utf-8")
    assert said == [f"Screenshot saved: {saved[0]}"]
    assert os.path.commonpath([saved[0], data]) != str(data)  # never in the synced folder
