"""The room may hold one hostile phone (issue 22): the attacks the issue lists, each run over
loopback against a real share server, bounded in count and in time, and what still holds.

- 1,000 ballots at once from one session (one option, and all of them): the vote counts that
  session at most ``each`` times, and the journal grows by those ballots alone.
- Cookies cleared in a loop (50 fresh cookie jars from one address): 20 sessions get in and
  the rest are refused; the facilitator's turnout shows more voters than participants; a
  phone from another address still gets in.
- 500 streams from one cookie: 3 are held, the rest refused; a new phone, from the same
  address and from another, still connects and is sent the state.
- 2,000 contributions as fast as one client can send them: the write budget and the cap on
  what one session has waiting bound what queues; other phones still get theirs through.
- A vote taken back (the counts go down, the journal says so), and counts hidden (no count
  in any state the stream sends while they are).

Escape codes through every route are tests/test_share_plain.py's and
tests/test_terminal_plain.py's. The clients here keep to 32 connections at once, under the
connection gate's cap per address (tui/share/connections.py): that cap is tested there, and
what is tested here is what the handlers and the limits make of the requests that arrive.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.share.access import AccessKind, Limits
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import MAX_WAITING_EACH, new_item_id
from kring.sessions.share.votes import VoteRound, vote_options, votes_each
from kring.tui.share.pace import Pace
from kring.tui.share.server import ShareServer
from tests.support.share import held, serving

LIMITS = Limits()  # the limits the server runs with: the bounds asserted are these
AT_ONCE = 32  # connections a flooding client holds at once (see the module's docstring)
OTHER = "127.0.0.2"  # another device: all of 127.0.0.0/8 is loopback on Linux
def held_briefly() -> Pace:
    """The server's pace per address, its penalty short: these floods test what a session
    may keep (tests/test_share_pace.py tests the pace as served), and would otherwise wait
    out a second for every 32 requests held."""
    return Pace(penalty=0.02)


SECONDS = 20.0  # what any one flood may take, however loaded the machine running the tests


# -- clients ---------------------------------------------------------------------------------


def base(server: ShareServer) -> str:
    return f"http://127.0.0.1:{server.port}"


@asynccontextmanager
async def phone(address: str = "127.0.0.1", at_once: int = AT_ONCE
                ) -> AsyncIterator[aiohttp.ClientSession]:
    """A device: its own cookie jar, its requests from ``address``."""
    connector = aiohttp.TCPConnector(limit=at_once, local_addr=(address, 0))
    async with aiohttp.ClientSession(connector=connector,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def enter(session: aiohttp.ClientSession, server: ShareServer,
                kind: AccessKind = AccessKind.CONTRIBUTE) -> int:
    async with session.get(server.url(kind)) as response:
        await response.read()
        return response.status


async def post(session: aiohttp.ClientSession, server: ShareServer, path: str,
               fields: dict[str, str]) -> tuple[int, str]:
    headers = {"Accept": "application/json", "Origin": base(server)}
    async with session.post(base(server) + path, data=fields, headers=headers) as response:
        return response.status, await response.text()


async def flood(count: int, send: Callable[[int], Awaitable[int]]) -> tuple[Counter[int], float]:
    """``count`` requests all at once (the client's connection pool queues them): how many
    came back with each status, and how long all of them took."""
    began = time.monotonic()
    statuses = await asyncio.wait_for(asyncio.gather(*(send(n) for n in range(count))),
                                      SECONDS)
    return Counter(statuses), time.monotonic() - began


async def next_event(stream: aiohttp.ClientResponse, timeout: float = 5.0
                     ) -> tuple[str, dict[str, Any] | None, bytes]:
    """The stream's next event (a keep-alive comment is skipped): its name, its data, and
    the bytes as sent."""
    while True:
        raw = await asyncio.wait_for(stream.content.readuntil(b"\n\n"), timeout)
        name, data = "", None
        for line in raw.decode().splitlines():
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: "):])
        if name:
            return name, data, raw


async def a_state(stream: aiohttp.ClientResponse) -> dict[str, Any]:
    """The first ``state`` event the stream sends."""
    while True:
        name, data, _raw = await next_event(stream)
        if name == "state":
            assert data is not None
            return data


# -- the meeting -----------------------------------------------------------------------------


def voting(data: Path, clock: FakeClock, options: int = 4) -> LiveMeeting:
    """A meeting in its round of positions with ``options`` positions to choose from."""
    live = held(data, clock, phase="positions")
    for n in range(options):
        live.add_entry(f"Position {n}", live.step.phase.captures[0])
    return live


def open_vote(server: ShareServer, live: LiveMeeting) -> VoteRound:
    """A vote opened as the facilitator's app opens one: a line in the share journal."""
    assert server.feed is not None
    options = vote_options(live)
    vote = VoteRound(new_item_id(), live.step.key, votes_each(len(options)), options,
                     live.clock.now())
    server.feed.log.open(vote)
    server.feed.poll()
    return vote


def journal(server: ShareServer) -> tuple[int, list[dict[str, Any]]]:
    """The share journal on disk: its size in bytes, and its records."""
    raw = journal_path(server.meeting_id).read_bytes()
    return len(raw), [json.loads(line) for line in raw.splitlines() if line.strip()]


def counts(server: ShareServer) -> dict[str, int]:
    assert server.feed is not None
    server.feed.log.refresh()
    vote = server.feed.log.open_vote
    assert vote is not None
    return {option.entry_id: n for option, n in vote.counts()}


def public_of(server: ShareServer, session: aiohttp.ClientSession,
              kind: AccessKind = AccessKind.CONTRIBUTE) -> str:
    """The public id the server gave the session ``session``'s cookie names."""
    secret = next(c.value for c in session.cookie_jar if c.key == f"kring_{kind.value}")
    found = server.access.session(secret)
    assert found is not None
    return found.public


# -- 1,000 ballots from one session ----------------------------------------------------------


async def test_a_thousand_ballots_at_once_from_one_session_count_it_once(
        data: Path, clock: FakeClock) -> None:
    live = voting(data, clock)
    async with (serving(data, live, pace=held_briefly()) as server, phone() as same,
                phone() as spread):
        vote = open_vote(server, live)
        assert vote.each == 3
        ids = [option.entry_id for option in vote.options]
        assert await enter(same, server) == 200 and await enter(spread, server) == 200
        before, _records = journal(server)

        # One phone sends its vote for one option a thousand times; another (the same
        # address) a thousand votes spread over every option; all at the same moment.
        def ballot(session: aiohttp.ClientSession, option: Callable[[int], str]
                   ) -> Callable[[int], Awaitable[int]]:
            async def send(n: int) -> int:
                return (await post(session, server, "/vote",
                                   {"vote": vote.id, "option": option(n)}))[0]
            return send

        (one, one_took), (many, many_took) = await asyncio.gather(
            flood(1000, ballot(same, lambda _n: ids[0])),
            flood(1000, ballot(spread, lambda n: ids[n % len(ids)])))
        assert set(one) | set(many) <= {200, 429}, (one, many)

        tally = counts(server)
        assert server.feed is not None
        chosen = server.feed.log.open_vote.chosen  # type: ignore[union-attr]
        assert chosen[public_of(server, same)] == [ids[0]]
        assert len(chosen[public_of(server, spread)]) == vote.each  # its three, no more
        assert sum(tally.values()) == 1 + vote.each
        size, records = journal(server)
        ballots = [r for r in records if r["type"] == "ballot"]
        # A thousand ballots are not a thousand lines: one a vote that counts, however the
        # requests interleave (test_two_ballots_racing_for_one_option_write_one_line).
        assert len(ballots) == 1 + vote.each, Counter((r["voter"], r["option"])
                                                      for r in ballots)
        assert size - before <= (1 + vote.each) * 128, size - before  # a line is < 128 bytes
        assert max(one_took, many_took) < SECONDS


# -- cookies cleared in a loop -----------------------------------------------------------------


async def test_fifty_fresh_cookie_jars_from_one_address_are_twenty_voters_and_it_shows(
        data: Path, clock: FakeClock) -> None:
    live = voting(data, clock, options=2)
    async with serving(data, live, pace=held_briefly()) as server:
        vote = open_vote(server, live)
        option = vote.options[0].entry_id
        entered: Counter[int] = Counter()
        voted: Counter[int] = Counter()
        began = time.monotonic()
        for _jar in range(50):  # a script clearing its cookies before each visit
            async with phone() as fresh:
                status = await enter(fresh, server)
                entered[status] += 1
                voted[(await post(fresh, server, "/vote",
                                  {"vote": vote.id, "option": option}))[0]] += 1
        took = time.monotonic() - began
        assert entered == {200: LIMITS.sessions_per_address,
                           429: 50 - LIMITS.sessions_per_address}
        # Without a session a ballot is nobody's: refused before anything is read.
        assert voted == {200: LIMITS.sessions_per_address,
                         401: 50 - LIMITS.sessions_per_address}

        # What the facilitator's F12 dialog shows (Sharing.vote_turnout): more voters than
        # the four participants, and as many contributing devices as voters.
        assert server.feed is not None
        server.feed.log.refresh()
        voters = server.feed.log.open_vote.voters()  # type: ignore[union-attr]
        devices = server.access.sessions(AccessKind.CONTRIBUTE)
        participants = len(live.meeting.participants)
        assert (voters, participants, devices) == (20, 4, 20)
        assert voters > participants  # the dialog's warning: a link went further

        # Another device, from another address, is not held up by that one.
        async with phone(OTHER) as other:
            assert await enter(other, server) == 200
            status, body = await post(other, server, "/vote",
                                      {"vote": vote.id, "option": option})
            assert status == 200 and json.loads(body)["mine"]["chosen"] == [option]
        assert counts(server)[option] == 21
        assert took < SECONDS


# -- 500 streams from one cookie ---------------------------------------------------------------


async def test_five_hundred_streams_from_one_cookie_hold_three_and_a_new_phone_gets_in(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live, pace=held_briefly()) as server, phone() as greedy:
        assert await enter(greedy, server, AccessKind.VIEW) == 200
        holding: list[aiohttp.ClientResponse] = []

        async def open_stream(_n: int) -> int:
            response = await greedy.get(base(server) + "/events/view")
            if response.status == 200:
                holding.append(response)  # held open, as the script would
            else:
                response.release()
            return response.status

        try:
            statuses, took = await flood(500, open_stream)
            assert statuses == {200: LIMITS.streams_per_session,
                                429: 500 - LIMITS.streams_per_session}
            assert server.connected(AccessKind.VIEW) == LIMITS.streams_per_session
            # The three it holds are live streams, sent the state like any phone's.
            assert (await a_state(holding[0]))["title"] == live.step.phase.title

            # A new phone, from another address and from the same one (its own session,
            # once the address's pace has refilled a page load's worth: 0.25 s at 20 a
            # second), still connects and is sent the meeting as it is now.
            for address in (OTHER, "127.0.0.1"):
                if address != OTHER:
                    await asyncio.sleep(0.25)
                async with phone(address) as newcomer:
                    assert await enter(newcomer, server, AccessKind.VIEW) == 200
                    async with newcomer.get(base(server) + "/events/view") as stream:
                        assert stream.status == 200, address
                        state = await a_state(stream)
                        assert state["title"] == live.step.phase.title
            assert took < SECONDS
        finally:
            for response in holding:
                response.close()


# -- 2,000 contributions from one session ------------------------------------------------------


async def test_two_thousand_contributions_from_one_session_queue_at_most_twenty(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live, pace=held_briefly()) as server, phone() as flooder:
        assert await enter(flooder, server) == 200

        async def contribute(n: int) -> int:
            return (await post(flooder, server, "/contribute",
                               {"text": f"Question {n}", "item": new_item_id()}))[0]

        statuses, took = await flood(2000, contribute)
        # Twenty go in (the session's share of the queue, and its burst); every other one is
        # refused with 429 ("you have much waiting already", or "too much at once"),
        # decided before anything is written, so a refusal spends none of the budget.
        assert statuses == {200: MAX_WAITING_EACH, 429: 2000 - MAX_WAITING_EACH}, statuses
        assert server.feed is not None
        server.feed.log.refresh()
        mine = public_of(server, flooder)
        assert server.feed.log.waiting_from(frozenset({mine})) == MAX_WAITING_EACH
        assert len(server.feed.log.waiting) == MAX_WAITING_EACH
        size, records = journal(server)
        assert len([r for r in records if r["type"] == "item"]) == MAX_WAITING_EACH
        assert size < 20 * 1024, size  # twenty short questions, not two thousand

        # Other phones still get theirs through: one from the flooder's own address (the
        # address has room for two phones' share, once its pace has refilled a page load's
        # worth: 0.25 s at 20 a second), one from another.
        await asyncio.sleep(0.25)
        for address, text in (("127.0.0.1", "A neighbour's question"),
                              (OTHER, "Another phone's question")):
            async with phone(address) as other:
                assert await enter(other, server) == 200
                status, body = await post(other, server, "/contribute",
                                          {"text": text, "item": new_item_id()})
                assert status == 200, body
        server.feed.log.refresh()
        assert [item.text for item in server.feed.log.waiting[-2:]] == [
            "A neighbour's question", "Another phone's question"]
        assert took < SECONDS


# -- a vote taken back, and counts hidden ----------------------------------------------------


async def test_a_vote_taken_back_counts_no_more_and_the_journal_says_so(
        data: Path, clock: FakeClock) -> None:
    live = voting(data, clock, options=3)
    async with (serving(data, live, pace=held_briefly()) as server, phone() as voter,
                phone(OTHER) as wall):
        vote = open_vote(server, live)
        first, second = (option.entry_id for option in vote.options[:2])
        assert await enter(voter, server) == 200
        assert await enter(wall, server, AccessKind.VIEW) == 200
        async with wall.get(base(server) + "/events/view") as stream:
            await a_state(stream)
            for option in (first, second):
                status, _body = await post(voter, server, "/vote",
                                           {"vote": vote.id, "option": option})
                assert status == 200
            assert counts(server)[first] == 1
            status, body = await post(voter, server, "/vote",
                                      {"vote": vote.id, "option": first, "undo": "1"})
            assert status == 200 and json.loads(body)["mine"]["chosen"] == [second]
            assert counts(server) == {first: 0, second: 1, vote.options[2].entry_id: 0}
            # Taken back twice is taken back once: answered, not written again.
            status, _body = await post(voter, server, "/vote",
                                       {"vote": vote.id, "option": first, "undo": "1"})
            assert status == 200
            # The wall's counts go down with it.
            while True:
                shown = (await a_state(stream))["vote"]
                if shown and [o["votes"] for o in shown["options"]] == [0, 1, 0]:
                    break
            assert shown["voters"] == 1
        _size, records = journal(server)
        ballots = [(r["option"], r.get("undo", False)) for r in records
                   if r["type"] == "ballot"]
        assert ballots == [(first, False), (second, False), (first, True)]


async def test_hidden_counts_leave_no_count_in_the_stream(
        data: Path, clock: FakeClock) -> None:
    live = voting(data, clock, options=3)
    async with serving(data, live, pace=held_briefly()) as server, phone(OTHER) as wall:
        vote = open_vote(server, live)
        assert server.feed is not None
        assert server.feed.log.hide_counts(True)
        server.feed.poll()
        assert await enter(wall, server, AccessKind.CONTRIBUTE) == 200
        async with wall.get(base(server) + "/events/contribute") as stream:
            sent: list[bytes] = []
            states: list[dict[str, Any]] = []

            async def watch() -> None:
                while True:
                    name, data_, raw = await next_event(stream)
                    sent.append(raw)
                    if name == "state":
                        assert data_ is not None
                        states.append(data_)

            watching = asyncio.create_task(watch())
            try:
                # Five phones vote while the counts are hidden, and one takes its vote back.
                ids = [option.entry_id for option in vote.options]
                for n in range(5):
                    async with phone() as voter:
                        assert await enter(voter, server) == 200
                        status, _body = await post(voter, server, "/vote",
                                                   {"vote": vote.id, "option": ids[n % 3]})
                        assert status == 200
                        if n == 4:
                            status, _body = await post(
                                voter, server, "/vote",
                                {"vote": vote.id, "option": ids[1], "undo": "1"})
                            assert status == 200
                await asyncio.sleep(0.5)  # every change has reached the stream
            finally:
                watching.cancel()
                await asyncio.gather(watching, return_exceptions=True)
        assert counts(server) == {ids[0]: 2, ids[1]: 1, ids[2]: 1}  # counted all the same
        votes = [s["vote"] for s in states if s.get("vote")]
        assert votes and votes[-1]["voters"] == 4  # the turnout moves, the counts do not
        assert all(v["hidden"] for v in votes)
        assert all(o["votes"] is None for v in votes for o in v["options"])
        # Nor anywhere else in what was sent: no "votes" key holds a number, in any event.
        stream_text = b"".join(sent).decode()
        assert '"votes":null' in stream_text
        assert not any(f'"votes":{digit}' in stream_text for digit in "0123456789")


async def test_counts_shown_again_come_back_whole(data: Path, clock: FakeClock) -> None:
    """Hiding is a view: the ballots cast while hidden were counted, and showing the counts
    again shows all of them."""
    live = voting(data, clock, options=2)
    async with serving(data, live, pace=held_briefly()) as server, phone() as voter:
        vote = open_vote(server, live)
        assert server.feed is not None
        server.feed.log.hide_counts(True)
        assert await enter(voter, server) == 200
        status, _body = await post(voter, server, "/vote",
                                   {"vote": vote.id, "option": vote.options[1].entry_id})
        assert status == 200
        server.feed.log.hide_counts(False)
        server.feed.poll()
        assert await enter(voter, server, AccessKind.VIEW) == 200
        async with voter.get(base(server) + "/events/view") as stream:
            shown = (await a_state(stream))["vote"]
        assert not shown["hidden"] and [o["votes"] for o in shown["options"]] == [0, 1]


# -- two requests of one phone at the same moment ----------------------------------------------
#
# A journal write is an fsync, in a worker thread (feed.write); a phone's next request can come
# while it is under way. The floods above hit that now and then before feed.write decided every
# write on the event loop, one at a time (a stray ballot line in about a third of the runs of
# the thousand ballots under `-n 2`; counts that no longer matched the journal in one of ten
# rounds of 400 ballots and take-backs). The tests below hold the first write at the moment
# that matters, so the outcome is the same every run.

HOLD = 3.0  # seconds a held write waits at most: a server that waits for it never hangs here
RACE = 0.3  # how long the second request has to get past the held first one, if it can


def hold_the_first_ballot(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event,
                                                                     threading.Event]:
    """The first ballot line written (in a worker thread) waits, about to be written, until
    the second event is set; the first event says it got there."""
    reached, go = threading.Event(), threading.Event()
    append_all = Journal.append_all

    def held(self: Journal, records: list[dict[str, Any]]) -> None:
        if (threading.current_thread() is not threading.main_thread()
                and records and records[0].get("type") == "ballot" and not reached.is_set()):
            reached.set()
            go.wait(HOLD)
        append_all(self, records)

    monkeypatch.setattr(Journal, "append_all", held)
    return reached, go


async def test_two_ballots_racing_for_one_option_write_one_line(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    live = voting(data, clock, options=2)
    reached, go = hold_the_first_ballot(monkeypatch)
    async with serving(data, live, pace=held_briefly()) as server, phone() as voter:
        vote = open_vote(server, live)
        option = vote.options[0].entry_id
        assert await enter(voter, server) == 200
        fields = {"vote": vote.id, "option": option}
        first = asyncio.create_task(post(voter, server, "/vote", fields))
        assert await asyncio.to_thread(reached.wait, HOLD)
        # The page sends it again while the first is being written.
        second = asyncio.create_task(post(voter, server, "/vote", fields))
        await asyncio.sleep(RACE)
        go.set()
        assert (await first)[0] == 200 and (await second)[0] == 200
        _size, records = journal(server)
        assert [r["option"] for r in records if r["type"] == "ballot"] == [option]
        assert counts(server)[option] == 1


async def test_a_take_back_right_behind_its_ballot_takes_it_back(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    live = voting(data, clock, options=2)
    reached, go = hold_the_first_ballot(monkeypatch)
    async with serving(data, live, pace=held_briefly()) as server, phone() as voter:
        vote = open_vote(server, live)
        option = vote.options[0].entry_id
        assert await enter(voter, server) == 200
        ballot = asyncio.create_task(post(voter, server, "/vote",
                                          {"vote": vote.id, "option": option}))
        assert await asyncio.to_thread(reached.wait, HOLD)
        # A second tap, undoing the first, while the first is being written.
        take_back = asyncio.create_task(post(voter, server, "/vote",
                                             {"vote": vote.id, "option": option, "undo": "1"}))
        await asyncio.sleep(RACE)
        go.set()
        assert (await ballot)[0] == 200
        status, body = await take_back
        assert status == 200 or 400 <= status < 500  # taken back, or refused: never lost
        _size, records = journal(server)
        ballots = [(r["option"], r.get("undo", False)) for r in records
                   if r["type"] == "ballot"]
        if status == 200:
            assert json.loads(body)["mine"]["chosen"] == []
            assert ballots == [(option, False), (option, True)]
            assert counts(server)[option] == 0
        else:
            assert counts(server)[option] == 1
