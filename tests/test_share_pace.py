"""The pace per address, as the server serves it: a flood from one address is held and
refused, cheaply, while another address is answered at once; a room's page loads never meet
it. (The floods of test_share_attacks.py test what a session may keep.)"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.model.clock import FakeClock
from kring.tui.share.pace import BURST, PENALTY, Pace
from tests.support.share import held, serving

OTHER = "127.0.0.2"


def test_a_bucket_per_address_refills_with_time() -> None:
    ticks = [100.0]
    pace = Pace(burst=3, per_second=2, now=lambda: ticks[0])
    assert [pace.allows("a") for _n in range(4)] == [True, True, True, False]
    assert pace.allows("b")  # another address has its own
    ticks[0] += 0.5  # one more for "a"
    assert pace.allows("a") and not pace.allows("a")


async def _flood(base: str, count: int, local: str) -> tuple[dict[int, int], float]:
    connector = aiohttp.TCPConnector(limit=32, local_addr=(local, 0))
    statuses: dict[int, int] = {}
    started = time.monotonic()
    async with aiohttp.ClientSession(connector=connector) as client:
        async def one(_n: int) -> None:
            async with client.get(base + "/static/kring.css") as response:
                statuses[response.status] = statuses.get(response.status, 0) + 1

        await asyncio.gather(*(one(n) for n in range(count)))
    return statuses, time.monotonic() - started


@pytest.mark.slow
async def test_a_flood_from_one_address_is_held_and_another_is_answered_at_once(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live) as server:  # the pace as served
        base = f"http://127.0.0.1:{server.port}"
        flooding = asyncio.create_task(_flood(base, BURST + 160, "127.0.0.1"))
        await asyncio.sleep(0.3)  # the flood is past its burst, its requests held
        started = time.monotonic()
        async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(local_addr=(OTHER, 0))) as phone, \
                phone.get(base + "/static/kring.css") as response:
            assert response.status == 200
        assert time.monotonic() - started < PENALTY / 2  # not held behind the flood
        statuses, took = await flooding
    # The burst and what refilled were answered; the rest waited a penalty each, 32 at a
    # time (the flooder's connections), and was refused: answering cost ~a tenth.
    assert statuses[200] >= BURST and statuses.get(429, 0) >= 50, statuses
    assert server.pace.held == statuses.get(429, 0)
    assert took >= PENALTY * statuses[429] / 32 * 0.9, (took, statuses)
