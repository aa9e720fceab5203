"""``kring check``: what the privacy guard finds in a meeting, for a person or a script.

Every likely name, place, institution, date of birth, phone number, e-mail address or BSN in
the meeting that is neither a participant's name, nor protected, nor dismissed by the
community. The guard loads in seconds; the first time on a laptop it builds its lists first,
which takes minutes: said on stderr, so the report on stdout stays clean. Exit status 0 when
there is nothing to look at, 3 when there are findings (a script's "look first"), 1 when the
meeting cannot be read or the guard cannot run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, today
from kring.tui.cli.guarding import FINDINGS, dismissed_of, engine
from kring.tui.cli.table import Column, Table


def check_command(context: Context, ref: str, as_json: bool) -> int:
    from kring.sessions.documents.export import resolve_meeting
    from kring.sessions.guard.kinds import KINDS
    from kring.sessions.guard.meeting import meeting_findings
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    try:
        meeting_id = resolve_meeting(store, ref)
        record = store.load(meeting_id)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    try:
        spotter = engine(context, store.layout.state)
    except (OSError, ImportError, MemoryError) as error:
        context.err.print(_("The privacy guard cannot run here: {why}").format(why=error),
                          markup=False, highlight=False)
        return 1
    dismissed = dismissed_of(store, record.meeting.community)
    found = meeting_findings(record, spotter.spot, today=today(), dismissed=dismissed)
    if as_json:
        sys.stdout.write(json.dumps([
            {"where": finding.where, "start": finding.span.start, "end": finding.span.end,
             "text": finding.span.text, "kind": finding.kind.value,
             "suggestion": KINDS[finding.kind].advice} for finding in found],
            ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return FINDINGS if found else 0
    if not found:
        context.out.print(_("Nothing found: no unprotected name or number in this meeting."),
                          markup=False, highlight=False)
        return 0
    table = Table(_("Findings"), [Column(_("where")), Column(_("found"), wrap=True),
                                  Column(_("kind")), Column(_("what to do"), wrap=True)])
    for finding in found:
        row = KINDS[finding.kind]
        table.add_row(finding.where, finding.span.text, _(row.label), _(row.advice))
    table.print(context.out)
    return FINDINGS


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    check = commands.add_parser(
        "check", help=_("list the names and numbers nobody protected in a meeting"),
        description=_("What the privacy guard finds in a meeting: likely names of people, "
                      "places and institutions, dates of birth, phone numbers, e-mail "
                      "addresses and BSN numbers that are neither a participant's name nor "
                      "protected. Exit status 3 when there are findings."),
        epilog=epilog([
            ("kring check latest", _("the findings of the newest meeting")),
            ("kring check 3fa2 --json", _("the same as JSON, for a script")),
        ]))
    check.add_argument("meeting", metavar="MEETING",
                       help=_("a meeting id, the start of one, or 'latest'"))
    check.add_argument("--json", action="store_true",
                       help=_("one JSON list: where, start, end, text, kind, suggestion"))


def run(context: Context, args: argparse.Namespace) -> int:
    return check_command(context, args.meeting, args.json)
