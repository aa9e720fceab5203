"""Sharing with a room, over loopback, in one run. Run: .venv/bin/python benchmarks/share.py

1. views: ``kring share`` on a meeting in progress, in a process of its own so that its memory
   can be read from /proc. 100 view clients open the event stream (each a connection of its
   own, as a phone's browser holds one) while the timer runs, ten from each of ten loopback
   addresses (127.0.3.x; the server lets one address hold 20 sessions and 12 streams: a
   phone is one address). The facilitator moves through CHANGES phases, a change every
   1.5 s; the delay from each change being saved to its arrival at each client gives
   p50/p95 (target: p95 ≤ 1 s). Memory per view client is the server's RSS with the clients
   connected, less its RSS before, over 100 (target: ≤ 1 MB; view clients must not each cost
   a Kring process).
2. contributions: 100 contributors send 1,000 contributions between them, 10 each, every one
   sent twice (a phone retrying), two contributors an address (127.0.4.x): all 1,000 must be
   in the queue, none twice. Twenty sends a phone is its burst of writes, forty an address
   the address's.
3. flood (issue 22): the facilitator's own app, ``kring`` in a real terminal (tmux, 160 x 50),
   shares the meeting from the meeting screen (F12, "This computer only": the server runs in
   the app's event loop, beside the screen). 300 phones hold the view stream, ten from each
   of 30 loopback addresses (127.0.1.x), in a process of their own. The facilitator presses
   ctrl+n and ctrl+b by turns (the next phase, back again) and, after each, types into the
   entry line. Windows without a flood take turns with windows in which one client floods
   from one address (127.0.2.x, a new one each window) at full speed: ballots and take-backs,
   contributions, event-stream opens and token-URL visits, 32 requests in flight, each sent
   as soon as the one before is answered; the flooder runs at nice 19, so that on a small
   machine its own CPU stands for another device's rather than starving the phones, tmux
   and the measuring. Measured, in both kinds of window:
   - each phone's delay from the key press (ctrl+n sent to tmux) to the ``state`` event with
     the new phase (the app saves the change; the server sees it within its 0.2 s poll and
     sends it to every stream). Target: p95 ≤ 250 ms during the flood; without it, the
     baseline. Split, too, where the app saved the change (the meeting's file grew, watched
     from outside): the key's way through tmux, Textual and the store, then the server's.
   - the facilitator's keystroke latency: a key sent to tmux until the pane shows it (as
     benchmarks/ui.py measures typing), p95 during the flood over p95 without. Target ≤ 1.1.

Figures are printed with their targets; a missed target says NOT met and the exit status is 1.
Needs tmux for part 3 (skipped without it). ``--only views,contributions,flood`` runs parts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402  (after the path: the benchmark runs from a checkout)
from aiohttp.abc import AbstractCookieJar  # noqa: E402

from kring.sessions.meeting.live import LiveMeeting  # noqa: E402
from kring.sessions.meeting.setup import MeetingPlan  # noqa: E402
from kring.sessions.model.clock import SystemClock  # noqa: E402
from kring.sessions.model.kinds import Capture  # noqa: E402
from kring.sessions.model.meeting import Case  # noqa: E402
from kring.sessions.model.protocol import Role  # noqa: E402
from kring.sessions.protocols.catalog import load_catalog  # noqa: E402
from kring.sessions.share.journal import Journal, journal_path  # noqa: E402
from kring.sessions.share.queue import ShareLog, new_item_id  # noqa: E402
from kring.sessions.share.votes import VoteRound, vote_options, votes_each  # noqa: E402
from kring.sessions.store.facade import Store  # noqa: E402
from kring.templates import BUILTIN_DIR  # noqa: E402

VIEWERS = 100
CHANGES = 8
CONTRIBUTORS = 100
EACH = 10
PER_ADDRESS = 10  # view clients from one address: the server holds 12 streams of one
COMMAND = ".venv/bin/python benchmarks/share.py"

# Part 3.
PHONES = 300
WINDOWS = 4  # of each kind, taking turns, so that drift in the machine's load hits both
TURNS = 8  # phase changes a window
KEYS = "0123456789abcdefghijklmnopqrstuv"
KEYS_A_TURN = 8
GAP = 1.2  # seconds from one phase change to the next: every phone has it well before
POLL = 0.2  # the share server's look at the meeting's file (tui/share/feed.py)
WARM_UP = 1.5  # seconds of flood before measuring: its sessions and budgets are spent by then
IN_FLIGHT = 8  # requests of each of the four kinds the flooder has in flight at once
WIDE, TALL = 160, 50  # the share dialog shows its URLs whole
CASE = "The room floods the share server"
PROMPT = "and press Enter · q:"  # the entry line, empty (in every phase)
FORTH, BACK = "Analyse the situation", "Information round"  # the phases ctrl+n/ctrl+b show
URLS = re.compile(r"(View|Contribute): (http://127\.0\.0\.1:\d+/[vc]/[A-Za-z0-9_-]+)")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def meeting(data: Path, title: str = "Why Zoë stopped asking") -> LiveMeeting:
    entry = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       case=Case(title, "", ""))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    held = plan.create(SystemClock())
    held.protected_names = ["Zoë"]
    store = Store(data)
    store.create_meeting(held)
    live = LiveMeeting(held, [], store, SystemClock())
    live.start()
    return live


def client(address: str, jar: AbstractCookieJar | None = None,
           limit: int = 100) -> aiohttp.ClientSession:
    """A device at ``address`` (any of 127.0.0.0/8 is this machine): the server counts
    sessions, streams and writes by the address a request comes from."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit, local_addr=(address, 0)),
        cookie_jar=jar if jar is not None else aiohttp.CookieJar(unsafe=True))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(seconds: float) -> str:
    return "never" if seconds == float("inf") else f"{seconds * 1000:.0f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


