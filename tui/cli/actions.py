"""``kring actions``: action points across meetings, overdue ones standing out."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.context import (
    Context,
    community_named,
    no_such_community,
    today,
    warn_unreadable,
)
from kring.tui.cli.table import Column, Table


def actions_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.care.followup import actions
    from kring.sessions.documents.actions import action_rows, actions_markdown
    from kring.sessions.store.facade import Store

    day = today()
    language = context.language or "en"
    store = Store(context.data)
    if args.community is not None and community_named(store, args.community) is None:
        return no_such_community(store, args.community)
    items = actions(store, today=day, community=args.community,
                    owner=args.owner, status=args.status)
    warn_unreadable(context, store)
    if args.format == "md":
        sys.stdout.write(actions_markdown(items, day, language, real_names=args.real_names))
        return 0
    if not items:
        context.out.print(_("No action points found."))
        return 0
    # A plain table: cells are never markup, and a thousand rows print at once.
    table = Table(_("Action points"), [Column(_("due")), Column(_("owner"), wrap=True),
                                       Column(_("action"), wrap=True), Column(_("status")),
                                       Column(_("from"), wrap=True)])
    for row in action_rows(items, day, language, real_names=args.real_names):
        due = row.due + (" " + _("overdue") if row.overdue else "")
        table.add_row(due, row.owner, row.text, row.status,
                      f"{row.meeting_date} {row.community}", alert=row.overdue)
    table.print(context.out)
    return 0


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    actions = commands.add_parser(
        "actions", help=_("list action points across meetings"),
        description=_("Action points across meetings; overdue ones stand out."),
        epilog=epilog([
            ("kring actions --owner Bram", _("Bram's open action points")),
            ('kring actions --community "CoP Inclusion" --status all',
             _("every action point of one community, done ones too")),
            ("kring actions --format md > actions.md", _("as a Markdown checklist")),
        ]))
    actions.add_argument("--community", metavar="C",
                         help=_("only from meetings of this community"))
    actions.add_argument("--owner", metavar="NAME",
                         help=_("only the action points of this person"))
    actions.add_argument("--status", choices=["open", "done", "all"], default="open",
                         help=_("which action points (default: open)"))
    actions.add_argument("--format", choices=["table", "md"], default="table",
                         help=_("a table on screen, or Markdown to print (default: table)"))
    actions.add_argument("--real-names", action="store_true",
                         help=_("show protected names as typed (for the facilitator only)"))


def run(context: Context, args: argparse.Namespace) -> int:
    return actions_command(context, args)
