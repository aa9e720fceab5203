"""``kring doctor``: check the data folder and, with ``--repair``, fix what is safe.

Exit status: 0 when all is in order (nothing to repair, nothing that needs a person, no repair
that failed: information may remain), 1 otherwise. After ``--repair`` the rule holds for what
is left, so a repair that fixed everything exits 0.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.context import Context


def doctor_command(context: Context, repair: bool) -> int:
    from kring.sessions.care import doctor

    report = doctor.repair(context.data) if repair else doctor.check(context.data)
    print_ = context.out.print
    print_(_("Data folder: {folder}").format(folder=context.data), markup=False, highlight=False)
    if not report.findings:
        print_(_("Everything is in order."), highlight=False)
    for finding in report.findings:
        # "!" marks what only a person can set right: what makes doctor exit 1 after a repair.
        print_(f"{'!' if finding.needs_person else '•'} {finding.detail}", markup=False,
               highlight=False)
    for done in report.repaired:
        print_(f"✓ {done}", markup=False, highlight=False)
    for failed in report.failed:
        print_(f"✗ {failed}", markup=False, highlight=False)
    if not report.healthy and not repair:
        print_(_("Nothing was changed. 'kring doctor --repair' fixes what can be fixed safely."),
               highlight=False)
    if report.needs_person:
        print_(_("What is marked ! needs a person: Kring cannot set it right by itself."),
               markup=False, highlight=False)
    return report.exit_status


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    doctor = commands.add_parser(
        "doctor", help=_("check the data folder"),
        description=_("Check the data folder for unreadable files, stale locks and orphaned "
                      "drafts. Changes nothing unless --repair is given."),
        epilog=epilog([
            ("kring doctor", _("only look, change nothing")),
            ("kring doctor --repair", _("fix what is safe to fix")),
        ]))
    doctor.add_argument("--repair", action="store_true",
                        help=_("fix what can be fixed safely (nothing is deleted that holds "
                               "notes: unreadable files are moved aside)"))


def run(context: Context, args: argparse.Namespace) -> int:
    return doctor_command(context, repair=args.repair)