# -- 1. views --------------------------------------------------------------------------------


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
    sessions = [client(f"127.0.3.{1 + n // PER_ADDRESS}") for n in range(VIEWERS)]
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


# -- 2. contributions ------------------------------------------------------------------------


async def contributions(base: str, url: str, live: LiveMeeting) -> tuple[int, int, float]:
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "questions"))
    await asyncio.sleep(0.5)  # the server has seen the phase that collects questions

    async def contributor(number: int) -> None:
        async with client(f"127.0.4.{1 + number // 2}") as session:
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


async def served(folder: Path, parts: list[str]) -> bool:
    data = folder / "data"
    live = meeting(data)
    server = subprocess.Popen(
        [sys.executable, "-m", "kring.tui", "--data", str(data), "share", live.meeting.id,
         "--json"], stdout=subprocess.PIPE, text=True, env={**os.environ})
    ok = True
    try:
        assert server.stdout is not None
        urls = json.loads(server.stdout.readline())
        base = urls["view"].split("/v/")[0]
        idle = rss_kb(server.pid) / 1024
        if "views" in parts:
            delays, per_viewer = await views(base, urls["view"], live, server.pid)
            p50, p95 = percentile(delays, 0.5), percentile(delays, 0.95)
            print(f"1. {VIEWERS} view clients ({PER_ADDRESS} an address), {CHANGES} phase "
                  f"changes, timer running")
            print(f"   change → arrival   p50 {ms(p50)}   p95 {ms(p95)}   max "
                  f"{ms(max(delays))}   (target p95 ≤ 1000 ms: {verdict(p95 <= 1)})")
            print(f"   server memory      {idle:.1f} MB idle; {per_viewer * 1024:.0f} kB per "
                  f"view client (target ≤ 1 MB: {verdict(per_viewer <= 1)})", flush=True)
            ok = ok and p95 <= 1 and per_viewer <= 1
        if "contributions" in parts:
            arrived, twice, took = await contributions(base, urls["contribute"], live)
            good = arrived == CONTRIBUTORS * EACH and not twice
            print(f"2. contributions      {arrived} of {CONTRIBUTORS * EACH} arrived, {twice} "
                  f"twice, each sent twice by {CONTRIBUTORS} clients in {took:.1f} s "
                  f"({verdict(good)})", flush=True)
            ok = ok and good
    finally:
        server.terminate()
        server.wait(timeout=20)
    return ok


# -- 3. flood: the children ------------------------------------------------------------------


