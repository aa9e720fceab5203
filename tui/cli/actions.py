"""``kring actions``: action points across meetings, overdue ones standing out."""

from __future__ import annotations

import argparse
import sys

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
