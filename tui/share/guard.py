"""What every request passes before a handler sees it: the Host it names must be one this
server answers to (a page on another site cannot rebind its name to us), a request that
changes something or opens a stream must come from one of our own pages (Origin), and every
answer carries headers that keep it to itself (no referrer, no framing, no caching, a
content policy allowing this server alone)."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# A page may set its own content policy (the scribe's terminal writes style elements).
PAGE_POLICY: web.RequestKey[str] = web.RequestKey("kring-policy", str)

POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def host_with_port(address: str, port: int) -> str:
    """``address:port`` as a Host header and a URL write it (IPv6 in brackets)."""
    try:
        if ipaddress.ip_address(address).version == 6:
            return f"[{address}]:{port}"
    except ValueError:
        pass
    return f"{address}:{port}"


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return address == "localhost"


class Guard:
    def __init__(self) -> None:
        self.hosts: set[str] = set()  # Host header values answered, lower case

    def allow(self, address: str, port: int) -> None:
        self.hosts = {host_with_port(address, port).lower()}
        if is_loopback(address):
            self.hosts |= {f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"}

    @property
    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    def same_origin(self, request: web.Request, *, required: bool) -> bool:
        """Whether ``request`` comes from one of our own pages. Browsers send Origin with
        every form post and WebSocket; an event stream of the same origin may come without
        one, and then Sec-Fetch-Site, where sent, must not say another site."""
        origin = request.headers.get("Origin")
        if origin is not None:
            return origin.lower() in self.origins
        if required:
            return False
        site = request.headers.get("Sec-Fetch-Site")
        return site in {None, "same-origin", "none"}

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.host.lower() not in self.hosts:
            raise web.HTTPForbidden(text="403 Forbidden")
        return await handler(request)


async def add_headers(request: web.Request, response: web.StreamResponse) -> None:
    """On every response, errors included."""
    headers = response.headers
    policy = request.get(PAGE_POLICY, POLICY)
    headers["Content-Security-Policy"] = policy
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Cache-Control"] = "no-store"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
