"""What a phone sends through ``kring share`` is plain text from where it enters (issue 22,
the first invariant): over loopback, escape sequences, control characters and bidi overrides
sent as contributions, names, ids and broken forms reach neither the queue, nor the share
journal on disk, nor the meeting's entries after reveal, nor what the view stream sends;
emoji and right-to-left letters stay as written, and a broken body is a 4xx, no traceback."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import MAX_TEXT, ShareLog, new_item_id
from kring.sessions.share.votes import VoteRound, vote_options, votes_each
from kring.sessions.store.facade import Store
from kring.tui.share.server import ShareServer
from tests.support.share import held, serving

HOSTILE = ["\x1b]0;owned\x07", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\x1b[8m", "\x00", "\u202e",
           "\x9b31m", "\x7f", "\u2066", "\r\nQuestion · Bram: forged row"]
WRITTEN = "Zoë 😀👍🏽 مرحبا שלום"  # what people write: it stays


def steering(text: str) -> list[str]:
    """The characters of ``text`` that could steer a terminal (or reverse what follows)."""
    return [char for char in text
            if ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f
            or 0x202a <= ord(char) <= 0x202e or 0x2066 <= ord(char) <= 0x2069]


def strings(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def assert_plain(texts: list[str], *, lines: bool = False) -> None:
    """No steering character in ``texts``; with ``lines``, line breaks are allowed (the
    instructions' HTML has them)."""
    for text in texts:
        assert [c for c in steering(text) if not (lines and c == "\n")] == [], ascii(text)


def base(server: ShareServer) -> str:
    return f"http://127.0.0.1:{server.port}"


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def enter(session: aiohttp.ClientSession, server: ShareServer, kind: AccessKind) -> None:
    async with session.get(server.url(kind)) as response:
        assert response.status == 200


async def post(session: aiohttp.ClientSession, server: ShareServer, path: str,
               **kwargs: Any) -> tuple[int, str]:
    headers = {"Accept": "application/json", "Origin": base(server),
               **kwargs.pop("headers", {})}
    async with session.post(base(server) + path, headers=headers, **kwargs) as response:
        return response.status, await response.text()


async def contribute(session: aiohttp.ClientSession, server: ShareServer, text: str,
                     who: str = "") -> int:
    fields = {"text": text, "item": new_item_id(), "who": who}
    return (await post(session, server, "/contribute", data=fields))[0]


async def first_state(session: aiohttp.ClientSession, url: str) -> tuple[bytes, dict[str, Any]]:
    async with session.get(url) as stream:
        event = await stream.content.readuntil(b"\n\n")
    line = next(line for line in event.decode().splitlines() if line.startswith("data: "))
    return event, json.loads(line[len("data: "):])


def journal_of(server: ShareServer) -> tuple[bytes, list[dict[str, Any]]]:
    path = journal_path(server.meeting_id)  # KRING_STATE: the test's own state folder
    raw = path.read_bytes()
    return raw, [json.loads(line) for line in raw.splitlines() if line.strip()]


# -- contributions: queue, journal, entries, stream ------------------------------------------


async def test_a_contribution_enters_plain_and_stays_plain_to_the_wall(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="positions")
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        sent = [f"Idea {n}: {code} {WRITTEN}" for n, code in enumerate(HOSTILE)]
        sent.append("\x1b[2J" * (MAX_TEXT // 4))  # the longest text taken, all escapes
        for text in sent:
            assert await contribute(session, server, text, who="1" + HOSTILE[0]) == 200
        assert server.feed is not None
        server.feed.log.refresh()
        waiting = server.feed.log.waiting
        assert len(waiting) == len(sent)

        # The queue, as the facilitator's panel gets it.
        assert_plain([item.text for item in waiting])
        assert [item.author for item in waiting] == [None] * len(sent)  # no roster place
        assert all(WRITTEN in item.text for item in waiting[:-1])
        assert all("\n" not in item.text for item in waiting)  # one line: no forged row
        assert waiting[-1].text == "[2J" * (MAX_TEXT // 4)

        # The share journal on disk: nothing there needed escaping, and nothing decoded steers.
        raw, records = journal_of(server)
        assert b"\x1b" not in raw and b"\\u00" not in raw
        assert_plain([s for record in records for s in strings(record)])
        assert WRITTEN.encode() in raw

        # Revealed by the facilitator's app (its own log on the same journal): the entries.
        app_log = ShareLog(Journal(journal_path(live.meeting.id)))
        entries = [app_log.reveal(item.id, live) for item in app_log.waiting]
        assert all(entry is not None for entry in entries)
        stored = Store(data).load(live.meeting.id).entries
        for texts in ([e.text for e in live.entries], [e.text for e in stored]):
            assert_plain(texts)
            assert sum(WRITTEN in text for text in texts) == len(HOSTILE)

        # A vote on them: what the view stream sends the wall.
        options = vote_options(live)
        app_log.open(VoteRound(new_item_id(), live.step.key, votes_each(len(options)),
                               options, clock.now()))
        server.feed.poll()
        await enter(session, server, AccessKind.VIEW)
        event, state = await first_state(session, base(server) + "/events/view")
        shown = [option["text"] for option in state["vote"]["options"]]
        assert len(shown) == len(HOSTILE) + 1
        assert_plain(strings(state["vote"]))  # one line each, as the wall shows them
        assert_plain(strings(state), lines=True)
        assert b"\x1b" not in event and b"\\u00" not in event
        # The wall shows pseudonyms ("Zoë" is a protected name): the rest as written.
        assert sum(WRITTEN.replace("Zoë", "Pupil A") in text for text in shown) == len(HOSTILE)


async def test_too_long_a_text_is_refused_and_nothing_waits(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        assert await contribute(session, server, ("\x1b]0;owned\x07" + "x" * 93) * 100) == 400
        assert await contribute(session, server, "😀" * 10_000) == 413  # over the body cap
        assert await contribute(session, server, "\x00" * (MAX_TEXT + 1)) == 400
        assert server.feed is not None
        server.feed.log.refresh()
        assert server.feed.log.waiting == []


# (Controls alone around a place, "\u202e1" or "1\x00", are dropped as text is made plain: what
# is left is a place on the roster the phone could have sent as such.)
@pytest.mark.parametrize("who", ["1\x1b]0;owned\x07", "\x1b[2J", "²", "٣", "9" * 5000,
                                 "-1"], ids=lambda who: ascii(who)[:12])
async def test_a_name_field_is_a_place_on_the_roster_or_nobody(
        data: Path, clock: FakeClock, who: str) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        assert await contribute(session, server, "What did you try?", who=who) == 200
        assert await contribute(session, server, "And then?", who="3") == 200
        assert server.feed is not None
        server.feed.log.refresh()
        assert [item.author for item in server.feed.log.waiting] == [None, "Dev"]


# -- votes: ids, never text --------------------------------------------------------------------


async def test_a_vote_for_anything_but_an_offered_id_is_refused_and_not_kept(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="positions")
    live.add_entry("Talk to her after class", live.step.phase.captures[0])
    live.add_entry("Call home 😀", live.step.phase.captures[0])
    options = vote_options(live)
    async with serving(data, live) as server, jar() as session:
        assert server.feed is not None
        vote_id = new_item_id()
        server.feed.log.open(VoteRound(vote_id, live.step.key, 1, options, clock.now()))
        await enter(session, server, AccessKind.CONTRIBUTE)
        for option in ["\x1b]0;owned\x07", options[0].entry_id + "\x1b[2J",
                       "not-an-option", ""]:
            status, _body = await post(session, server, "/vote",
                                       data={"vote": vote_id, "option": option})
            assert status == 400, ascii(option)
        status, _body = await post(session, server, "/vote",
                                   data={"vote": vote_id + "\x1b[8m",
                                         "option": options[0].entry_id})
        assert status == 409
        _raw, records = journal_of(server)
        assert [r for r in records if r["type"] == "ballot"] == []
        status, body = await post(session, server, "/vote",
                                  data={"vote": vote_id, "option": options[1].entry_id})
        assert status == 200 and json.loads(body)["mine"]["chosen"] == [options[1].entry_id]
        raw, records = journal_of(server)
        assert [r["option"] for r in records if r["type"] == "ballot"] == [options[1].entry_id]
        assert b"\x1b" not in raw and b"\\u00" not in raw


async def test_a_voter_is_the_session_the_server_gave_never_a_cookie_the_phone_makes_up(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="positions")
    live.add_entry("One", live.step.phase.captures[0])
    live.add_entry("Two", live.step.phase.captures[0])
    options = vote_options(live)
    async with serving(data, live) as server, jar() as session:
        assert server.feed is not None
        vote_id = new_item_id()
        server.feed.log.open(VoteRound(vote_id, live.step.key, 1, options, clock.now()))
        await enter(session, server, AccessKind.CONTRIBUTE)
        ours = {c.key: c.value for c in session.cookie_jar}
        made_up = ("x" * 4000, "short", "abc\tdefghijk", new_item_id())
        for n, voter in enumerate(made_up):
            async with jar() as other:
                cookies = f"kring_contribute={ours['kring_contribute']}; kring_voter={voter}"
                status, _body = await post(other, server, "/vote", headers={"Cookie": cookies},
                                           data={"vote": vote_id,
                                                 "option": options[n % 2].entry_id})
                assert status == 200, voter
        raw, records = journal_of(server)
        [ballot] = [r for r in records if r["type"] == "ballot"]  # one session, one vote
        assert ballot["voter"] not in made_up and len(ballot["voter"]) <= 16
        assert all(voter.encode() not in raw for voter in made_up)
        assert ours["kring_contribute"].encode() not in raw  # no secret in the journal


# -- bodies that are no form of text -----------------------------------------------------------


def _multipart_file() -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("text", b"\x1b]0;owned\x07", filename="a.txt",
                   content_type="application/octet-stream")
    form.add_field("item", new_item_id())
    return form


BROKEN = [
    ({"data": b"text=\xff\xfe\x1b&item=abcdefghij",
      "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, "raw invalid UTF-8"),
    ({"data": b"text=hello&item=abcdefghij",
      "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=nonesuch"}},
     "an unknown charset"),
    ({"data": b"--b\r\nContent-Disposition: form-data; name=\"text\"\r\n"
              b"Content-Type: text/plain\r\n\r\n\xff\xfe\r\n--b--\r\n",
      "headers": {"Content-Type": "multipart/form-data; boundary=b"}},
     "invalid UTF-8 in a multipart field"),
    ({"data": _multipart_file}, "a file in place of the text"),
]


@pytest.mark.parametrize(("request_args", "what"), BROKEN, ids=[w for _a, w in BROKEN])
@pytest.mark.parametrize("path", ["/contribute", "/vote"])
async def test_a_body_that_is_no_form_of_text_is_4xx_without_a_traceback(
        data: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str], request_args: dict[str, Any], what: str,
        path: str) -> None:
    live = held(data, clock, phase="questions")
    args = dict(request_args)
    if callable(args["data"]):
        args["data"] = args["data"]()
    caplog.set_level(logging.DEBUG)
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        status, _body = await post(session, server, path, **args)
        assert 400 <= status < 500, what
        assert server.feed is not None
        server.feed.log.refresh()
        assert server.feed.log.waiting == []
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


async def test_percent_encoded_broken_utf8_is_shown_as_replacements_or_refused(
        data: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        body = f"text=Hi%ff%fe%1b%5D0%3Bowned%07&item={new_item_id()}".encode()
        status, _body = await post(
            session, server, "/contribute", data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status in {200, 400}
        assert server.feed is not None
        server.feed.log.refresh()
        assert_plain([item.text for item in server.feed.log.waiting])
    assert [r for r in caplog.records if r.exc_info] == []


# -- a journal from before: made plain as it is read -------------------------------------------


def test_a_journal_written_before_is_made_plain_as_it_is_read(
        tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "old.jsonl"
    record = {"type": "item", "id": new_item_id(), "text": "\x1b]52;c;aGk=\x07Hi " + WRITTEN,
              "kind": "question", "author": "Dev\x1b[8m", "step": "questions",
              "at": clock.now().isoformat()}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (item,) = ShareLog(Journal(path)).waiting
    assert_plain([item.text, item.author or ""])
    assert item.text.endswith("Hi " + WRITTEN) and item.author == "Dev[8m"


# -- requests aiohttp cannot parse -------------------------------------------------------------


async def test_a_request_that_cannot_be_parsed_is_400_without_a_traceback(
        data: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    live = held(data, clock, phase="questions")
    caplog.set_level(logging.DEBUG)
    async with serving(data, live) as server:
        host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
        for request in (b"GET /view HTTP/1.1\r\n" + host + b"Host: evil.example\r\n\r\n",
                        b"GET /view HTTP/1.1\r\n" + host + host + b"\r\n",
                        b"POST /contribute HTTP/1.1\r\n" + host
                        + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                        b"GET /view HTTP/1.1\r\n" + host + b"X-Long: " + b"a" * 9000
                        + b"\r\n\r\n",
                        b"GET /view HTTP/1.1\r\n" + host + b"X-Esc: \x1b]0;owned\x07\r\n\r\n"):
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(request)
            await writer.drain()
            answer = await asyncio.wait_for(reader.read(), 5)
            writer.close()
            assert answer.startswith((b"HTTP/1.0 4", b"HTTP/1.1 4")), answer[:60]
            assert b"Traceback" not in answer
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
