"""Sharing with a room, over loopback, in one run. Run: python benchmarks/share.py

Starts ``kring share`` on a meeting in progress, in a process of its own, so that its memory
can be read from /proc. Then:

1. 100 view clients open the event stream (each a connection of its own, as a phone's
   browser holds one) while the timer runs. The facilitator moves through CHANGES phases, a
   change every 1.5 s; the delay from each change being saved to its arrival at each client
   gives p50/p95 (target: p95 ≤ 1 s). Memory per view client is the server's RSS with the
   clients connected, less its RSS before, over 100 (target: ≤ 1 MB; view clients must not
   each cost a Kring process).
2. 50 contributors send 1,000 contributions between them, 20 each, every one sent twice
   (a phone retrying): all 1,000 must be in the queue, none twice.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import SystemClock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import ShareLog
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

VIEWERS = 100
CHANGES = 8
CONTRIBUTORS = 50
EACH = 20
COMMAND = "python benchmarks/share.py"


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def meeting(data: Path) -> LiveMeeting:
    entry = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       case=Case("Why Zoë stopped asking", "", ""))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    held = plan.create(SystemClock())
    held.protected_names = ["Zoë"]
    store = Store(data)
    store.create_meeting(held)
    live = LiveMeeting(held, [], store, SystemClock())
    live.start()
    return live


async def viewer(session: aiohttp.ClientSession, base: str, arrivals: dict[str, float],
                 ready: asyncio.Event, counted: list[int]) -> None:
    async with session.get(f"{base}/events/view") as stream:
        assert stream.status == 200, stream.status
        counted.append(1)
        if len(counted) == VIEWERS:
            ready.set()
        event = ""
        async for raw in stream.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "state":
                title = json.loads(line[6:])["title"]
                arrivals.setdefault(title, time.monotonic())  # per client: first arrival


async def views(base: str, view_url: str, live: LiveMeeting,
                server_pid: int) -> tuple[list[float], float]:
    before = rss_kb(server_pid)
    ready = asyncio.Event()
    counted: list[int] = []
    per_client: list[dict[str, float]] = [{} for _n in range(VIEWERS)]
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
                for _n in range(VIEWERS)]
    for session in sessions:
        async with session.get(view_url) as response:
            assert response.status == 200
    tasks = [asyncio.create_task(viewer(s, base, per_client[n], ready, counted))
             for n, s in enumerate(sessions)]
    await asyncio.wait_for(ready.wait(), 30)
    await asyncio.sleep(2)  # every client has its first state and a tick or two
    with_clients = rss_kb(server_pid)
    delays: list[float] = []
    for _change in range(CHANGES):
        live.next_phase()
        changed = time.monotonic()
        title = live.step.phase.title
        await asyncio.sleep(1.5)
        for arrivals in per_client:
            delays.append(arrivals[title] - changed if title in arrivals else float("inf"))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for session in sessions:
        await session.close()
    return delays, (with_clients - before) / VIEWERS / 1024


async def contributions(base: str, url: str, live: LiveMeeting) -> tuple[int, int, float]:
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "questions"))
    await asyncio.sleep(0.5)  # the server has seen the phase that collects questions

    async def contributor(number: int) -> None:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(url) as response:
                assert response.status == 200
            for item in range(EACH):
                fields = {"text": f"Question {number}.{item}", "who": "",
                          "item": f"bench-{number:03d}-{item:03d}"}
                for _twice in range(2):  # a retry sends the same item again
                    async with session.post(f"{base}/contribute", data=fields, headers={
                            "Origin": base, "Accept": "application/json"}) as response:
                        assert response.status == 200, await response.text()

    started = time.monotonic()
    await asyncio.gather(*(contributor(n) for n in range(CONTRIBUTORS)))
    took = time.monotonic() - started
    waiting = ShareLog(Journal(journal_path(live.meeting.id))).waiting
    texts = [item.text for item in waiting]
    return len(texts), len(texts) - len(set(texts)), took


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        os.environ["KRING_STATE"] = str(Path(folder) / "state")
        live = meeting(data)
        server = subprocess.Popen(
            [sys.executable, "-m", "kring.tui", "--data", str(data), "share", live.meeting.id,
             "--json"], stdout=subprocess.PIPE, text=True, env={**os.environ})
        try:
            assert server.stdout is not None
            urls = json.loads(server.stdout.readline())
            base = urls["view"].split("/v/")[0]
            idle = rss_kb(server.pid) / 1024
            delays, per_viewer = await views(base, urls["view"], live, server.pid)
            arrived, twice, took = await contributions(base, urls["contribute"], live)
        finally:
            server.terminate()
            server.wait(timeout=20)
    p50, p95 = percentile(delays, 0.5), percentile(delays, 0.95)
    print(f"{COMMAND}: {VIEWERS} view clients, {CHANGES} phase changes, timer running")
    print(f"  change → arrival   p50 {p50 * 1000:.0f} ms   p95 {p95 * 1000:.0f} ms   "
          f"max {max(delays) * 1000:.0f} ms   (target p95 ≤ 1000 ms: "
          f"{'met' if p95 <= 1 else 'NOT met'})")
    print(f"  server memory      {idle:.1f} MB idle; {per_viewer * 1024:.0f} kB per view client "
          f"(target ≤ 1 MB: {'met' if per_viewer <= 1 else 'NOT met'})")
    print(f"  contributions      {arrived} of {CONTRIBUTORS * EACH} arrived, {twice} twice, "
          f"each sent twice by {CONTRIBUTORS} clients in {took:.1f} s "
          f"({'met' if arrived == CONTRIBUTORS * EACH and not twice else 'NOT met'})")
    ok = p95 <= 1 and per_viewer <= 1 and arrived == CONTRIBUTORS * EACH and not twice
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
