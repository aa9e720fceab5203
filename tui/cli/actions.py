"""``kring actions``: action points across meetings, overdue ones standing out."""

from __future__ import annotations

import argparse
import sys

from rich.table import Table

from kring.sessions.i18n import _
from kring.tui.cli.context import Context, today, warn_unreadable


def actions_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.care.followup import actions
    from kring.sessions.documents.actions import action_rows, actions_markdown
    from kring.sessions.store.facade import Store

    day = today()
    language = context.language or "en"
    store = Store(context.data)
    items = actions(store, today=day, community=args.community,
                    owner=args.owner, status=args.status)
    warn_unreadable(context, store)
    if args.format == "md":
        sys.stdout.write(actions_markdown(items, day, language, real_names=args.real_names))
        return 0
    if not items:
        context.out.print(_("No action points found."), highlight=False)
        return 0
    table = Table(title=_("Action points"), title_justify="left")
    for header in (_("due"), _("owner"), _("action"), _("status"), _("from")):
        table.add_column(header, no_wrap=header == _("due"))
    for row in action_rows(items, day, language, real_names=args.real_names):
        style = "bold red" if row.overdue else None
        due = row.due + (" " + _("overdue") if row.overdue else "")
        table.add_row(due, row.owner, row.text, row.status,
                      f"{row.meeting_date} {row.community}", style=style)
    context.out.print(table)
    return 0

