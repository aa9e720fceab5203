"""``kring list``: the meetings in the data folder, those in progress first, then the newest,
and the purges a community's retention period suggests.

Only the most recent ones by default (``--limit N`` chooses how many, ``--all`` lists every
one): a folder of years of meetings would otherwise scroll its newest out of sight, and print
for as long as it is long. A line on stderr says how many were left out and how to see them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, today, warn_unreadable
from kring.tui.cli.parser import positive_count
from kring.tui.cli.table import Column, Table

if TYPE_CHECKING:
    from kring.sessions.store.facade import Store

DEFAULT_LIMIT = 20


def list_meetings(context: Context, *, real_names: bool = False,
                  limit: int | None = DEFAULT_LIMIT) -> int:
    """The table of meetings; ``limit`` None lists them all. Case titles show protected names
    as pseudonyms, as the app's home screen does: a terminal may be on the wall.
    ``real_names`` shows them as typed."""
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    # One page from the store's index: the 20 most recent of 5,000 cost what 20 of 100 do.
    shown, total = store.meetings_page(limit)
    # Bringing the index up to date reported every meeting that does not read.
    warn_unreadable(context, store)
    if not shown:
        context.out.print(_("No meetings yet in {folder}. Start one with 'kring'.")
                          .format(folder=context.data), markup=False, highlight=False)
        return 0
    _suggest_purges(context, store)
    table = Table(_("Meetings"), [Column(_("id")), Column(_("date")),
                                  Column(_("community"), wrap=True), Column(_("case"), wrap=True),
                                  Column(_("protocol")), Column(_("status"))])
    for summary in shown:
        table.add_row(summary.id, summary.date.isoformat(), summary.community,
                      summary.case if real_names else summary.public_case, summary.protocol,
                      _("in progress") if summary.in_progress else _("ended"))
    table.print(context.out)
    if total > len(shown):
        context.err.print(_("{shown} of {total} meetings shown, the most recent; 'kring list "
                            "--all' lists every one, 'kring list --limit N' the N most "
                            "recent.").format(shown=len(shown), total=total),
                          markup=False, highlight=False)
    return 0


def _suggest_purges(context: Context, store: Store) -> None:
    from kring.sessions.care.purge import suggest_purge

    try:
        if all(community.retention_days is None for community in store.communities()):
            return  # nothing to suggest, and no second pass over every meeting to find it
        suggestions = suggest_purge(store, today())
    except StoreError as error:  # the communities cannot be read: the list still shows
        context.err.print(f"⚠ {error.message}", markup=False, highlight=False)
        return
    for community, cutoff in suggestions:
        context.err.print(_("{community} keeps meetings for a limited time; older ones can go: "
                            "kring purge --before {date} --community \"{community}\"").format(
            community=community, date=cutoff.isoformat()), markup=False, highlight=False,
            soft_wrap=True)  # the command must stay copyable in one piece


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    listing = commands.add_parser(
        "list", help=_("list the meetings, in progress first"),
        description=_("List the meetings in the data folder. Protected names in case titles "
                      "show as pseudonyms: the list may be on the wall."),
        epilog=epilog([
            ("kring list", _("the 20 most recent meetings in the data folder")),
            ("kring list --all", _("every meeting")),
            ("kring --data DIR list", _("the meetings in another folder")),
            ("kring list --real-names", _("case titles as typed (for the facilitator only)")),
        ]))
    listing.add_argument("--real-names", action="store_true",
                         help=_("show protected names as typed (for the facilitator only)"))
    how_many = listing.add_mutually_exclusive_group()
    how_many.add_argument("--all", action="store_true", help=_("list every meeting"))
    how_many.add_argument("--limit", metavar="N", type=positive_count, default=20,
                          help=_("list the N most recent meetings (default: 20)"))


def run(context: Context, args: argparse.Namespace) -> int:
    return list_meetings(context, real_names=args.real_names,
                         limit=None if args.all else args.limit)
