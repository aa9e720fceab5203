"""Sharing that comes back after a crash on the same URLs: the tokens and sessions a server
kept in the state folder are taken up by the next one, on the same address, while recent;
nothing is taken from a damaged, old or foreign file."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from kring.sessions.model.clock import SystemClock
from kring.sessions.share.access import Access, AccessKind
from kring.sessions.share.resume import MAX_AGE, forget, keep, resumable, resume_path
from kring.tui.share.server import KEEP_AFTER
from tests.support.share import held

NOW = datetime(2026, 12, 6, 10, tzinfo=UTC)


def _shared() -> tuple[Access, str, str]:
    access = Access()
    phone = access.open_session(AccessKind.CONTRIBUTE, "10.0.0.5")
    wall = access.open_session(AccessKind.VIEW, "10.0.0.9")
    assert phone and wall
    return access, phone, wall


def test_a_restarted_server_takes_up_the_tokens_and_sessions(tmp_path: Path) -> None:
    access, phone, wall = _shared()
    path = resume_path("m1", tmp_path)
    keep(path, "192.168.1.20", 8123, access.record(), NOW)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # secrets: this user alone
    found = resumable(path, "192.168.1.20", NOW + timedelta(minutes=3))
    assert found is not None and found.port == 8123
    again = Access()
    assert again.restore(found.access)
    for kind in AccessKind:
        assert again.token(kind) == access.token(kind)
    restored = again.session(phone)
    assert restored is not None and restored.kind is AccessKind.CONTRIBUTE
    before = access.session(phone)
    assert before is not None and restored.public == before.public  # the same voter
    assert again.session_kind(wall) is AccessKind.VIEW


def test_a_revocation_kept_stays_revoked(tmp_path: Path) -> None:
    access, phone, _wall = _shared()
    old = access.token(AccessKind.CONTRIBUTE)
    access.revoke(AccessKind.CONTRIBUTE)
    again = Access()
    assert again.restore(access.record())
    assert again.kind_of_token(old) is None and again.session(phone) is None


def test_changes_are_announced_so_the_server_can_keep_them() -> None:
    access = Access()
    seen: list[int] = []
    access.on_change = lambda: seen.append(1)
    access.open_session(AccessKind.VIEW, "a")
    access.revoke(AccessKind.VIEW)
    assert len(seen) == 2


def test_nothing_is_taken_up_that_is_old_elsewhere_or_damaged(tmp_path: Path) -> None:
    access, _phone, _wall = _shared()
    path = resume_path("m1", tmp_path)
    keep(path, "192.168.1.20", 8123, access.record(), NOW)
    assert resumable(path, "192.168.1.20", NOW + MAX_AGE + timedelta(seconds=1)) is None
    assert resumable(path, "192.168.1.20", NOW - timedelta(minutes=5)) is None  # clock back
    assert resumable(path, "127.0.0.1", NOW) is None
    for damaged in (b"", b"{", b"[]", b'{"address":"192.168.1.20"}', b"\xff" * 10,
                    b'{"address":"192.168.1.20","port":0,"saved":"2026-12-06T10:00:00+00:00",'
                    b'"access":{}}'):
        path.write_bytes(damaged)
        assert resumable(path, "192.168.1.20", NOW) is None, damaged
    assert not Access().restore({"tokens": {"view": "short"}, "generation": {},
                                 "sessions": []})
    assert not Access().restore({"tokens": 1})
    forget(path)
    assert not path.exists()
    forget(path)  # twice: nothing to say
    assert resumable(path, "192.168.1.20", NOW) is None


# -- the real kring share, killed and started again ---------------------------------------------


def _share(data: Path, meeting_id: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    command = [sys.executable, "-m", "kring.tui", "--data", str(data), "share", meeting_id,
               "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env={**os.environ})
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "kring share did not start"
    return process, json.loads(line)


def _end(process: subprocess.Popen[str], how: signal.Signals) -> None:
    process.send_signal(how)
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


async def _stream_opens(phone: aiohttp.ClientSession, base: str) -> bool:
    async with phone.get(base + "/events/view") as response:
        return response.status == 200 and (
            await response.content.readline()).startswith(b"event: ")


async def test_kring_share_killed_comes_back_on_the_same_urls_and_sessions(
        data: Path) -> None:
    live = held(data, SystemClock())
    process, urls = _share(data, live.meeting.id)
    base = urls["view"].split("/v/")[0]
    jar = aiohttp.CookieJar(unsafe=True)  # a phone's cookies, for an address
    async with aiohttp.ClientSession(cookie_jar=jar) as phone:
        try:
            async with phone.get(urls["view"]) as entered:
                assert entered.status == 200
            assert await _stream_opens(phone, base)
            await asyncio.sleep(KEEP_AFTER + 0.5)  # kept within KEEP_AFTER, off the loop
        finally:
            _end(process, signal.SIGKILL)  # a crash: nothing is cleaned up
        process, again = _share(data, live.meeting.id)
        try:
            assert again == urls  # the codes on the wall still work
            assert await _stream_opens(phone, base)  # and the phone's session too
        finally:
            _end(process, signal.SIGTERM)  # stopped as it should be: the URLs die
    assert not resume_path(live.meeting.id).exists()
    process, fresh = _share(data, live.meeting.id)
    _end(process, signal.SIGTERM)
    assert fresh["view"] != urls["view"]


def test_a_session_idle_before_the_crash_is_still_idle_after_it() -> None:
    ticks = [1000.0]
    access = Access(now=lambda: ticks[0])
    idle = access.open_session(AccessKind.VIEW, "a")
    ticks[0] += 2 * 3600 - 60  # idle for all but a minute of its two hours
    fresh = access.open_session(AccessKind.VIEW, "b")
    after = [50.0]  # another process: another monotonic clock
    again = Access(now=lambda: after[0])
    assert again.restore(access.record())
    assert again.sessions(AccessKind.VIEW) == 2  # both came back (asking would touch them)
    after[0] += 120  # two minutes after the restart
    assert again.session(idle) is None  # its two hours ran out, crash or not
    assert again.session(fresh) is not None
