"""The share server's routes: entering with a token, the three pages, their event streams,
sending a contribution, voting, and the static files (by name, from a fixed list)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import textual_serve
from aiohttp import web

from kring.sessions.i18n import _, ngettext
from kring.sessions.meeting.room import room_view
from kring.sessions.model.kinds import Capture
from kring.sessions.plain import plain_line
from kring.sessions.share.access import AccessKind, Session
from kring.sessions.share.journal import ShareError
from kring.sessions.share.naming import NameRequired, sign
from kring.sessions.share.page import collects, timer_state
from kring.sessions.share.queue import (
    MAX_TEXT,
    BadScore,
    Contribution,
    QueueFull,
    is_item_id,
    new_item_id,
    read_score,
)
from kring.sessions.share.votes import VoteRound
from kring.tui.share import pages
from kring.tui.share.feed import sse
from kring.tui.share.guard import PAGE_POLICY
from kring.tui.share.minutes import MARKDOWN_TYPE, PDF_TYPE

if TYPE_CHECKING:
    from kring.tui.share.server import ShareServer

SERVER: web.AppKey[Any] = web.AppKey("kring-share", object)
KEEPALIVE = 15.0
BODY_TIMEOUT = 10.0  # seconds to send a form of at most 16 kB, on the slowest phone
_OWN = Path(__file__).resolve().parent / "static"
_TEXTUAL = Path(textual_serve.__file__).resolve().parent / "static"
# Served by name; anything else is 404, and no folder is ever listed.
STATIC: dict[str, tuple[Path, str]] = {
    "kring.css": (_OWN / "kring.css", "text/css"),
    "kring.js": (_OWN / "kring.js", "text/javascript"),
    "scribe.css": (_OWN / "scribe.css", "text/css"),
    "textual.js": (_TEXTUAL / "js" / "textual.js", "text/javascript"),
    "xterm.css": (_TEXTUAL / "css" / "xterm.css", "text/css"),
    "RobotoMono.ttf": (_TEXTUAL / "fonts" / "RobotoMono-VariableFont_wght.ttf", "font/ttf"),
}
PAGES = {AccessKind.VIEW: "/view", AccessKind.CONTRIBUTE: "/contribute",
         AccessKind.SCRIBE: "/scribe"}


def add_routes(app: web.Application) -> None:
    app.add_routes([
        web.get("/{prefix:[vcs]}/{token}", enter),
        web.get("/view", view),
        web.get("/contribute", contribute),
        web.post("/contribute", send),
        web.post("/vote", vote),
        web.get("/events/{kind}", events),
        web.get("/scribe", scribe),
        web.get("/scribe/ws", scribe_socket),
        web.get("/static/{name}", static),
        web.get("/minutes.md", minutes),
        web.get("/handout.pdf", minutes),
    ])


def cookie(kind: AccessKind) -> str:
    return f"kring_{kind.value}"


def _server(request: web.Request) -> ShareServer:
    server: ShareServer = request.app[SERVER]
    return server


def unauthorized() -> web.HTTPUnauthorized:
    return web.HTTPUnauthorized(text="401 Unauthorized")


def session_of(request: web.Request, kind: AccessKind) -> Session:
    """The request's session of ``kind``; raises 401 when it has none that lives."""
    session = _server(request).access.session(request.cookies.get(cookie(kind)))
    if session is None or session.kind is not kind:
        raise unauthorized()
    return session


def address_of(request: web.Request) -> str:
    """Where the request came from: the limits per device count by it."""
    return request.remote or ""


def too_many(message: str) -> web.HTTPTooManyRequests:
    return web.HTTPTooManyRequests(text=message, headers={"Retry-After": "30"})


def _set_cookie(response: web.StreamResponse, name: str, value: str,
                max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, samesite="Strict", path="/",
                        max_age=max_age)


# -- entering and the pages ------------------------------------------------------------------


