"""The share server refuses everyone without the right token, from the wrong Host or Origin,
with too big a body or one connection too many, each with its status and no data; it lists
no folder, names no outside URL, logs no token, and listens on loopback unless told."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import aiohttp
import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import ShareError
from kring.tui.share.server import ShareServer
from tests.support.share import SECRET, held, serving

MEETING_WORDS = ("Pupil A", "Anouk", "Choose an incident", "CoP Inclusion")


def base(server: ShareServer) -> str:
    return f"http://127.0.0.1:{server.port}"


async def enter(session: aiohttp.ClientSession, server: ShareServer,
                kind: AccessKind) -> None:
    async with session.get(server.url(kind)) as response:
        assert response.status == 200
        assert f'url=/{kind.value}"' in await response.text()


async def assert_refused(response: aiohttp.ClientResponse, status: int) -> None:
    assert response.status == status
    body = await response.text()
    assert len(body) < 40 and not any(word in body for word in MEETING_WORDS)


def jar() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def test_it_listens_on_loopback_by_default_and_the_token_becomes_a_cookie(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session:
        assert server.address == "127.0.0.1" and server.port > 0
        async with session.get(server.url(AccessKind.VIEW)) as response:
            cookie = response.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert server.access.token(AccessKind.VIEW) not in await response.text()
        async with session.get(base(server) + "/view") as response:
            assert response.status == 200
            assert response.headers["Referrer-Policy"] == "no-referrer"
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/view", "/contribute", "/scribe", "/events/view",
                                  "/events/contribute", "/scribe/ws"])
async def test_no_token_is_401_and_nothing_else(data: Path, clock: FakeClock,
                                                path: str) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session, \
            session.get(base(server) + path) as response:
        await assert_refused(response, 401)


async def test_a_wrong_token_or_another_kind_s_token_is_401(data: Path,
                                                           clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session:
        view = server.access.token(AccessKind.VIEW)
        for path in (f"/v/{view[:-2]}xx", f"/c/{view}", f"/s/{view}", "/v/", "/v/a"):
            async with session.get(base(server) + path) as response:
                assert response.status in {401, 404}, path
                assert "Set-Cookie" not in response.headers
        async with session.get(base(server) + "/contribute") as response:
            await assert_refused(response, 401)


async def test_a_revoked_token_and_its_sessions_and_streams_are_dead_at_once(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session:
        old = server.url(AccessKind.VIEW)
        await enter(session, server, AccessKind.VIEW)
        stream = await session.get(base(server) + "/events/view")
        assert stream.status == 200
        await stream.content.readuntil(b"\n\n")
        new = await server.revoke(AccessKind.VIEW)
        assert new != old
        async with session.get(old) as response:
            await assert_refused(response, 401)
        async with session.get(base(server) + "/view") as response:
            await assert_refused(response, 401)
        rest = await asyncio.wait_for(stream.content.read(), timeout=2)  # ends, no more data
        assert b"event: state" not in rest
        stream.close()
        assert server.connected(AccessKind.VIEW) == 0
        async with jar() as other:
            await enter(other, server, AccessKind.VIEW)


async def test_a_foreign_host_is_403_even_with_the_token(data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session:
        for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1:1"):
            async with session.get(server.url(AccessKind.VIEW),
                                   headers={"Host": host}) as response:
                await assert_refused(response, 403)
                assert "Set-Cookie" not in response.headers


async def test_a_foreign_origin_is_403_on_posts_streams_and_the_scribe_socket(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live, scribe_command="true") as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        await enter(session, server, AccessKind.SCRIBE)
        evil = {"Origin": "http://evil.example"}
        async with session.post(base(server) + "/contribute", headers=evil,
                                data={"text": "hi", "item": "x" * 16}) as response:
            await assert_refused(response, 403)
        async with session.post(base(server) + "/contribute",
                                data={"text": "hi", "item": "x" * 16}) as response:
            await assert_refused(response, 403)  # a post without an Origin
        async with session.get(base(server) + "/events/contribute", headers=evil) as response:
            await assert_refused(response, 403)
        async with session.get(base(server) + "/events/contribute",
                               headers={"Sec-Fetch-Site": "cross-site"}) as response:
            await assert_refused(response, 403)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(base(server) + "/scribe/ws", headers=evil)
        assert refused.value.status == 403
        assert server.feed is not None and server.feed.log.waiting == []


async def test_an_oversized_body_is_413_and_nothing_is_queued(data: Path,
                                                             clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live) as server, jar() as session:
        await enter(session, server, AccessKind.CONTRIBUTE)
        origin = {"Origin": base(server)}
        async with session.post(base(server) + "/contribute", headers=origin,
                                data={"text": "x" * 100_000, "item": "y" * 16}) as response:
            assert response.status == 413
        async with session.post(base(server) + "/contribute", headers=origin,
                                data={"text": "x" * 1001, "item": "y" * 16}) as response:
            assert response.status == 400
        assert server.feed is not None and server.feed.log.waiting == []
        async with session.post(base(server) + "/contribute", headers={
                **origin, "Accept": "application/json"},
                data={"text": "What did you try?", "item": "z" * 16}) as response:
            assert response.status == 200
        assert [c.text for c in server.feed.log.waiting] == ["What did you try?"]


async def test_one_connection_too_many_is_429(data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    caps = {AccessKind.VIEW: 2, AccessKind.CONTRIBUTE: 2, AccessKind.SCRIBE: 1}
    async with serving(data, live, caps=caps) as server, jar() as session:
        await enter(session, server, AccessKind.VIEW)
        streams = [await session.get(base(server) + "/events/view") for _n in range(2)]
        assert [s.status for s in streams] == [200, 200]
        async with session.get(base(server) + "/events/view") as response:
            await assert_refused(response, 429)
        assert server.connected(AccessKind.VIEW) == 2
        for stream in streams:
            stream.close()


@pytest.mark.parametrize("path", ["/static/", "/static", "/static/..%2Fserver.py",
                                  "/static/../server.py", "/static/js", "/static/fonts/"])
async def test_no_folder_is_listed(data: Path, clock: FakeClock, path: str) -> None:
    live = held(data, clock)
    async with serving(data, live) as server, jar() as session, \
            session.get(base(server) + path) as response:
        assert response.status in {401, 404}
        assert "Index of" not in await response.text()


async def test_no_page_names_an_outside_url_or_carries_private_text(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    async with serving(data, live, scribe_command="true") as server, jar() as session:
        texts = []
        for kind in AccessKind:
            async with session.get(server.url(kind)) as response:
                texts.append(await response.text())
            async with session.get(f"{base(server)}/{kind.value}") as response:
                texts.append(await response.text())
        pages = "\n".join(texts)
        styles = []
        for name in ("kring.css", "kring.js", "scribe.css", "xterm.css"):
            async with session.get(f"{base(server)}/static/{name}") as response:
                assert response.status == 200
                styles.append(await response.text())
        async with session.get(base(server) + "/events/view") as stream:
            texts.append((await stream.content.readuntil(b"\n\n")).decode())
        everything = "\n".join(texts)
        # What a page makes the browser load: attributes and CSS url()/@import; a licence
        # comment naming a project's home page loads nothing.
        loads = re.findall(r'(?:src|href|content)="([^"]*)"', pages)
        for style in styles:
            loads += re.findall(r"url\(\s*['\"]?([^'\")]+)", style)
            loads += re.findall(r"@import\s+['\"]([^'\"]+)", style)
        assert loads and all(not re.match(r"(?:[a-z]+:)?//", url.split("url=")[-1], re.I)
                             for url in loads if not url.startswith("width=")), loads
        assert re.findall(r"https?://", pages + styles[1]) == []
        assert SECRET not in everything and "Zoë" not in everything
        assert "Pupil A" in everything  # the case title, as the room may read it
        async with session.get(f"{base(server)}/static/textual.js") as response:
            script = await response.text()
        assert "googleapis" not in script and "cdn" not in script.lower()


async def test_tokens_never_reach_a_log(data: Path, clock: FakeClock,
                                        caplog: pytest.LogCaptureFixture) -> None:
    live = held(data, clock)
    caplog.set_level(logging.DEBUG)
    async with serving(data, live) as server, jar() as session:
        for kind in AccessKind:
            async with session.get(server.url(kind)):
                pass
        async with session.get(base(server) + "/v/not-a-token"):
            pass
        tokens = [server.access.token(kind) for kind in AccessKind]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert not any(token in logged for token in tokens)


async def test_an_address_that_is_not_this_computer_s_is_a_sentence(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    server = ShareServer(data, live.meeting.id, address="203.0.113.7", clock=clock)
    with pytest.raises(ShareError, match=r"Cannot share on 203\.0\.113\.7"):
        await server.start()
    with pytest.raises(ShareError, match="There is no meeting nosuchmeeting"):
        await ShareServer(data, "nosuchmeeting", clock=clock).start()
