"""Which address the room can reach this computer at."""

from __future__ import annotations

import contextlib
import socket


def lan_address() -> str | None:
    """This computer's address on the network its traffic leaves by (the room's Wi-Fi or a
    hotspot), or None without one. A UDP "connection" sends nothing: it only asks the
    operating system which address it would use."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere
        address = str(probe.getsockname()[0])
        if not address.startswith(("127.", "0.")):
            return address
    return None
