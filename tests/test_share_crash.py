"""Nothing the room sent is lost when the share server or the app is killed (kill -9) while
contributions wait: relaunched, the app shows every one, once, and revealed they are entries.
And ``kring share`` itself: its JSON line, its errors as sentences."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.model.clock import SystemClock
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import ShareLog
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.share.queue_panel import QueuePanel
from tests.support.meeting_app import open_meeting
from tests.support.share import held

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def running(args: list[str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT, env={**os.environ})
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=20)


def share(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kring.tui", "--data", str(data), "share", *args]


async def contribute(url: str, texts: list[str]) -> None:
    base = url.split("/c/")[0]
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(url) as response:
            assert response.status == 200
        for number, text in enumerate(texts):
            async with session.post(f"{base}/contribute", data={
                    "text": text, "item": f"item-{number:04d}-{text[:4]}", "who": ""},
                    headers={"Origin": base, "Accept": "application/json"}) as response:
                assert response.status == 200, await response.text()


async def test_killing_kring_share_loses_no_waiting_contribution(data: Path) -> None:
    live = held(data, SystemClock(), phase="questions")
    texts = [f"Question {n}: what did you try?" for n in range(5)]
    with running(share(data, live.meeting.id, "--json")) as server:
        assert server.stdout is not None
        urls = json.loads(server.stdout.readline())
        await contribute(urls["contribute"], texts)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
    waiting = ShareLog(Journal(journal_path(live.meeting.id))).waiting
    assert [item.text for item in waiting] == texts


async def test_killing_the_app_with_items_in_its_queue_loses_none(data: Path) -> None:
    live = held(data, SystemClock(), phase="questions")
    texts = [f"Reflection {n}" for n in range(4)]
    child = [sys.executable, str(ROOT / "tests" / "share_app_child.py"), str(data),
             live.meeting.id]
    with running(child) as app_process:
        assert app_process.stdout is not None
        urls = json.loads(app_process.stdout.readline())
        await contribute(urls["contribute"], texts)
        while (line := app_process.stdout.readline().strip()) != str(len(texts)):
            assert line, "the app exited"
        os.kill(app_process.pid, signal.SIGKILL)
        app_process.wait(timeout=10)
    app = create_app(data, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.6)
        queue = screen.query_one(QueuePanel)
        assert [item.text for item in queue.items] == texts
        await pilot.press("down")
        assert queue.has_focus
        for _text in texts:
            await pilot.press("enter")
            await pilot.pause(0.1)
        assert queue.items == []
    entries = Store(data).load(live.meeting.id).entries
    assert [e.text for e in entries if not e.private] == texts
    assert ShareLog(Journal(journal_path(live.meeting.id))).waiting == []


def test_kring_share_prints_its_urls_as_json_and_stops_on_ctrl_c(data: Path) -> None:
    live = held(data, SystemClock())
    with running(share(data, "latest", "--json")) as server:
        assert server.stdout is not None
        urls = json.loads(server.stdout.readline())
        assert set(urls) == {"view", "contribute", "scribe"}
        assert all(url.startswith("http://127.0.0.1:") for url in urls.values())
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=10) == 0
    assert live.meeting.id


@pytest.mark.parametrize(("args", "code", "said"), [
    (["nosuch"], 1, "no meeting"),
    (["latest", "--port", "70000"], 2, "is not a port"),
    (["latest", "--port", "x"], 2, "is not a port"),
    (["latest", "--host", "203.0.113.7"], 1, "Cannot share on 203.0.113.7"),
])
def test_kring_share_says_what_is_wrong(data: Path, args: list[str], code: int,
                                        said: str) -> None:
    held(data, SystemClock())
    result = subprocess.run(share(data, *args), capture_output=True, text=True, cwd=ROOT,
                            timeout=30)
    assert result.returncode == code
    assert said.lower() in result.stderr.lower()
    assert "Traceback" not in result.stderr and result.stdout == ""
