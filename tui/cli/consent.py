"""``kring consent``: whether a member's words may be used for research, from when, and from
when no longer. What leaves Kring for research rests on this (issue 15)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, no_such_community


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    from kring.tui.cli.parser import iso_date

    consent = commands.add_parser(
        "consent", help=_("record a member's consent to research use of their words"),
        description=_("Whether a member's words in a community's meetings may be used for "
                      "research: granted from a day on, or withdrawn from a day on. "
                      "'kring community show' lists it."),
        epilog=epilog([
            ('kring consent "CoP Inclusion" Bram grant', _("Bram consents from today")),
            ('kring consent "CoP Inclusion" Bram withdraw --date 2026-03-01',
             _("Bram's words from 1 March 2026 on are no longer used")),
            ('kring community show "CoP Inclusion"', _("everyone's consent")),
        ]))
    consent.add_argument("community", metavar="COMMUNITY",
                         help=_("the community's name (quote it if it has spaces)"))
    consent.add_argument("person", metavar="NAME",
                         help=_("the member's name, as on the community's roster"))
    consent.add_argument("decision", choices=["grant", "withdraw"],
                         help=_("grant consent, or withdraw it"))
    consent.add_argument("--date", dest="day", metavar="D", type=iso_date,
                         help=_("the day it takes effect, like 2026-01-01 (default: today)"))


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.model.dates import long_date
    from kring.sessions.store import rosters
    from kring.sessions.store.facade import Store
    from kring.tui.cli.context import today

    day = args.day or today()
    grant = args.decision == "grant"
    try:
        store = Store(context.data)
        if rosters.find_community(store, args.community) is None:
            return no_such_community(store, args.community)
        consent = rosters.set_consent(store, args.community, args.person, grant=grant,
                                      day=day)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    when = long_date(day, context.language or "en")
    message = (_("{person} consents to research use of their words from {date}.") if grant
               else _("{person} withdrew consent to research use of their words on {date}."))
    context.out.print(message.format(person=consent.person, date=when), markup=False,
                      highlight=False)
    return 0