async def enter(request: web.Request) -> web.StreamResponse:
    """A token URL: exchanged for a session cookie, then on to the page, without the token."""
    server = _server(request)
    kind = server.access.kind_of_token(request.match_info["token"])
    if kind is None or kind.prefix != request.match_info["prefix"]:
        raise unauthorized()
    response = web.Response(text=pages.opening_page(PAGES[kind]), content_type="text/html")
    # A phone that scans the code again keeps its session, and so its votes: only a
    # device without one (or whose one ended) gets a new one, and one device only so many.
    held = server.access.session(request.cookies.get(cookie(kind)))
    if held is None or held.kind is not kind:
        secret = server.access.open_session(kind, address_of(request))
        if secret is None:
            raise too_many(_("This device has opened this meeting too often. Use a page "
                             "that is already open, or wait a while."))
        _set_cookie(response, cookie(kind), secret)
    return response


async def view(request: web.Request) -> web.StreamResponse:
    session_of(request, AccessKind.VIEW)
    return web.Response(text=pages.view_page(), content_type="text/html")


async def contribute(request: web.Request) -> web.StreamResponse:
    session_of(request, AccessKind.CONTRIBUTE)
    server = _server(request)
    assert server.feed is not None
    # The page comes with the form as the phase has it now: a phone writes at once, before
    # (or without) its event stream, and a browser without JavaScript can still send.
    page = pages.contribute_page(new_item_id(), server.naming, server.feed.state,
                                 sent=request.query.get("sent") == "1")
    return web.Response(text=page, content_type="text/html")


async def scribe(request: web.Request) -> web.StreamResponse:
    session_of(request, AccessKind.SCRIBE)
    request[PAGE_POLICY] = _server(request).scribe.policy(request.host)
    url = f"ws://{request.host}/scribe/ws"
    return web.Response(text=pages.scribe_page(url), content_type="text/html")


async def scribe_socket(request: web.Request) -> web.StreamResponse:
    server = _server(request)
    session_of(request, AccessKind.SCRIBE)
    if not server.guard.same_origin(request, required=True):
        raise web.HTTPForbidden(text="403 Forbidden")
    return await server.scribe.serve(request, server)


def _holds(server: ShareServer, request: web.Request, kind: AccessKind) -> bool:
    found = server.access.session(request.cookies.get(cookie(kind)))
    return found is not None and found.kind is kind


async def minutes(request: web.Request) -> web.StreamResponse:
    """The ended meeting's minutes, for any device the room let in, while the facilitator
    offers them; 404 before the meeting ends or when not offered."""
    server = _server(request)
    if not any(_holds(server, request, kind) for kind in (AccessKind.VIEW,
                                                          AccessKind.CONTRIBUTE)):
        raise unauthorized()
    feed = server.feed
    if feed is None or not feed.state.get("minutes"):
        raise web.HTTPNotFound(text="404 Not Found")
    offered = await server.minutes.of(feed.live, feed.version)
    handout = request.path.endswith(".pdf")
    body, kind, name = ((offered.handout, PDF_TYPE, f"{offered.name}.handout.pdf") if handout
                        else (offered.markdown, MARKDOWN_TYPE, f"{offered.name}.md"))
    # The name is the minutes' own: ASCII, no protected name (sessions/documents/filenames).
    return web.Response(body=body, headers={
        "Content-Type": kind, "Content-Disposition": f'attachment; filename="{name}"'})


async def static(request: web.Request) -> web.StreamResponse:
    found = STATIC.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound(text="404 Not Found")
    path, content_type = found
    return web.FileResponse(path, headers={"Content-Type": content_type})


# -- what the room sends ---------------------------------------------------------------------


def _answer(request: web.Request, status: int, body: dict[str, Any],
            text: str = "", score: int | None = None) -> web.StreamResponse:
    """JSON for the page's script; without a script, a form post is sent back to the page:
    the page again when it went through, else the page saying why, ``text`` (what was
    written) still in its field and ``score`` (one that was valid) still chosen."""
    if "application/json" in request.headers.get("Accept", ""):
        return web.json_response(body, status=status)
    if status < 400:
        raise web.HTTPSeeOther("/contribute?sent=1" if body.get("ok") else "/contribute")
    server = _server(request)
    assert server.feed is not None
    page = pages.contribute_page(new_item_id(), server.naming, server.feed.state,
                                 problem=str(body.get("message", "")), text=text, score=score)
    return web.Response(text=page, status=status, content_type="text/html")


