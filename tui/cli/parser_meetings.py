"""The commands that hold a meeting without the app's screens: ``new`` prepares one (and may
start it), ``add`` captures a line into it, ``project`` shows it to the room. Their parser
entries live here so that ``parser`` stays one screenful per job; ``parser.build_parser``
adds them in the order the main help lists them."""

from __future__ import annotations

import argparse
from collections.abc import Container
from typing import Any

from kring.sessions.i18n import _

# argparse keeps the class of its sub-parsers' container private.
Commands = Any


NAMES: tuple[str, ...] = ("new", "add", "project")


def add_meeting_commands(commands: Commands, languages: list[str],
                         wanted: Container[str] | None = None) -> None:
    """Each of NAMES, or only those ``wanted``."""
    from kring.tui.cli.parser import epilog

    if wanted is None or "new" in wanted:
        _add_new(commands, languages, epilog)
    if wanted is None or "add" in wanted:
        _add_add(commands, epilog)
    if wanted is None or "project" in wanted:
        _add_project(commands, epilog)


def _add_new(commands: Commands, languages: list[str], epilog: Any) -> None:
    new = commands.add_parser(
        "new", help=_("prepare a meeting from the command line"),
        description=_("Prepare a meeting as the app's setup does, with the same checks "
                      "(roles, number of participants), and print its id. Open it with "
                      "'kring', or add notes to it with 'kring add'."),
        epilog=epilog([
            # Two lines (the shell's own continuation), so that no line of the help is wider
            # than a terminal.
            ("kring new --community Team --protocol incident --participant Anouk Bram Dev \\\n"
             '      --role Anouk=facilitator --role Bram=case-bringer --title "A quiet pupil"',
             _("prepare an incident-method meeting")),
            ("kring new ... --protect Zoë --start --json",
             _("protect a pupil's name, start the first phase, print JSON")),
            ("id=$(kring new ...) && kring add $id \"q: What happened? @bram\"",
             _("prepare a meeting and capture a question")),
        ]))
    new.add_argument("--community", metavar="C", required=True,
                     help=_("the community or group that meets"))
    new.add_argument("--protocol", metavar="P", required=True,
                     help=_("protocol id, as listed by 'kring templates'"))
    new.add_argument("--lang", dest="protocol_lang", choices=languages,
                     help=_("language of the protocol and the minutes (default: the "
                            "interface's, where the protocol has it)"))
    new.add_argument("--participant", metavar="NAME", nargs="+", action="extend",
                     default=[], required=True,
                     help=_("who takes part, in speaking order (several names, or repeat "
                            "the option)"))
    new.add_argument("--role", metavar="NAME=ROLE", action="append", default=[],
                     type=role_assignment,
                     help=_("give a participant a role: facilitator, case-bringer, "
                            "note-taker or timekeeper (repeatable)"))
    new.add_argument("--title", metavar="T", required=True, help=_("the case's title"))
    new.add_argument("--goal", metavar="G", default="",
                     help=_("what the group wants to practise or learn"))
    new.add_argument("--focus", metavar="Q", default="",
                     help=_("the case-bringer's focus question"))
    new.add_argument("--protect", metavar="NAME", nargs="+", action="extend", default=[],
                     help=_("a pupil's or parent's name the minutes replace by a pseudonym "
                            "(several names, or repeat the option)"))
    new.add_argument("--start", action="store_true",
                     help=_("also start the first phase, its clock running"))
    new.add_argument("--json", action="store_true",
                     help=_("print one line of JSON (id, protocol, language, started)"))


def _add_add(commands: Commands, epilog: Any) -> None:
    add = commands.add_parser(
        "add", help=_("capture one line into a meeting"),
        description=_("Capture one line into a meeting in progress, exactly as the capture "
                      "line in the app would: a prefix chooses the kind (q: question, f: "
                      "fact, a: action point, ...), @name the author; without @name, in a "
                      "round, the line is the speaker's whose turn it is."),
        epilog=epilog([
            ('kring add latest "q: What happened just before? @chantal"',
             _("a question Chantal asked")),
            ('kring add 3fa2 "a: Call the mentor @bram 2026-12-01"',
             _("an action point for Bram, with a due date")),
            ('kring add latest "The class had a test back" --json',
             _("in the phase's own kind; the entry as JSON")),
        ]))
    add.add_argument("meeting", metavar="MEETING",
                     help=_("a meeting id, the start of one, or 'latest'"))
    add.add_argument("line", metavar="LINE", help=_("the line, as typed on the capture line"))
    add.add_argument("--json", action="store_true",
                     help=_("print the entry as one line of JSON"))


def _add_project(commands: Commands, epilog: Any) -> None:
    project = commands.add_parser(
        "project", help=_("show a live meeting to the room in a second window"),
        description=_("Follow a meeting from the data folder in a window for the projector: "
                      "the phase, the clock and whose turn it is, with protected names as "
                      "pseudonyms and no private notes. It only reads."),
        epilog=epilog([
            ("kring project", _("the meeting in progress (the newest one)")),
            ("kring project 3fa2", _("the meeting whose id starts with 3fa2")),
        ]))
    project.add_argument("meeting", metavar="MEETING", nargs="?", default="latest",
                         help=_("a meeting id, the start of one, or 'latest' (default: the "
                                "newest meeting in progress)"))


def role_assignment(text: str) -> tuple[str, str]:
    """``NAME=ROLE`` as (name, role value). The role may be the file's word (case-bringer) or
    its label in the interface's language; argparse reports anything else as a usage error."""
    from kring.sessions.meeting.setup import role_label
    from kring.sessions.model.protocol import Role

    name, equals, role = text.rpartition("=")
    name = " ".join(name.split())
    wanted = role.strip().casefold()
    if not equals or not name or not wanted:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not NAME=ROLE, e.g. Anouk=facilitator").format(text=text))
    for candidate in Role:
        if wanted in (candidate.value, role_label(candidate).casefold()):
            return name, candidate.value
    raise argparse.ArgumentTypeError(
        _("'{role}' is not a role; the roles are {roles}").format(
            role=role.strip(), roles=", ".join(r.value for r in Role)))
