"""``kring community``: the communities (a CoP, an intervision group) and their members."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.tui.cli.context import Context, no_such_community

if TYPE_CHECKING:
    from kring.sessions.model.community import Community


def consent_text(community: Community, member: str, language: str | None) -> str:
    """A member's research consent in a few words: since when, withdrawn when, or never."""
    from kring.sessions.model.consent import find_consent
    from kring.sessions.model.dates import long_date

    found = find_consent(community.consents, member)
    if found is None or (found.granted_on is None and found.withdrawn_on is None):
        return _("research consent: never given")
    if found.withdrawn_on is not None:
        return _("research consent withdrawn on {date}").format(
            date=long_date(found.withdrawn_on, language or "en"))
    assert found.granted_on is not None
    return _("research consent since {date}").format(
        date=long_date(found.granted_on, language or "en"))


def meeting_time_text(moment: datetime, language: str | None) -> str:
    """A planned meeting's moment as people read it: the long date and the hour, in local time."""
    from kring.sessions.model.dates import long_date

    local = moment.astimezone()
    return f"{long_date(local.date(), language or 'en')}, {local:%H:%M}"


def parse_meeting_time(text: str) -> datetime | None:
    """"2026-12-10 15:30" (or with a T, or an offset) as a timezone-aware moment; without an
    offset it is this computer's local time. None when it is no date with a time."""
    cleaned = " ".join(text.split())
    if ":" not in cleaned:  # a bare date would silently mean midnight
        return None
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is None else moment


def community_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.model.community import MAX_RETENTION_DAYS
    from kring.sessions.store import rosters
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    say = context.out.print
    if args.action in {"show", "remove-member", "retention", "plan"} and \
            rosters.find_community(store, args.name) is None:
        return no_such_community(store, args.name)
    try:
        if args.action == "add-member":
            found = rosters.add_member(store, args.name, args.member)
            say(_("{member} is a member of {community}.").format(
                member=args.member, community=found.name), markup=False, highlight=False)
        elif args.action == "remove-member":
            found = rosters.remove_member(store, args.name, args.member)
            say(_("{member} is no longer a member of {community}.").format(
                member=args.member, community=found.name), markup=False, highlight=False)
        elif args.action == "retention":
            if args.days is not None and args.days < 1:
                context.err.print(_("A retention period is at least one day."),
                                  highlight=False)
                return 1
            if args.days is not None and args.days > MAX_RETENTION_DAYS:
                context.err.print(_("A retention period is at most {days} days (a century); "
                                    "leave the number out to keep meetings indefinitely.")
                                  .format(days=MAX_RETENTION_DAYS), highlight=False)
                return 1
            found = rosters.set_retention(store, args.name, args.days)
            say(_("Meetings of {community} are kept {days} days.").format(
                community=found.name, days=args.days) if args.days else
                _("Meetings of {community} are kept until you purge them.").format(
                    community=found.name), markup=False, highlight=False)
        elif args.action == "plan":
            if args.clear == (args.when is not None):
                context.err.print(_("Give the date and time of the next meeting, or --clear."),
                                  highlight=False)
                return 1
            when = None if args.clear else parse_meeting_time(args.when)
            if not args.clear and when is None:
                context.err.print(_("'{text}' is not a date with a time; write it like "
                                    "2026-12-10 15:30.").format(text=args.when),
                                  markup=False, highlight=False)
                return 1
            found = rosters.plan_meeting(store, args.name, when)
            if when is None:
                say(_("{community} has no planned meeting.").format(community=found.name),
                    markup=False, highlight=False)
            else:
                say(_("The next meeting of {community} is on {when}.").format(
                    community=found.name, when=meeting_time_text(when, context.language)),
                    markup=False, highlight=False)
                if when <= datetime.now(when.tzinfo):
                    context.err.print(_("That moment has passed; the calendar leaves it out "
                                        "until a later meeting is planned."), highlight=False)
        elif args.action == "show":
            shown = rosters.find_community(store, args.name)
            assert shown is not None  # checked above
            say(shown.name, style="bold", markup=False, highlight=False)
            if shown.next_meeting is not None:
                say(_("Next meeting: {when}").format(
                    when=meeting_time_text(shown.next_meeting, context.language)),
                    markup=False, highlight=False)
            for member in shown.members:
                say(f"  {member}  ({consent_text(shown, member, context.language)})",
                    markup=False, highlight=False)
        else:
            communities = store.communities()
            if not communities:
                say(_("No communities yet: they are made when a meeting is set up, or with "
                      "'kring community add-member NAME MEMBER'."), highlight=False)
            for item in communities:
                say(ngettext("{name} ({count} member)", "{name} ({count} members)",
                             len(item.members)).format(name=item.name, count=len(item.members)),
                    markup=False, highlight=False)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    return 0


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    examples = epilog([
        ("kring community list", _("the communities and how many members each has")),
        ('kring community add-member "CoP Inclusion" Bram', _("add Bram (creates the community)")),
        ('kring community retention "CoP Inclusion" 365', _("keep its meetings for a year")),
        ('kring community plan "CoP Inclusion" "2026-12-10 15:30"',
         _("plan the next meeting, for 'kring calendar'")),
    ])
    community = commands.add_parser(
        "community", help=_("list communities and edit their members"),
        description=_("Communities (a CoP, an intervision group) and who belongs to them."),
        epilog=examples)
    community_actions = community.add_subparsers(dest="action", metavar="ACTION",
                                                 help=_("without one, the communities are "
                                                        "listed"))
    community_actions.add_parser("list", help=_("list the communities"), epilog=examples)
    name_help = _("the community's name (quote it if it has spaces)")
    member_help = _("the member's name, as typed in meetings")
    show_community = community_actions.add_parser("show", help=_("show a community's members"),
                                                  epilog=examples)
    show_community.add_argument("name", help=name_help)
    add_member = community_actions.add_parser("add-member",
                                              help=_("add someone (creates the community)"),
                                              epilog=examples)
    add_member.add_argument("name", help=name_help)
    add_member.add_argument("member", help=member_help)
    remove_member = community_actions.add_parser("remove-member", help=_("take someone off"),
                                                 epilog=examples)
    remove_member.add_argument("name", help=name_help)
    remove_member.add_argument("member", help=member_help)
    retention = community_actions.add_parser(
        "retention", help=_("keep meetings this many days; Kring then suggests a purge"),
        epilog=examples)
    retention.add_argument("name", help=name_help)
    retention.add_argument("days", type=int, nargs="?",
                           help=_("number of days; leave out to keep meetings indefinitely"))
    plan = community_actions.add_parser(
        "plan", help=_("set when the community meets next (for 'kring calendar')"),
        epilog=examples)
    plan.add_argument("name", help=name_help)
    plan.add_argument("when", nargs="?",
                      help=_("date and time in your local time, like '2026-12-10 15:30'"))
    plan.add_argument("--clear", action="store_true",
                      help=_("forget the planned meeting"))


def run(context: Context, args: argparse.Namespace) -> int:
    return community_command(context, args)