class Form(dict[str, str]):
    """The posted fields, the first of each name; ``repeated``: the names sent more than
    once."""

    def __init__(self) -> None:
        super().__init__()
        self.repeated: set[str] = set()


async def _form(request: web.Request) -> Form | None:
    """The posted form: the one place where what a phone sends enters. Every field becomes
    one line of plain text here (``plain_line``), before anything queues, journals, shows or
    stores it: no escape sequence, control character or bidi override gets further. None
    when the body is no form of text (invalid UTF-8, an unknown charset, a file)."""
    try:
        # Over MAX_BODY: 413 before anything is read into memory. A body that trickles in
        # (a slowloris that sends its headers and then a byte at a time) is given up on: a
        # request being read is busy, and the connection guard never closes a busy one.
        form = await asyncio.wait_for(request.post(), BODY_TIMEOUT)
    except TimeoutError:
        # Closed, not answered: the body is still coming, and an answer would wait for it.
        if request.transport is not None:
            request.transport.close()
        raise web.HTTPRequestTimeout(text="408 Request Timeout") from None
    except (ValueError, LookupError):  # UnicodeDecodeError is a ValueError
        return None
    fields = Form()
    for name, value in form.items():
        if not isinstance(value, str):
            return None  # bytes of another content type, or an uploaded file
        key = plain_line(name)
        if key in fields:
            fields.repeated.add(key)
        fields.setdefault(key, plain_line(value))  # the first of a name counts
    return fields


def _unreadable(request: web.Request) -> web.StreamResponse:
    return _answer(request, 400, {"message": _("Reload the page and try again.")})


class TooFast(Exception):
    """The session or its address has spent its writes for now."""


def paced(server: ShareServer, session: Session,
          decide: Callable[[], list[dict[str, Any]]]) -> Callable[[], list[dict[str, Any]]]:
    """``decide``, spending a write of ``session``'s budget only when it writes something:
    a form or a ballot sent again (a bad network, a page's retry) is answered, not
    refused. Decided in ``feed.write``, after the writes before it are in: a take-back
    right behind its ballot sees the ballot."""
    def deciding() -> list[dict[str, Any]]:
        records = decide()
        if records and not server.access.may_write(session):
            raise TooFast
        return records
    return deciding


def _slow_down(request: web.Request, text: str = "",
               score: int | None = None) -> web.StreamResponse:
    return _answer(request, 429, {"message": _("Too much at once: wait a moment and send "
                                               "again.")}, text, score)


async def send(request: web.Request) -> web.StreamResponse:
    server = _server(request)
    session = session_of(request, AccessKind.CONTRIBUTE)
    if not server.guard.same_origin(request, required=True):
        raise web.HTTPForbidden(text="403 Forbidden")
    form = await _form(request)
    if form is None:
        return _unreadable(request)
    # One line: an entry is one row of the entry list, as a typed line is; a line break
    # from a phone would start a row that looks like another entry (another name, another
    # kind). plain_line made it a space.
    text = form.get("text", "").strip()
    item_id = form.get("item", "")
    feed = server.feed
    assert feed is not None
    live = feed.live
    kind = collects(live)
    if kind is None:
        return _answer(request, 409, {"message": _("This phase takes no contributions.")},
                       text)
    # An evaluation is a score and, if one likes, a line; a score is refused in any other
    # phase, as a kind the phase does not take would be (the page was of an earlier phase).
    score: int | None = None
    if kind is Capture.EVALUATION:
        try:  # a score sent twice is none: which would it be?
            score = read_score(None if "score" in form.repeated else form.get("score"))
        except BadScore as error:
            return _answer(request, 400, {"message": error.message}, text[:MAX_TEXT])
    elif "score" in form:
        return _answer(request, 409, {"message": _("This phase takes no evaluations: "
                                                   "reload the page.")}, text)
    if (score is None and not text) or len(text) > MAX_TEXT:
        limit = (ngettext("Write at most {n} character.", "Write at most {n} characters.",
                          MAX_TEXT) if score is not None else
                 ngettext("Write between 1 and {n} character.",
                          "Write between 1 and {n} characters.", MAX_TEXT)).format(n=MAX_TEXT)
        return _answer(request, 400, {"message": limit}, text[:MAX_TEXT], score)
    if not is_item_id(item_id):
        return _unreadable(request)
    try:
        author = sign(server.naming, form.get("who", ""), live.meeting.participants)
    except NameRequired as error:
        return _answer(request, 400, {"message": error.message}, text, score)
    item = Contribution(item_id, text, kind, author, live.step.key, server.clock.now(),
                        source=session.public, score=score)
    neighbours = server.access.neighbours(session)
    try:
        await feed.write(paced(server, session, lambda: feed.log.submission(item, neighbours)))
    except TooFast:
        return _slow_down(request, text, score)
    except ShareError as error:
        return _answer(request, 429 if isinstance(error, QueueFull) else 503,
                       {"message": error.message}, text, score)
    return _answer(request, 200, {"ok": True, "next": new_item_id()})


