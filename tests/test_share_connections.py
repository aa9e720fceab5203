"""One device cannot deny the room (issue 22, invariant 3). The tracker's rule on a fake
clock: a connection that sends no complete request is closed at its deadline, a busy stream
never; a full server lets a newcomer in by closing the connection idle longest, never a busy
one; one address is capped and pushes out only its own. The rule on a running server, with
small numbers. What aiohttp and asyncio log about bad connections: a few lines a minute. And
the attack itself on ``kring share`` under a limit of 1,024 open files: 1,500 half-open
sockets (from another address, from many, from the phone's own) and a phone still gets in
within two seconds, with almost nothing on stderr."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import selectors
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.model.clock import SystemClock
from kring.sessions.share.access import AccessKind
from kring.tui.share import logs
from kring.tui.share.connections import RESERVE, Tracker, connection_limit
from kring.tui.share.server import ShareServer
from tests.support.share import held

ROOT = Path(__file__).resolve().parents[1]
PARTIAL = b"GET / HTTP/1.1\r\nHost: x\r\n"  # headers begun, never finished


class Ticks:
    """A monotonic clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def tracker(limit: int = 100, per_address: int = 64, timeout: float = 10.0
            ) -> tuple[Tracker[str], Ticks]:
    ticks = Ticks()
    return Tracker(limit=limit, per_address=per_address, timeout=timeout, clock=ticks), ticks


# -- the rule ----------------------------------------------------------------------------------


def test_a_half_open_connection_is_closed_at_its_deadline() -> None:
    connections, ticks = tracker(timeout=10.0)
    assert connections.open("slow", "10.0.0.9") == []
    ticks.advance(9.9)
    assert connections.expired() == []
    ticks.advance(0.1)
    assert connections.expired() == ["slow"]
    connections.closed("slow")
    assert len(connections) == 0 and connections.held("10.0.0.9") == 0


def test_a_kept_alive_connection_has_a_fresh_deadline_after_each_request() -> None:
    connections, ticks = tracker(timeout=10.0)
    connections.open("phone", "10.0.0.2")
    ticks.advance(8)
    connections.begin("phone")
    ticks.advance(5)  # the request took 5 s: 13 s after connecting, but it was busy
    assert connections.expired() == []
    connections.end("phone")
    ticks.advance(9.9)
    assert connections.expired() == []
    ticks.advance(0.1)
    assert connections.expired() == ["phone"]


def test_a_busy_stream_is_never_closed_for_time() -> None:
    connections, ticks = tracker(timeout=10.0)
    connections.open("stream", "10.0.0.2")
    connections.open("half-open", "10.0.0.3")
    connections.begin("stream")
    ticks.advance(3600)
    assert connections.expired() == ["half-open"]
    assert connections.is_busy("stream")


def test_a_full_server_lets_a_newcomer_in_by_closing_the_longest_idle_never_a_busy_one(
        ) -> None:
    connections, ticks = tracker(limit=3)
    for name, address in [("stream", "10.0.0.2"), ("old", "10.0.0.3"), ("young", "10.0.0.4")]:
        connections.open(name, address)
        ticks.advance(1)
    connections.begin("stream")  # the oldest of all, but busy
    assert connections.open("phone", "10.0.0.5") == ["old"]
    assert "old" not in connections and len(connections) == 3
    ticks.advance(1)
    assert connections.open("second", "10.0.0.6") == ["young"]
    # A kept-alive connection idles from its last request, not from when it connected.
    connections.begin("phone")
    ticks.advance(1)
    connections.end("phone")
    assert connections.open("third", "10.0.0.7") == ["second"]
    assert "stream" in connections and connections.is_busy("stream")


def test_when_every_connection_in_the_way_is_busy_the_newcomer_is_refused() -> None:
    connections, _ticks = tracker(limit=2)
    for name in ("a", "b"):
        connections.open(name, "10.0.0.2")
        connections.begin(name)
    assert connections.open("c", "10.0.0.3") == ["c"]
    assert "c" not in connections and len(connections) == 2
    connections.end("a")
    assert connections.open("c", "10.0.0.3") == ["a"]


def test_one_address_is_capped_and_pushes_out_only_its_own() -> None:
    connections, ticks = tracker(limit=100, per_address=3)
    connections.open("phone", "10.0.0.2")  # idle longest of all
    ticks.advance(1)
    for number in range(3):
        assert connections.open(f"attack{number}", "10.0.0.66") == []
        ticks.advance(1)
    assert connections.open("attack3", "10.0.0.66") == ["attack0"]
    assert connections.held("10.0.0.66") == 3 and "phone" in connections
    for name in ("attack1", "attack2", "attack3"):
        connections.begin(name)
    assert connections.open("attack4", "10.0.0.66") == ["attack4"]
    assert connections.open("laptop", "10.0.0.3") == []


