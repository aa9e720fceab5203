"""``kring calendar``: action points as an iCalendar file, to import into a calendar or task
list. Importing it again updates the same tasks (their UIDs stay the same).

Each community's next planned meeting comes along as an event. ``--community`` keeps only that
community's; ``--owner`` keeps those of the communities the person is on the roster of: their
own calendar, with their tasks and the meetings they are expected at, and not the meetings of
groups they have nothing to do with."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kring.sessions.i18n import _, ngettext
from kring.tui.cli.context import (
    Context,
    community_named,
    no_such_community,
    warn_unreadable,
    write_out,
)


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    calendar = commands.add_parser(
        "calendar", help=_("action points as an iCalendar file for your calendar"),
        description=_("Write the action points as tasks (VTODO) with their due dates, to "
                      "import into a calendar or task list. Importing the file again updates "
                      "the same tasks; done ones are marked completed. Protected names show "
                      "as pseudonyms."),
        epilog=epilog([
            ("kring calendar --out actions.ics", _("every action point, for your calendar")),
            ("kring calendar --owner Bram --out bram.ics", _("Bram's action points")),
            ('kring calendar --community "CoP Inclusion" --out -',
             _("one community's action points, printed")),
        ]))
    calendar.add_argument("--community", metavar="C",
                          help=_("only from meetings of this community"))
    calendar.add_argument("--owner", metavar="NAME",
                          help=_("only the action points of this person"))
    calendar.add_argument("--out", metavar="FILE", required=True,
                          help=_("the .ics file to write, or - to print"))


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.care.followup import StatusFilter, actions
    from kring.sessions.documents.calendar import actions_calendar, upcoming
    from kring.sessions.model.name_variants import fold
    from kring.sessions.model.privacy import same_name
    from kring.sessions.store.facade import Store

    now = datetime.now(UTC)
    store = Store(context.data)
    if args.community is not None and community_named(store, args.community) is None:
        return no_such_community(store, args.community)
    # Done and dropped ones too: a calendar that has them open learns they are no longer.
    items = actions(store, today=now.date(), community=args.community, owner=args.owner,
                    status=StatusFilter.ALL)
    communities = [c for c in store.communities()
                   if (args.community is None or fold(c.name) == fold(args.community))
                   and (args.owner is None
                        or any(same_name(args.owner, member) for member in c.members))]
    warn_unreadable(context, store)
    data = actions_calendar(items, now, context.language or "en", communities)
    if args.out == "-":
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            sys.stdout.write(data.decode("utf-8"))
        return 0
    target = Path(args.out).expanduser()
    if not write_out(target, data, _("the calendar")):
        return 1
    written = ngettext("{count} action point written to {path}",
                       "{count} action points written to {path}", len(items))
    context.out.print(written.format(count=len(items), path=target), markup=False,
                      highlight=False)
    planned = len(upcoming(communities, now))
    if planned:
        included = ngettext("{count} planned meeting included.",
                            "{count} planned meetings included.", planned)
        context.out.print(included.format(count=planned), markup=False, highlight=False)
    return 0
