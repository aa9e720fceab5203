"""``kring export``: the minutes of any meeting, ended or in progress, as Markdown or HTML.

The privacy guard looks first (unless it is turned off): what it finds that nobody protected
is listed on stderr, and the minutes' front matter says what it made of them
(``privacy_guard``). They are written all the same: they are the meeting's own record."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, note_saved, write_out
from kring.tui.cli.guarding import verdict_on_minutes


def export_command(context: Context, ref: str, format: str, out: str | None) -> int:
    from kring.sessions.documents.export import render_record, resolve_meeting
    from kring.sessions.documents.filenames import default_minutes_dir
    from kring.sessions.documents.writing import write_minutes
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    try:
        record = store.load(resolve_meeting(store, ref))
        guard = verdict_on_minutes(context, store, record)
        if out is None:
            folder = context.minutes or default_minutes_dir(context.data)
            # The writer the app uses, fed the meeting as the logs add up to now; as of the
            # last moment it recorded (no clock is read), so the same logs give the same file.
            paths = write_minutes(record, folder, now=None, guard=guard,
                                  html=format == "html" or context.minutes_html)
            for path in paths:
                note_saved(str(path))
            # Both files are named: --format html rewrites the Markdown too, so that the
            # folder's two copies of the minutes never disagree.
            for path in paths:
                said = (_("HTML page written to {path}") if path.suffix == ".html"
                        else _("Minutes written to {path}"))
                context.out.print(said.format(path=path), markup=False, highlight=False)
            return 0
        rendered = render_record(record, format, guard=guard)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    if out == "-":
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
        return 0
    target = Path(out).expanduser()
    if not write_out(target, rendered.text, _("the minutes")):
        return 1
    context.out.print(_("Minutes written to {path}").format(path=target), markup=False,
                      highlight=False)
    return 0


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    export = commands.add_parser(
        "export", help=_("write or print the minutes of a meeting"),
        description=_("The minutes of any meeting, ended or in progress (the minutes so far). "
                      "The privacy guard looks first: what it finds that nobody protected is "
                      "listed, and the minutes say whether it looked (privacy_guard in their "
                      "front matter)."),
        epilog=epilog([
            ("kring export latest", _("into the minutes folder, as Markdown")),
            ("kring export latest --format html",
             _("the Markdown and, beside it, a standalone HTML page")),
            ("kring export 3fa2 --format html --out -", _("print a standalone HTML page")),
            ("kring export latest --out notes.md", _("write the Markdown to notes.md")),
        ]))
    export.add_argument("meeting", metavar="MEETING",
                        help=_("a meeting id, the start of one, or 'latest'"))
    export.add_argument("--format", choices=["md", "html"], default="md",
                        help=_("md: Markdown; html: a standalone HTML page as well, beside "
                               "the Markdown, which is written again with it (with --out: "
                               "the page only) (default: md)"))
    export.add_argument("--out", metavar="PATH",
                        help=_("file to write, or - to print (default: the meeting's file "
                               "in the minutes folder, rewritten each time)"))


def run(context: Context, args: argparse.Namespace) -> int:
    return export_command(context, args.meeting, args.format, args.out)