async def phones_child(view_url: str, count: int) -> None:
    """``count`` phones holding the view stream; each ``state`` event's arrival (monotonic
    seconds, phase title) recorded. Says "ready" once every phone has its first state; on a
    line from stdin, prints what arrived as JSON and ends."""
    base = view_url.split("/v/")[0]
    arrivals: list[list[tuple[float, str]]] = [[] for _n in range(count)]
    ended = [0]
    ready = asyncio.Event()
    started = [0]

    async def phone(n: int) -> None:
        async with client(f"127.0.1.{1 + n // PER_ADDRESS}") as session:
            async with session.get(view_url) as response:
                assert response.status == 200, response.status
            async with session.get(f"{base}/events/view") as stream:
                assert stream.status == 200, stream.status
                at, event = 0.0, ""
                async for raw in stream.content:
                    if raw.startswith(b"event: "):
                        at, event = time.monotonic(), raw[7:].decode().strip()
                    elif raw.startswith(b"data: ") and event == "state":
                        arrivals[n].append((at, json.loads(raw[6:])["title"]))
                        if len(arrivals[n]) == 1:
                            started[0] += 1
                            if started[0] == count:
                                ready.set()
        ended[0] += 1  # the server closed this phone's stream

    tasks = [asyncio.create_task(phone(n)) for n in range(count)]
    await asyncio.wait_for(ready.wait(), 60)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    print(json.dumps({"arrivals": arrivals, "ended": ended[0]}), flush=True)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def flood_child(contribute_url: str, address: str, vote_id: str,
                      options: list[str]) -> None:
    """One client at full speed from ``address`` until a line arrives on stdin: ballots and
    take-backs, contributions, event-stream opens (those let in are held, unread) and
    token-URL visits without a cookie (each a new session, until the address has its
    twenty). Prints how many of each, by status, and the rate."""
    os.nice(19)  # its CPU stands for another device's: the phones and tmux come first
    base = contribute_url.split("/c/")[0]
    headers = {"Origin": base, "Accept": "application/json"}
    jars = [client(address, limit=IN_FLIGHT) for _n in range(4)]  # four sessions to write with
    for jar in jars:
        async with jar.get(contribute_url) as response:
            await response.read()
    visitor = client(address, aiohttp.DummyCookieJar(), limit=IN_FLIGHT)  # cookies cleared
    stop = asyncio.Event()
    seen: Counter[str] = Counter()
    held: list[aiohttp.ClientResponse] = []

    async def ask(what: str, request: Awaitable[aiohttp.ClientResponse]) -> None:
        try:
            response = await request
            if what == "stream" and response.status == 200:
                held.append(response)  # held open, unread, as a script would
            else:
                await response.read()
                response.release()
            seen[f"{what} {response.status}"] += 1
        except (aiohttp.ClientError, TimeoutError):
            seen[f"{what} closed"] += 1

    async def ballots(n: int) -> None:
        while not stop.is_set():
            fields = {"vote": vote_id, "option": random.choice(options)}
            if random.random() < 0.5:
                fields["undo"] = "1"
            await ask("ballot", jars[n % 4].post(f"{base}/vote", data=fields, headers=headers))

    async def contributions(n: int) -> None:
        while not stop.is_set():
            fields = {"text": "Flood " * 20, "item": new_item_id()}
            await ask("contribution", jars[n % 4].post(f"{base}/contribute", data=fields,
                                                       headers=headers))

    async def streams(n: int) -> None:
        while not stop.is_set():
            await ask("stream", jars[n % 4].get(f"{base}/events/contribute"))

    async def visits(_n: int) -> None:
        while not stop.is_set():
            await ask("visit", visitor.get(contribute_url))

    began = time.monotonic()
    workers = [asyncio.create_task(work(n)) for work in (ballots, contributions, streams, visits)
               for n in range(IN_FLIGHT)]
    print("flooding", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    stop.set()
    took = time.monotonic() - began
    await asyncio.gather(*workers, return_exceptions=True)
    for response in held:
        response.close()
    for session in [*jars, visitor]:
        await session.close()
    print(json.dumps({"seen": seen, "seconds": took}), flush=True)


# -- 3. flood: the facilitator's side --------------------------------------------------------


def flood_meeting(data: Path) -> tuple[str, list[str]]:
    """A meeting in its information round with three questions, and a vote open on them (as
    F12's "Open a vote" writes it): the vote's id and its options."""
    live = meeting(data, CASE)
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "questions"))
    for text in ("What did you try first?", "Who else knows?", "What did she say?"):
        live.add_entry(text, Capture.QUESTION)
    options = vote_options(live)
    vote = VoteRound(new_item_id(), live.step.key, votes_each(len(options)), options,
                     live.clock.now())
    ShareLog(Journal(journal_path(live.meeting.id))).open(vote)
    return vote.id, [option.entry_id for option in options]


