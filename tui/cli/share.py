"""``kring share``: the live meeting on the room's own devices, without the app, until
interrupted. The app's share key (in the meeting screen) runs the same server."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
from collections.abc import Callable
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, say_error


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    share = commands.add_parser(
        "share", help=_("share a live meeting with the room's phones and laptops"),
        description=_("Serve a live meeting to the devices in the room: a view of the phase "
                      "and the time, a page to send questions, reflections and advice, and "
                      "the meeting screen for a note-taker. Each has its own secret URL. "
                      "Only this computer can connect unless --lan or --host is given. "
                      "Runs until interrupted (ctrl+c)."),
        epilog=epilog([
            ("kring share latest", _("share the meeting in progress on this computer only")),
            ("kring share latest --lan", _("share it on the room's network")),
            ("kring share 3fa2 --host 192.168.1.20 --port 8123",
             _("on that address and port")),
            ("kring share latest --json", _("the URLs as JSON on the first line")),
            ("kring share latest --names anonymous",
             _("contributions without names, whatever a phone sends")),
        ]))
    share.add_argument("meeting", metavar="MEETING",
                       help=_("a meeting id, the start of one, or 'latest' (in progress)"))
    where = share.add_mutually_exclusive_group()
    where.add_argument("--host", metavar="ADDR", type=host_address,
                       help=_("the address to listen on, one of this computer's "
                              "(default: 127.0.0.1, this computer only)"))
    where.add_argument("--lan", action="store_true",
                       help=_("listen on this computer's address in the local network"))
    share.add_argument("--port", metavar="N", type=port_number, default=0,
                       help=_("the port (default: a free one, chosen at random)"))
    share.add_argument("--names", choices=["any", "named", "anonymous"], default="any",
                       help=_("whether contributions carry a name from the roster: as each "
                              "participant chooses (any, the default), always (named; each "
                              "picks their own, nobody checks) or never (anonymous)"))
    share.add_argument("--json", action="store_true",
                       help=_("print the URLs as one JSON object on the first line"))


def host_address(text: str) -> str:
    """An address to listen on; every address at once (0.0.0.0, ::) is refused: it would
    print URLs no phone can open, and listen on networks nobody meant to share with."""
    import ipaddress

    try:
        unspecified = ipaddress.ip_address(text.strip().strip("[]")).is_unspecified
    except ValueError:
        unspecified = text.strip() in {"", "*"}
    if unspecified:
        raise argparse.ArgumentTypeError(
            _("'{text}' would listen on every network this computer is on: use --lan for the "
              "room's network, or give one of this computer's addresses").format(text=text))
    return text


def port_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a port: give a number from 1 to 65535").format(text=text))
    return number


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.share.journal import ShareError
    from kring.tui.projector import resolve_live_meeting
    from kring.tui.share.network import lan_address

    try:
        meeting_id = resolve_live_meeting(context.data, args.meeting)
    except StoreError as error:
        say_error(error.message)
        return 1
    address = args.host or "127.0.0.1"
    if args.lan:
        found = lan_address()
        if found is None:
            say_error(_("This computer has no address in a local network: connect it to the "
                        "room's Wi-Fi (or start a hotspot) and try again, or name one with "
                        "--host."))
            return 1
        address = found
    try:
        return asyncio.run(_serve(context, meeting_id, address, args.port, args.json,
                                  args.names))
    except ShareError as error:
        say_error(error.message)
        return 1


async def _serve(context: Context, meeting_id: str, address: str, port: int,
                 as_json: bool, names: str = "any") -> int:
    from kring.sessions.share.access import AccessKind
    from kring.sessions.share.naming import Naming
    from kring.tui.share.scribe import scribe_command
    from kring.tui.share.server import ShareServer

    server = ShareServer(context.data, meeting_id, address=address, port=port,
                         scribe_command=scribe_command(context.data, meeting_id,
                                                       context.language),
                         naming=Naming(names))
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(number, stop.set)
    urls = server.urls()
    if as_json:
        print(json.dumps(urls), flush=True)
    else:
        for kind in AccessKind:
            print(f"{_(kind.label)}: {urls[kind.value]}", flush=True)
        if server.resumed:
            print(_("Sharing again on the same URLs as before the interruption: the codes "
                    "shown and the phones' pages work again."), flush=True)
        print(_("Sharing until ctrl+c. Anyone with a URL can use it: show each only to "
                "whom it is for."), flush=True)
        if server.naming is Naming.NAMED:
            print(_("Names are chosen by each person on their phone, not checked."),
                  flush=True)
    try:
        while not stop.is_set():
            assert server.feed is not None
            if server.feed.ended:
                # The room sees that it ended before the server goes.
                await asyncio.sleep(2)
                say_error(_("The meeting has ended: sharing stopped."))
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.5)
    finally:
        await server.stop()
    return 0
