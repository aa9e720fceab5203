"""The commands that read the meetings on record, across meetings or one at a time: ``export``,
``actions``, ``journal``, ``purge``, ``list`` and ``doctor``. Their parser entries live here
so that ``parser`` stays one screenful per job; ``parser.build_parser`` adds them in the order
the main help lists them."""

from __future__ import annotations

import argparse
from collections.abc import Container
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.parser import epilog, iso_date, whole_number

# argparse keeps the class of its sub-parsers' container private.
Commands = Any


NAMES: tuple[str, ...] = ("export", "actions", "journal", "purge", "list", "doctor")
MOST_LISTED = 1_000_000  # --limit: far beyond any real archive, far within the index's integers


def add_record_commands(commands: Commands, wanted: Container[str] | None = None) -> None:
    """Each of NAMES, or only those ``wanted``, in the order the main help lists them."""
    adders = {"export": _add_export, "actions": _add_actions, "journal": _add_journal,
              "purge": _add_purge, "list": _add_list, "doctor": _add_doctor}
    for name in NAMES:
        if wanted is None or name in wanted:
            adders[name](commands)


def _add_export(commands: Commands) -> None:
    export = commands.add_parser(
        "export", help=_("write or print the minutes of a meeting"),
        description=_("The minutes of any meeting, ended or in progress (the minutes so far)."),
        epilog=epilog([
            ("kring export latest", _("into the minutes folder, as Markdown")),
            ("kring export 3fa2 --format html --out -", _("print a standalone HTML page")),
            ("kring export latest --out notes.md", _("write the Markdown to notes.md")),
        ]))
    export.add_argument("meeting", metavar="MEETING",
                        help=_("a meeting id, the start of one, or 'latest'"))
    export.add_argument("--format", choices=["md", "html"], default="md",
                        help=_("Markdown, or a standalone HTML page (default: md)"))
    export.add_argument("--out", metavar="PATH",
                        help=_("file to write, or - to print (default: the meeting's file "
                               "in the minutes folder, rewritten each time)"))


def _add_actions(commands: Commands) -> None:
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


def _add_journal(commands: Commands) -> None:
    journal = commands.add_parser(
        "journal", help=_("write a community's learning journal"),
        description=_("What a community's members learned, meeting by meeting, as Markdown."),
        epilog=epilog([
            ('kring journal "CoP Inclusion"', _("print the journal")),
            ('kring journal "CoP Inclusion" --person Bram', _("only what Bram learned")),
            ('kring journal "CoP Inclusion" --out journal.md', _("write it to journal.md")),
        ]))
    journal.add_argument("community", metavar="COMMUNITY", help=_("the community's name"))
    journal.add_argument("--person", metavar="NAME",
                         help=_("only the learnings of this member"))
    journal.add_argument("--out", metavar="FILE", help=_("file to write (default: print)"))


def _add_purge(commands: Commands) -> None:
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


def _add_list(commands: Commands) -> None:
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


def _add_doctor(commands: Commands) -> None:
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


def positive_count(text: str) -> int:
    """A number of things to show: a whole number of at least 1, and not beyond what any
    data folder holds (the index is asked for that many rows: 10**40 does not fit)."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("'{text}' is too few: give 1 or more (or --all for every one)").format(text=text))
    if value > MOST_LISTED:
        raise argparse.ArgumentTypeError(
            _("'{text}' is too many: give at most {most} (or --all for every one)").format(
                text=text, most=MOST_LISTED))
    return value
