"""Whether a full-screen app can run here: Kring's screens (the app, the projector) need a
terminal to draw in and read keys from."""

from __future__ import annotations

import os
import sys

from kring.sessions.i18n import _


def terminal_problem() -> str | None:
    """Why a full-screen app cannot run here, or None. Its input or output is a pipe or a
    file (``kring > out.txt``, ``kring | less``, a cron job): it would draw escape codes into
    it and wait for keys that never come, until killed. A browser's terminal (textual-serve
    sets Textual's driver) is a terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    for stream in (sys.stdin, sys.stdout):
        try:
            if stream is None or not stream.isatty():
                break
        except ValueError:  # closed
            break
    else:
        return None
    return _("Kring's screens need a terminal, and here its input or output is a pipe or a "
             "file. Run kring in a terminal window; `kring --help` lists the commands that "
             "print instead.")