def test_forgetting_twice_and_requests_of_a_forgotten_connection_are_nothing() -> None:
    connections, ticks = tracker()
    connections.open("a", "10.0.0.2")
    connections.closed("a")
    connections.closed("a")
    connections.begin("a")
    connections.end("a")
    ticks.advance(100)
    assert connections.expired() == [] and len(connections) == 0


def test_the_connection_cap_stays_below_the_limit_on_open_files() -> None:
    assert connection_limit(1024) == 1024 - RESERVE
    assert connection_limit(8192) == 8192 - RESERVE
    assert 0 < connection_limit(256) < 256
    assert connection_limit(None) > 0


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs prlimit (util-linux)")
def test_the_soft_limit_on_open_files_is_raised_towards_the_hard_one() -> None:
    # In a child: the test process keeps its own limit.
    code = ("from kring.tui.share.connections import open_files_limit as o; "
            "print(o(), o(ceiling=2000))")
    done = subprocess.run(["prlimit", "--nofile=256:4096", sys.executable, "-c", code],
                          capture_output=True, text=True, cwd=ROOT, timeout=30, check=True)
    assert done.stdout.split() == ["4096", "4096"]  # raised to the hard limit, never lowered
    import resource

    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # no child may go above it
    if hard == resource.RLIM_INFINITY or hard > 8192:
        limit = "unlimited" if hard == resource.RLIM_INFINITY else str(hard)
        done = subprocess.run(["prlimit", f"--nofile=256:{limit}", sys.executable, "-c", code],
                              capture_output=True, text=True, cwd=ROOT, timeout=30,
                              check=True)
        assert done.stdout.split() == ["8192", "8192"]  # at most the ceiling


# -- the log ---------------------------------------------------------------------------------


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.extend(self.format(record).splitlines())


@contextlib.contextmanager
def limited(name: str) -> Iterator[tuple[logging.Logger, logs.RateLimit, Lines, Ticks]]:
    logger = logging.getLogger(name)
    ticks = Ticks()
    limit = logs.RateLimit(lines=5, window=60.0, clock=ticks)
    limit.logger = logger
    lines = Lines()
    logger.addFilter(limit)
    logger.addHandler(lines)
    logger.propagate = False
    try:
        yield logger, limit, lines, ticks
    finally:
        logger.removeFilter(limit)
        logger.removeHandler(lines)
        logger.propagate = True


def test_a_storm_of_records_is_a_few_lines_and_one_that_says_how_many_were_held() -> None:
    with limited("kring.test.storm") as (logger, _limit, lines, ticks):
        for number in range(1000):
            try:
                raise ConnectionResetError(104, "Connection reset by peer")
            except ConnectionResetError:
                logger.exception("Error handling request %d", number)
        assert len(lines.lines) == 5
        assert not any("Traceback" in line for line in lines.lines)
        assert lines.lines[0] == "Error handling request 0: [Errno 104] Connection reset by peer"
        ticks.advance(61)
        logger.error("after a minute")
        assert lines.lines[5:] == ["995 more log lines held back (too many in a minute).",
                                   "after a minute"]


def test_a_traceback_of_ours_stays_and_flush_says_what_was_held() -> None:
    with limited("kring.test.bug") as (logger, limit, lines, _ticks):
        try:
            raise KeyError("a bug of ours")
        except KeyError:
            logger.exception("Error handling request")
        assert "Traceback (most recent call last):" in lines.lines
        for _n in range(6):
            logger.error("again")
        limit.flush()
        assert lines.lines[-1] == "2 more log lines held back (too many in a minute)."
        limit.flush()
        assert lines.lines[-1] == "2 more log lines held back (too many in a minute)."


async def test_the_summary_comes_when_the_minute_is_over_without_another_record() -> None:
    with limited("kring.test.later") as (logger, limit, lines, ticks):
        limit.window = 0.2
        for _n in range(7):
            logger.error("out of files")
        assert len(lines.lines) == 5
        ticks.advance(0.2)
        await asyncio.sleep(0.4)
        assert lines.lines[-1] == "2 more log lines held back (too many in a minute)."


async def test_asyncio_s_accept_errors_are_a_few_lines_without_tracebacks(
        capsys: pytest.CaptureFixture[str]) -> None:
    # What asyncio's accept loop does when the process has no file left, as it did 2,000
    # times a second during the attack (the server's filters are installed on import).
    assert any(isinstance(f, logs.RateLimit) for f in logging.getLogger("asyncio").filters)
    lines = Lines()
    asyncio_log = logging.getLogger("asyncio")
    asyncio_log.addHandler(lines)
    loop = asyncio.get_running_loop()
    try:
        for limit in logs.install():
            limit.flush()  # a fresh minute, whatever earlier tests logged
        lines.lines.clear()
        with socket.socket() as listening:
            for _n in range(2000):
                try:
                    raise OSError(24, "Too many open files")
                except OSError as error:
                    loop.call_exception_handler({
                        "message": "socket.accept() out of system resource",
                        "exception": error, "socket": listening})
    finally:
        asyncio_log.removeHandler(lines)
    assert len(lines.lines) == logs.LINES
    assert all("Too many open files" in line for line in lines.lines)
    assert len(capsys.readouterr().err) < 2000