class Terminal:
    """``kring`` in a tmux pane of WIDE x TALL (benchmarks/support/terminal.py's server)."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        # benchmarks/ is on the path when this runs as a script (not in the children).
        from support.terminal import tmux

        self.tmux = tmux
        self.name = f"share{os.getpid()}"
        settings = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        tmux("new-session", "-d", "-s", self.name, "-x", str(WIDE), "-y", str(TALL),
             f"env TERM=xterm-256color {settings} {shlex.join(command)}")

    def screen(self) -> str:
        return str(self.tmux("capture-pane", "-p", "-t", self.name))

    def wait_for(self, *texts: str, gone: bool = False, timeout: float = 60) -> float:
        """The moment (perf_counter) every one of ``texts`` shows (or, ``gone``, none)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.screen()
            if all((text in screen) != gone for text in texts):
                return time.perf_counter()
            time.sleep(0.005)
        raise TimeoutError(f"{texts!r} (gone: {gone}); the screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.tmux("kill-session", "-t", self.name)


def share_from_the_app(pane: Terminal) -> dict[str, str]:
    """Open the meeting, F12, "This computer only"; the URLs as the dialog shows them."""
    pane.wait_for(CASE)
    pane.keys("Enter")
    pane.wait_for("Phase 4 of", PROMPT)
    pane.keys("F12")
    pane.wait_for("This computer only")
    # The dialog's focus starts on its first control; the room's network button is skipped
    # when there is none.
    tabs = 1 if "No room network found" in pane.screen() else 2
    pane.keys(*["Tab"] * tabs, "Enter")
    pane.wait_for("Sharing on 127.0.0.1", "Contribute: http")
    urls = dict(URLS.findall(pane.screen()))
    pane.keys("Escape")
    pane.wait_for("Sharing on", gone=True)
    return urls


def type_a_turn(pane: Terminal, turn: int) -> list[float]:
    """Keys typed one at a time into the entry line, each timed from tmux until the pane
    shows it; the line emptied after (not timed). A prefix of its own first, so that what
    is looked for on the screen is there only once typed."""
    typed = f"zq{turn % 10}"
    pane.keys(typed, literal=True)
    pane.wait_for(typed)
    times = []
    for key in KEYS[:KEYS_A_TURN]:
        typed += key
        sent = time.perf_counter()
        pane.keys(key, literal=True)
        times.append(pane.wait_for(typed) - sent)
    pane.keys("C-u")  # Input: delete everything left of the cursor
    pane.wait_for(PROMPT)
    return times


def delays(changes: list[tuple[float, str]], ends: list[float],
           arrivals: list[list[tuple[float, str]]]) -> list[float]:
    """Each phone's delay from each change to its first ``state`` with the new phase (before
    the next change; never, otherwise)."""
    found = []
    for (sent, title), end in zip(changes, ends, strict=True):
        for phone in arrivals:
            first = next((at for at, shown in phone if sent <= at < end and shown == title),
                         None)
            found.append(float("inf") if first is None else first - sent)
    return found


class Saves:
    """When the meeting's file grew (the app saved a change), seen from outside: a look every
    2 ms, in a thread. It splits a phone's delay into the app's part and the server's."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _size(self) -> int:
        return sum(path.stat().st_size
                   for path in self.data.glob("devices/*/meetings/*.jsonl"))

    def _watch(self) -> None:
        size = self._size()
        while not self._stop.wait(0.002):
            now = self._size()
            if now != size:
                self.times.append(time.monotonic())
                size = now

    def __enter__(self) -> Saves:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def after(self, moment: float, end: float) -> float:
        """The first save in [moment, end); inf when there was none."""
        return next((at for at in self.times if moment <= at < end), float("inf"))


def flood(folder: Path) -> bool:
    from support.terminal import Server

    data = folder / "flood-data"
    vote_id, options = flood_meeting(data)
    # The console script a user runs; without one (not installed), the module it runs.
    script = Path(sys.executable).with_name("kring")
    kring = [str(script)] if script.exists() else [sys.executable, "-m", "kring.tui"]
    env = {"KRING_DATA": str(data), "KRING_STATE": os.environ["KRING_STATE"],
           "KRING_CONFIG": str(folder / "config"), "LANG": "C.UTF-8", "LANGUAGE": "en"}
    me = [sys.executable, str(Path(__file__).resolve())]
    changes: dict[str, list[tuple[float, str]]] = {"quiet": [], "flood": []}
    ends: dict[str, list[float]] = {"quiet": [], "flood": []}
    keystrokes: dict[str, list[float]] = {"quiet": [], "flood": []}
    floods: list[dict[str, Any]] = []
    children: list[subprocess.Popen[str]] = []
    with Server(), Saves(data) as saves:
        pane = Terminal(kring, env)
        try:
            urls = share_from_the_app(pane)
            phones = subprocess.Popen([*me, "--phones", urls["View"], str(PHONES)],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            children.append(phones)
            assert phones.stdin is not None and phones.stdout is not None
            assert phones.stdout.readline().strip() == "ready", "the phones did not connect"
            forth, turn = True, 0
            for window in range(WINDOWS):
                for kind in ("quiet", "flood"):
                    flooder = None
                    if kind == "flood":
                        flooder = subprocess.Popen(
                            [*me, "--flood", urls["Contribute"], f"127.0.2.{window + 1}",
                             vote_id, ",".join(options)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                        children.append(flooder)
                        assert flooder.stdout is not None
                        assert flooder.stdout.readline().strip() == "flooding"
                        time.sleep(WARM_UP)
                    for _turn in range(TURNS):
                        sent = time.monotonic()
                        pane.keys("C-n" if forth else "C-b")
                        changes[kind].append((sent, FORTH if forth else BACK))
                        forth, turn = not forth, turn + 1
                        keystrokes[kind] += type_a_turn(pane, turn)
                        # Where in the server's poll a change lands varies as it would
                        # for a person: a fixed gap, a multiple of it, would not.
                        pause = GAP + random.uniform(0, POLL)
                        time.sleep(max(0.0, sent + pause - time.monotonic()))
                        ends[kind].append(time.monotonic())
                    if flooder is not None:
                        assert flooder.stdin is not None and flooder.stdout is not None
                        flooder.stdin.write("stop\n")
                        flooder.stdin.flush()
                        floods.append(json.loads(flooder.stdout.readline()))
                        flooder.wait(timeout=30)
            phones.stdin.write("report\n")
            phones.stdin.flush()
            report = json.loads(phones.stdout.readline())
            phones.wait(timeout=30)
        finally:
            pane.close()
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
    arrivals = report["arrivals"]
    seen: Counter[str] = Counter()
    seconds = 0.0
    for one in floods:
        seen.update(one["seen"])
        seconds += one["seconds"]
    saved = {kind: [saves.after(sent, end) for (sent, _title), end
                    in zip(changes[kind], ends[kind], strict=True)] for kind in changes}
    return report_flood(changes, ends, saved, keystrokes, arrivals, report["ended"], seen,
                        seconds)


def report_flood(changes: dict[str, list[tuple[float, str]]], ends: dict[str, list[float]],
                 saved: dict[str, list[float]], keystrokes: dict[str, list[float]],
                 arrivals: list[list[tuple[float, str]]], ended: int, seen: Counter[str],
                 seconds: float) -> bool:
    quiet = delays(changes["quiet"], ends["quiet"], arrivals)
    loud = delays(changes["flood"], ends["flood"], arrivals)
    # The same, split where the app saved the change: the key's way through tmux, Textual
    # and the store; then the server's (its poll, and sending to 300 streams).
    app = {kind: [at - sent for at, (sent, _title) in zip(saved[kind], changes[kind],
                                                         strict=True)] for kind in saved}
    server = {kind: delays([(at, title) for at, (_sent, title)
                            in zip(saved[kind], changes[kind], strict=True)],
                           ends[kind], arrivals) for kind in saved}
    print(f"3. flood: {PHONES} phones (view streams, {PER_ADDRESS} an address) on the "
          f"facilitator's app (kring in tmux {WIDE} x {TALL}, F12 on 127.0.0.1); {WINDOWS} "
          f"windows without a flood and {WINDOWS} with, by turns, {TURNS} phase changes "
          f"(ctrl+n / ctrl+b) and {TURNS * KEYS_A_TURN} keys typed in each")
    total = sum(seen.values())
    print(f"   the flooder (one address a window, nice 19, {4 * IN_FLIGHT} in flight): "
          f"{total:,} requests in {seconds:.0f} s, {total / seconds:,.0f} a second")
    for what in ("ballot", "contribution", "stream", "visit"):
        mine = sorted((key.split(" ", 1)[1], n) for key, n in seen.items()
                      if key.startswith(what + " "))
        print(f"     {what + 's':<14}" + ", ".join(f"{status} × {n:,}" for status, n in mine))
    q95, l95 = percentile(quiet, 0.95), percentile(loud, 0.95)
    print("   key press → each phone's state with the new phase:")
    print(f"     without a flood  p50 {ms(percentile(quiet, 0.5))}   p95 {ms(q95)}   "
          f"max {ms(max(quiet))}   ({len(quiet):,} arrivals)")
    print(f"     during a flood   p50 {ms(percentile(loud, 0.5))}   p95 {ms(l95)}   "
          f"max {ms(max(loud))}   ({len(loud):,} arrivals)")
    missed = sum(d == float("inf") for d in loud), sum(d == float("inf") for d in quiet)
    ratio = l95 / q95
    print(f"     p95 during / without {ratio:.2f}; missed {missed[0]} during, {missed[1]} "
          f"without; streams the server ended: {ended}   (target p95 ≤ 250 ms during the "
          f"flood: {verdict(l95 <= 0.25)})")
    for label, part in (("key → the app saved the change", app),
                        ("saved → each phone's state", server)):
        print(f"     of which {label}: p50/p95 {ms(percentile(part['quiet'], 0.5))} / "
              f"{ms(percentile(part['quiet'], 0.95))} without, "
              f"{ms(percentile(part['flood'], 0.5))} / "
              f"{ms(percentile(part['flood'], 0.95))} during")
    k_quiet, k_loud = keystrokes["quiet"], keystrokes["flood"]
    kq95, kl95 = percentile(k_quiet, 0.95), percentile(k_loud, 0.95)
    print("   the facilitator's keystroke → screen (tmux), one key at a time:")
    print(f"     without a flood  p50 {ms(percentile(k_quiet, 0.5))}   p95 {ms(kq95)}   "
          f"({len(k_quiet)} keys)")
    print(f"     during a flood   p50 {ms(percentile(k_loud, 0.5))}   p95 {ms(kl95)}   "
          f"({len(k_loud)} keys)")
    print(f"     p95 during / without {kl95 / kq95:.2f}   (target ≤ 1.1: "
          f"{verdict(kl95 / kq95 <= 1.1)})", flush=True)
    return l95 <= 0.25 and kl95 / kq95 <= 1.1


async def main(parts: list[str]) -> int:
    # A user's Python keeps the bytecode it compiles (benchmarks/ui.py says more): inherited
    # from a sandbox, PYTHONDONTWRITEBYTECODE would have every process started here (the
    # server, the app, the phones) compile the Kring modules again.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    began = time.monotonic()
    print(f"{COMMAND}, {os.cpu_count()} cpus", flush=True)
    ok = True
    with tempfile.TemporaryDirectory(prefix="kring-bench-") as name:
        folder = Path(name)
        os.environ["KRING_STATE"] = str(folder / "state")
        if {"views", "contributions"} & set(parts):
            ok = await served(folder, parts) and ok
        if "flood" in parts:
            if shutil.which("tmux") is None:
                print("3. flood: needs tmux to run kring in a real terminal; skipped")
            else:
                ok = await asyncio.to_thread(flood, folder) and ok
    print(f"({time.monotonic() - began:.0f} s in all)")
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="views,contributions,flood",
                        help="which parts, comma-separated: views, contributions, flood")
    parser.add_argument("--phones", nargs=2, metavar=("VIEW_URL", "COUNT"),
                        help=argparse.SUPPRESS)  # part 3's phones, in a process of their own
    parser.add_argument("--flood", nargs=4,
                        metavar=("CONTRIBUTE_URL", "ADDRESS", "VOTE", "OPTIONS"),
                        help=argparse.SUPPRESS)  # part 3's flooder
    args = parser.parse_args()
    if args.phones:
        asyncio.run(phones_child(args.phones[0], int(args.phones[1])))
    elif args.flood:
        url, address, vote, options = args.flood
        asyncio.run(flood_child(url, address, vote, options.split(",")))
    else:
        sys.exit(asyncio.run(main([p.strip() for p in args.only.split(",") if p.strip()])))
