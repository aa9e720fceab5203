"""``kring purge``: remove old meetings with everything made from them, after a confirmation."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from kring.sessions.i18n import _
from kring.sessions.model.dates import long_date
from kring.tui.cli.context import Context, community_named, no_such_community, note_saved
from kring.tui.cli.parser import iso_date


def purge_command(context: Context, before: date, community: str | None, yes: bool) -> int:
    from kring.sessions.care.purge import execute, plan_purge
    from kring.sessions.documents.filenames import default_minutes_dir
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    if community is not None and community_named(store, community) is None:
        return no_such_community(store, community)  # a typo must not say "nothing to remove"
    plan = plan_purge(context.data, before=before, community=community,
                      minutes_dir=context.minutes or default_minutes_dir(context.data))
    say = context.out.print
    if plan.empty:
        say(_("Nothing to remove: no meetings before {date}.").format(
            date=long_date(before, context.language or "en")),
            highlight=False)
        return 0
    # Ids, dates and communities only: case titles may name a pupil.
    for meeting in plan.meetings:
        warning = "  " + _("(still in progress)") if meeting.in_progress else ""
        say(f"  {meeting.meeting_id}  {meeting.date.isoformat()}  {meeting.community}{warning}",
            markup=False, highlight=False)
    say(_("{meetings} meetings, {files} files in all (drafts, backups, set-aside copies and "
          "exported minutes included).").format(meetings=len(plan.meetings),
                                                 files=len(plan.files)), highlight=False)
    for path in plan.unsure:
        say(_("Kept, as it may belong to another meeting: {path}").format(path=path.name),
            markup=False, highlight=False)
    if not yes:
        if not sys.stdin.isatty():
            context.err.print(_("Not removed: confirm with --yes when not at a terminal."),
                              highlight=False)
            return 1
        answer = input(_("Remove them for good? Type 'yes' to confirm: "))
        if answer.strip().casefold() not in {"yes", _("yes").casefold()}:
            say(_("Nothing was removed."), highlight=False)
            return 1
    report = execute(plan, store)
    if report.meetings:  # done: a report that cannot be printed after this says so (exit 74)
        note_saved(_("the purge of {meetings} meetings").format(meetings=len(report.meetings)))
    say(_("Removed {files} files of {meetings} meetings.").format(
        files=len(report.removed), meetings=len(report.meetings)), highlight=False)
    for meeting_id, why in report.kept:
        say(_("Kept {id}: {why}").format(id=meeting_id, why=why), markup=False,
            highlight=False)
    for path, why in report.failed:
        say(_("Could not remove {path}: {why}").format(path=path, why=why), markup=False,
            highlight=False)
    return 0 if report.complete else 1


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    purge = commands.add_parser(
        "purge", help=_("remove old meetings and everything made from them"),
        description=_("Removes meetings dated before DATE, with their drafts, backups, "
                      "set-aside copies and exported minutes, after you confirm."),
        epilog=epilog([
            ("kring purge --before 2025-08-01", _("lists what would go, then asks")),
            ('kring purge --before 2025-08-01 --community "CoP Inclusion"',
             _("only that community's meetings")),
        ]))
    purge.add_argument("--before", metavar="DATE", required=True, type=iso_date,
                       help=_("e.g. 2026-01-01"))
    purge.add_argument("--community", metavar="C", help=_("only meetings of this community"))
    purge.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def run(context: Context, args: argparse.Namespace) -> int:
    return purge_command(context, args.before, args.community, args.yes)