async def vote(request: web.Request) -> web.StreamResponse:
    server = _server(request)
    voter = session_of(request, AccessKind.CONTRIBUTE)
    if not server.guard.same_origin(request, required=True):
        raise web.HTTPForbidden(text="403 Forbidden")
    form = await _form(request)
    if form is None:
        return _unreadable(request)
    feed = server.feed
    assert feed is not None
    current: VoteRound | None = feed.log.open_vote
    if current is None or form.get("vote", "") != current.id:
        return _answer(request, 409, {"message": _("This vote is closed.")})
    option = form.get("option", "")
    if not current.offers(option):  # an id the vote does not offer: refused, never kept
        return _answer(request, 400, {"message": _("That is not one of the options: reload "
                                                   "the page and try again.")})
    undo = form.get("undo") == "1"
    try:
        wrote = await feed.write(paced(server, voter, lambda: feed.log.balloting(
            voter.public, option, undo=undo)))
    except TooFast:
        return _slow_down(request)
    except ShareError as error:
        return _answer(request, 503, {"message": error.message})
    if wrote:
        feed.rebuild()  # the counts on the wall move now
    return _answer(request, 200, {"mine": _mine(server, voter.public)})


def _mine(server: ShareServer, voter: str) -> dict[str, Any] | None:
    from kring.sessions.share.page import voter_state

    assert server.feed is not None
    return voter_state(server.feed.log, voter)


# -- the event stream ------------------------------------------------------------------------


async def events(request: web.Request) -> web.StreamResponse:
    """The page's data as it changes, and the timer every second, until the session ends."""
    server = _server(request)
    try:
        kind = AccessKind(request.match_info["kind"])
    except ValueError:
        raise web.HTTPNotFound(text="404 Not Found") from None
    if kind is AccessKind.SCRIBE:
        raise web.HTTPNotFound(text="404 Not Found")
    session = session_of(request, kind)
    secret = request.cookies.get(cookie(kind))
    if not server.guard.same_origin(request, required=False):
        raise web.HTTPForbidden(text="403 Forbidden")
    if not server.access.connect(kind, session):
        raise too_many("429 Too Many Requests")
    server.changed()
    feed = server.feed
    assert feed is not None
    voter = session.public if kind is AccessKind.CONTRIBUTE else ""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    try:
        await response.prepare(request)
        # The timer as of now, not as of the last tick: a phone that connects shows the
        # right second from its first frame.
        first_tick = sse("tick", timer_state(room_view(feed.live, server.clock.now())))
        await response.write(feed.message + first_tick)
        version, seq, mine = feed.version, feed.seq, None
        while not server.closing and server.access.session_kind(secret) is kind:
            if feed.version != version:
                version = feed.version
                # The state's timer is as of its change: the tick brings it up to now.
                await response.write(feed.message + feed.tick_message)
            elif feed.seq != seq:
                await response.write(feed.tick_message)
            if voter and (now := _mine(server, voter)) != mine:
                mine = now
                await response.write(sse("mine", mine))
            seq = feed.seq
            await feed.wait(seq, KEEPALIVE)
            if feed.seq == seq:
                await response.write(b": still here\n\n")
    except ConnectionError:
        pass  # the phone went away; its connection is counted off below
    finally:
        server.access.disconnect(kind, session)
        server.changed()
    return response