# -- the rule on a running server ------------------------------------------------------------


@asynccontextmanager
async def sharing(data: Path, **limits: float) -> AsyncIterator[ShareServer]:
    live = held(data, SystemClock())
    server = ShareServer(data, live.meeting.id, clock=live.clock, **limits)  # type: ignore[arg-type]
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def connect(port: int, source: str = "127.0.0.1", send: bytes = PARTIAL) -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(send)
    return sock


async def closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closed ``sock`` (EOF or reset) within ``within`` seconds."""
    sock.setblocking(False)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except BlockingIOError:
            pass
        except ConnectionResetError:
            return True
        await asyncio.sleep(0.05)
    return False


async def test_a_half_open_socket_is_closed_after_the_header_timeout_a_stream_is_not(
        data: Path) -> None:
    async with sharing(data, header_timeout=0.5) as server, aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        base = f"http://127.0.0.1:{server.port}"
        async with phone.get(server.url(AccessKind.VIEW)) as response:
            assert response.status == 200
        stream = await phone.get(base + "/events/view")
        assert (await stream.content.readline()).startswith(b"event: ")
        started = time.monotonic()
        with connect(server.port) as slow:
            assert await closed_by_server(slow, 3.0)
        assert 0.4 < time.monotonic() - started < 2.0
        await asyncio.sleep(1.0)  # four deadlines of the stream's connection
        assert server.connected(AccessKind.VIEW) == 1 and not stream.content.at_eof()
        assert server.gate is not None and server.gate.expired >= 1
        stream.close()


async def test_a_header_sent_a_byte_at_a_time_does_not_move_the_deadline(data: Path) -> None:
    async with sharing(data, header_timeout=0.6) as server:
        with connect(server.port, send=b"G") as slow:
            started = time.monotonic()
            for byte in PARTIAL[1:12]:
                await asyncio.sleep(0.1)
                try:
                    slow.send(bytes([byte]))
                except OSError:
                    break
            assert await closed_by_server(slow, 2.0)
            assert time.monotonic() - started < 2.0


async def test_a_full_server_lets_a_phone_in_and_keeps_the_busy_stream(data: Path) -> None:
    async with sharing(data, max_connections=8) as server, aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        base = f"http://127.0.0.1:{server.port}"
        async with phone.get(server.url(AccessKind.VIEW)) as response:
            assert response.status == 200
        stream = await phone.get(base + "/events/view")
        assert (await stream.content.readline()).startswith(b"event: ")
        crowd = [connect(server.port, f"127.0.0.{2 + n % 5}") for n in range(20)]
        await asyncio.sleep(0.2)
        gate = server.gate
        assert gate is not None and len(gate.tracker) <= 8
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as second, \
                second.get(server.url(AccessKind.VIEW)) as response:
            assert response.status == 200
        assert server.connected(AccessKind.VIEW) == 1 and not stream.content.at_eof()
        assert gate.evicted >= 13
        stream.close()
        for sock in crowd:
            sock.close()


async def test_one_address_holds_at_most_its_share(data: Path) -> None:
    async with sharing(data, per_address=4) as server:
        crowd = [connect(server.port, "127.0.0.2") for _n in range(10)]
        await asyncio.sleep(0.2)
        assert server.gate is not None and server.gate.tracker.held("127.0.0.2") == 4
        assert [await closed_by_server(sock, 0.05) for sock in crowd[:6]] == [True] * 6
        for sock in crowd:
            sock.close()


# -- the attack on kring share ---------------------------------------------------------------

FILES = 1024
ATTACK = 1500  # more than the server's files: a thousand would fit in 1,024 even unguarded


def _raise_own_file_limit() -> None:
    """This process opens the attack's sockets: it needs the files for them."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < 4 * ATTACK:
        wanted = 4 * ATTACK if hard == resource.RLIM_INFINITY else min(hard, 4 * ATTACK)
        if wanted < ATTACK + 200:
            pytest.skip(f"the test process may open only {hard} files, the attack needs more")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def half_open(port: int, sources: list[str], count: int) -> list[socket.socket]:
    """``count`` sockets to the server from ``sources`` in turn, each sending a request's
    first header lines and never the rest. A connection the server closed at once counts
    too: the attacker does not care."""
    sockets: list[socket.socket] = []
    with selectors.DefaultSelector() as waiting:
        for number in range(count):
            sock = socket.socket()
            sockets.append(sock)
            try:
                sock.bind((sources[number % len(sources)], 0))
            except OSError as error:
                pytest.skip(f"cannot bind to {sources[number % len(sources)]}: {error} "
                            "(Linux routes all of 127/8 to loopback; others may not)")
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
            waiting.register(sock, selectors.EVENT_WRITE)
        deadline = time.monotonic() + 8.0
        while waiting.get_map() and time.monotonic() < deadline:
            for key, _mask in waiting.select(timeout=0.2):
                sock = key.fileobj  # type: ignore[assignment]
                waiting.unregister(sock)
                with contextlib.suppress(OSError):
                    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
                        sock.send(PARTIAL)
    return sockets


