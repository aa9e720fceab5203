"""``kring new``: prepare a meeting from the command line, as the app's setup screen does.

The plan goes through ``MeetingPlan`` like the screen's, so the same checks hold (a name for
the community, enough participants, the required roles filled by participants); the meeting
is then stored and its community remembers who took part, as ``KringApp.start_meeting`` does.
With ``--start`` the first phase starts too, its clock running, as opening the meeting in the
app would (``LiveMeeting.start``). Prints the meeting's id, for a script to pass on to
``kring add`` or ``kring project``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kring.sessions.i18n import _
from kring.tui.cli.context import Context, note_saved, say_error
from kring.tui.cli.parser import LANGUAGES

if TYPE_CHECKING:
    from kring.sessions.meeting.setup import MeetingPlan
    from kring.sessions.model.protocol import Protocol


def new_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.store.facade import Store
    from kring.sessions.store.rosters import remember_roster

    protocol = _protocol(context, args.protocol, args.protocol_lang)
    if protocol is None:
        return 1
    plan = _plan(protocol, args)
    problems = _role_problems(protocol, args.role) + plan.problems()
    if problems:
        for problem in problems:
            say_error(problem)
        return 1
    store = Store(context.data)
    meeting = plan.create(store.clock)
    store.create_meeting(meeting)
    note_saved(_("meeting {id}").format(id=meeting.id))
    remember_roster(store, meeting.community, meeting.participants)
    if args.start:
        live = LiveMeeting(meeting, [], store, store.clock, protocol)
        live.start()
        if live.unsaved:  # prepared, but the disk refused the start: say so, and which
            say_error(live.last_error or _("The meeting could not be started."))
            say_error(_("Meeting {id} is prepared; it starts when you open it in 'kring'.")
                      .format(id=meeting.id))
            return 1
    if args.json:
        print(json.dumps({"id": meeting.id, "protocol": protocol.id,
                          "language": meeting.language, "started": bool(args.start)},
                         ensure_ascii=False))
    else:
        print(meeting.id)
    sys.stdout.flush()
    return 0


def _protocol(context: Context, ident: str, language: str | None) -> Protocol | None:
    """The protocol ``ident`` in ``language``; without one, in the interface's language
    where the protocol has it, else in any."""
    catalog = context.catalog()
    found = catalog.find(ident, language, prefer=context.language or "en")
    if found is None:
        if language is not None and catalog.find(ident) is not None:
            say_error(_("The protocol '{id}' is not available in '{lang}'; 'kring templates' "
                        "lists the protocols.").format(id=ident, lang=language))
        else:
            say_error(_("No protocol with id '{id}'. 'kring templates' lists them.")
                      .format(id=ident))
        return None
    return found.protocol


def _plan(protocol: Protocol, args: argparse.Namespace) -> MeetingPlan:
    from kring.sessions.meeting.setup import MeetingPlan, split_names
    from kring.sessions.model.meeting import Case
    from kring.sessions.model.protocol import Role

    plan = MeetingPlan(protocol, community=args.community, goal=args.goal,
                       case=Case(title=args.title, focus_question=args.focus))
    for name in args.participant:
        plan.add_participant(name)
    # As the screen reads its field: names typed with commas are split, repeats left out.
    plan.protected_names = split_names(", ".join(args.protect))
    for name, role in args.role:
        # A role given with another spelling of a participant's name is theirs.
        who = next((p for p in plan.participants if p.casefold() == name.casefold()), name)
        plan.roles[Role(role)] = who
    return plan


def _role_problems(protocol: Protocol, assignments: list[tuple[str, str]]) -> list[str]:
    """What the setup screen cannot even let happen: a role this protocol does not have, or
    one role given to two people."""
    from kring.sessions.meeting.setup import role_label
    from kring.sessions.model.protocol import Role

    problems: list[str] = []
    given: dict[str, str] = {}
    for name, value in assignments:
        role = Role(value)
        if role not in protocol.roles:
            problems.append(_("{protocol} has no {role}.").format(
                protocol=protocol.name, role=role_label(role)))
        elif value in given and given[value].casefold() != name.casefold():
            problems.append(_("Only one {role}: {first} and {second} were both given it.")
                            .format(role=role_label(role), first=given[value], second=name))
        given.setdefault(value, name)
    return problems


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
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
    new.add_argument("--lang", dest="protocol_lang", choices=LANGUAGES,
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


def run(context: Context, args: argparse.Namespace) -> int:
    return new_command(context, args)


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
