"""The scribe: Kring's own meeting screen in a note-taker's browser, through textual-serve.

textual-serve runs an app per WebSocket connection and relays its terminal. Its own server
has no authentication, no Host or Origin check, lists its static folder and loads a font
from a public CDN; so only its ``AppService`` (the process and its relay) is used here,
behind the share server's checks, with the page served by ``pages.scribe_page``. The app it
runs is ``kring.tui.share.scribe_app``: the meeting screen on the same meeting and data
folder, in a process of its own (the store serves two processes), that cannot share again.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from kring.sessions.i18n import active_language
from kring.sessions.share.access import AccessKind

if TYPE_CHECKING:
    from kring.tui.share.server import ShareServer

MAX_MESSAGE = 64 * 1024  # a keystroke or a resize; a paste of a long line fits


def scribe_command(data: Path, meeting_id: str, language: str | None = None) -> str:
    """The shell command textual-serve starts for each scribe connection."""
    parts = [sys.executable, "-m", "kring.tui.share.scribe_app", "--data", str(data),
             "--lang", language or active_language(), meeting_id]
    return " ".join(shlex.quote(part) for part in parts)


def _size(text: str | None, default: int) -> int:
    try:
        return max(10, min(500, int(text or default)))
    except ValueError:
        return default


class Scribe:
    def __init__(self, command: str | None) -> None:
        self.command = command  # None: no scribe on this server
        self._sockets: set[web.WebSocketResponse] = set()
        self._downloads = DownloadManager()

    def policy(self, host: str) -> str:
        """The scribe page's content policy: xterm.js writes its own style elements."""
        return ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                f"font-src 'self'; img-src 'self' data:; connect-src 'self' ws://{host}; "
                "base-uri 'none'; frame-ancestors 'none'; form-action 'none'")

    async def serve(self, request: web.Request, server: ShareServer) -> web.StreamResponse:
        if self.command is None:
            raise web.HTTPNotFound(text="404 Not Found")
        if not server.access.connect(AccessKind.SCRIBE):
            raise web.HTTPTooManyRequests(text="429 Too Many Requests")
        server.changed()
        socket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        service: AppService | None = None
        self._sockets.add(socket)

        async def close() -> None:  # AppService awaits None; aiohttp's close says if it did
            await socket.close()

        try:
            await socket.prepare(request)
            service = AppService(self.command, write_bytes=socket.send_bytes,
                                 write_str=socket.send_str, close=close,
                                 download_manager=self._downloads)
            await service.start(_size(request.query.get("width"), 80),
                                _size(request.query.get("height"), 24))
            await self._relay(socket, service)
        except ConnectionError:
            pass
        finally:
            self._sockets.discard(socket)
            if service is not None:
                await _end(service)
            server.access.disconnect(AccessKind.SCRIBE)
            server.changed()
        return socket

    async def _relay(self, socket: web.WebSocketResponse, service: AppService) -> None:
        """The browser's keys, resizes and focus to the app, as textual-serve's client sends
        them; anything else is ignored."""
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = message.json()
                kind, data = envelope[0], envelope[1]
                if kind == "stdin":
                    await service.send_bytes(str(data).encode("utf-8"))
                elif kind == "resize":
                    await service.set_terminal_size(_size(str(data["width"]), 80),
                                                    _size(str(data["height"]), 24))
                elif kind == "ping":
                    await socket.send_json(["pong", str(data)[:64]])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()
            except (ValueError, TypeError, KeyError, IndexError):
                continue  # not what textual-serve's client sends: ignored

    async def close_all(self) -> None:
        """End every scribe connection now (revoked, or sharing stopped); each one's app is
        told to quit as its connection ends, and waited for."""
        for socket in list(self._sockets):
            with contextlib.suppress(Exception):
                await socket.close()
        for _wait in range(50):  # the handlers end their apps; at most five seconds
            if not self._sockets:
                break
            await asyncio.sleep(0.1)


async def _end(service: AppService) -> None:
    """Ask the app to quit and wait until its process is gone (killed if it will not go),
    so no Kring process outlives its connection."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(service.stop(), 5)
    process = getattr(service, "_process", None)  # textual-serve keeps it to itself
    if process is None:
        return
    try:
        await asyncio.wait_for(process.wait(), 5)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
