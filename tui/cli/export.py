"""``kring export``: the minutes of any meeting, ended or in progress, as Markdown, HTML or
A4 PDF (whole, or a one-page handout).

The privacy guard looks first (unless it is turned off): what it finds that nobody protected
is listed on stderr, and the minutes' front matter says what it made of them
(``privacy_guard``). They are written all the same: they are the meeting's own record."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, note_saved, say_error, write_out
from kring.tui.cli.guarding import verdict_on_minutes

if TYPE_CHECKING:
    from kring.sessions.store.facade import Store


def export_command(context: Context, ref: str, format: str, out: str | None, *,
                   handout: bool = False) -> int:
    from kring.sessions.documents.export import render_record, resolve_meeting
    from kring.sessions.documents.filenames import default_minutes_dir
    from kring.sessions.documents.writing import write_minutes
    from kring.sessions.store.facade import Store

    pdf = format == "pdf"
    if out == "-" and pdf and sys.stdout.isatty():
        # A PDF's bytes on a terminal are escape codes: it would be the terminal's to obey.
        say_error(_("A PDF is not for a terminal: give --out FILE, or --out - into a pipe."))
        return 2
    store = Store(context.data)
    try:
        record = store.load(resolve_meeting(store, ref))
        guard = verdict_on_minutes(context, store, record)
        planned = _next_meeting(store, record.meeting.community) if handout else None
        if out is None:
            folder = context.minutes or default_minutes_dir(context.data)
            # The writer the app uses, fed the meeting as the logs add up to now; as of the
            # last moment it recorded (no clock is read), so the same logs give the same file.
            paths = write_minutes(record, folder, now=None, guard=guard,
                                  html=format == "html" or context.minutes_html,
                                  pdf=pdf and not handout, handout=pdf and handout,
                                  next_meeting=planned)
            for path in paths:
                note_saved(str(path))
            # Every file is named: --format html and pdf rewrite the Markdown too, so that the
            # folder's copies of the minutes never disagree.
            for path in paths:
                context.out.print(_said(path.name).format(path=path), markup=False,
                                  highlight=False)
            return 0
        if pdf:
            from kring.sessions.documents.minutes import render_markdown
            from kring.sessions.documents.pdf.render import render_pdf

            written: str | bytes = render_pdf(
                record, render_markdown(record.meeting, record.entries, guard=guard),
                handout=handout, next_meeting=planned)
        else:
            written = render_record(record, format, guard=guard).text
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    if out == "-":
        if isinstance(written, bytes):
            sys.stdout.buffer.write(written)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(written)
            sys.stdout.flush()
        return 0
    target = Path(out).expanduser()
    if not write_out(target, written, _("the minutes")):
        return 1
    context.out.print(_said(target.name).format(path=target), markup=False, highlight=False)
    return 0


def _said(name: str) -> str:
    if name.endswith(".handout.pdf"):
        return _("Handout written to {path}")
    if name.endswith(".pdf"):
        return _("PDF written to {path}")
    if name.endswith(".html"):
        return _("HTML page written to {path}")
    return _("Minutes written to {path}")


def _next_meeting(store: Store, community: str) -> datetime | None:
    """When the community meets next, if planned; none when its record cannot be read."""
    from kring.sessions.store.rosters import find_community

    try:
        found = find_community(store, community)
    except StoreError:
        return None
    return found.next_meeting if found is not None else None


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
            ("kring export latest --format pdf", _("the whole minutes as an A4 PDF as well")),
            ("kring export latest --format pdf --handout",
             _("one A4 page to hand out, beside the minutes")),
        ]))
    export.add_argument("meeting", metavar="MEETING",
                        help=_("a meeting id, the start of one, or 'latest'"))
    export.add_argument("--format", choices=["md", "html", "pdf"], default="md",
                        help=_("md: Markdown; html: a standalone HTML page as well, beside "
                               "the Markdown, which is written again with it (with --out: "
                               "the page only); pdf: the same with an A4 PDF (default: md)"))
    export.add_argument("--handout", action="store_true",
                        help=_("with --format pdf: one A4 page to hand out instead of the "
                               "whole minutes (the case, focus question, decisions, action "
                               "points with a box to tick, learnings, next meeting)"))
    export.add_argument("--out", metavar="PATH",
                        help=_("file to write, or - to print (default: the meeting's file "
                               "in the minutes folder, rewritten each time)"))


def run(context: Context, args: argparse.Namespace) -> int:
    if args.handout and args.format != "pdf":
        say_error(_("--handout goes with --format pdf: the handout is a PDF."))
        return 2
    return export_command(context, args.meeting, args.format, args.out, handout=args.handout)