async def phone_gets_in(view_url: str) -> float:
    """Seconds for a phone (from 127.0.0.1) to open the view link, follow it to the page
    and receive the first event of the page's stream."""
    base = view_url.split("/v/")[0]
    started = time.monotonic()
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     timeout=timeout) as phone:
        async with phone.get(view_url) as response:
            assert response.status == 200
            assert 'url=/view"' in await response.text()
        async with phone.get(base + "/view") as response:
            assert response.status == 200
        async with phone.get(base + "/events/view") as response:
            assert response.status == 200
            assert (await response.content.readline()).startswith(b"event: ")
    return time.monotonic() - started


@contextlib.contextmanager
def kring_share_with_few_files(data: Path, stderr: Path) -> Iterator[str]:
    """``kring share`` for the meeting in ``data``, allowed FILES open files (soft and hard:
    it cannot raise them); yields the view URL."""
    live = held(data, SystemClock())
    command = [sys.executable, "-m", "kring.tui", "--data", str(data), "share",
               live.meeting.id, "--json"]
    if shutil.which("prlimit"):
        command = ["prlimit", f"--nofile={FILES}:{FILES}", *command]
    elif shutil.which("bash"):
        command = ["bash", "-c", f'ulimit -n {FILES} && exec "$@"', "kring", *command]
    else:
        pytest.skip("needs prlimit or bash to limit the server's open files")
    # stderr to a file: a pipe nobody reads would stop the server once 64 kB are written.
    with stderr.open("wb") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True,
                                   cwd=ROOT, env={**os.environ})
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line, f"kring share did not start: {stderr.read_text(errors='replace')}"
            yield json.loads(line)["view"]
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()


def port_of(url: str) -> int:
    return int(url.split("/")[2].rsplit(":", 1)[1])


@pytest.mark.parametrize("sources", [
    pytest.param(["127.0.0.2"], id="from-another-address"),
    pytest.param([f"127.0.0.{n}" for n in range(2, 42)], id="from-forty-addresses"),
    pytest.param(["127.0.0.1"], id="from-the-phone-s-own-address"),
])
async def test_many_half_open_sockets_do_not_keep_a_phone_out(
        data: Path, tmp_path: Path, sources: list[str]) -> None:
    _raise_own_file_limit()
    stderr = tmp_path / "stderr"
    with kring_share_with_few_files(data, stderr) as view_url:
        crowd = half_open(port_of(view_url), sources, ATTACK)
        try:
            seconds = await asyncio.wait_for(phone_gets_in(view_url), 5)
            assert seconds < 2.0, f"the phone waited {seconds:.1f} s"
            # And again, with the crowd still there, after the server had time to be full.
            await asyncio.sleep(0.5)
            assert await asyncio.wait_for(phone_gets_in(view_url), 5) < 2.0
        finally:
            for sock in crowd:
                sock.close()
    written = stderr.read_bytes()
    assert len(written) < 10_000, written[:2000].decode(errors="replace")
    assert b"Traceback" not in written



async def test_a_form_body_that_trickles_in_is_given_up_on(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A contribute-link holder sends whole headers, then the body a byte now and then: the
    request is busy (the guard above never closes it), so reading the body has a limit."""
    from kring.tui.share import handlers

    monkeypatch.setattr(handlers, "BODY_TIMEOUT", 0.5)
    async with sharing(data) as server, aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
        async with phone.get(server.url(AccessKind.CONTRIBUTE)) as response:
            assert response.status == 200
        session = next(c.value for c in phone.cookie_jar if c.key == "kring_contribute")
        base = f"http://127.0.0.1:{server.port}"
        head = (f"POST /contribute HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                f"Origin: {base}\r\nCookie: kring_contribute={session}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                "Content-Length: 1000\r\n\r\ntext=a").encode()
        started = time.monotonic()
        with connect(server.port, send=head) as slow:
            assert await closed_by_server(slow, 3.0)
        assert 0.4 < time.monotonic() - started < 2.5
