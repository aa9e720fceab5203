"""``kring project``: a second window that shows a live meeting to the room.

The window is ``kring.tui.projector``'s; it is imported only when this command runs, so the
other commands never load it (nor Textual)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.context import Context


def project_command(context: Context, ref: str) -> int:
    from kring.tui.projector import run_projector

    return run_projector(context.data, ref, context.language)


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    project = commands.add_parser(
        "project", help=_("show a live meeting to the room in a second window"),
        description=_("Follow a meeting from the data folder in a window for the projector: "
                      "the phase, the clock and whose turn it is, with protected names as "
                      "pseudonyms and no private notes. It only reads."),
        epilog=epilog([
            ("kring project", _("the meeting in progress (the newest one)")),
            ("kring project 3fa2", _("the meeting whose id starts with 3fa2")),
        ]))
    project.add_argument("meeting", metavar="MEETING", nargs="?", default="latest",
                         help=_("a meeting id, the start of one, or 'latest' (default: the "
                                "newest meeting in progress)"))


def run(context: Context, args: argparse.Namespace) -> int:
    return project_command(context, args.meeting)
