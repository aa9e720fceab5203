"""``kring journal``: what a community's members learned, meeting by meeting, as Markdown."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.context import (
    Context,
    community_named,
    no_such_community,
    warn_unreadable,
    write_out,
)


def journal_command(context: Context, community: str, person: str | None,
                    out: str | None) -> int:
    from kring.sessions.documents.journal import journal_markdown
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    named = community_named(store, community)
    if named is None:  # a typo must not print an empty journal
        return no_such_community(store, community)
    text = journal_markdown(store, named, person=person, language=context.language or "en")
    warn_unreadable(context, store)
    if out is None or out == "-":
        sys.stdout.write(text)
        return 0
    target = Path(out).expanduser()
    if not write_out(target, text, _("the journal")):
        return 1
    context.out.print(_("Journal written to {path}").format(path=target))
    return 0


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
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


def run(context: Context, args: argparse.Namespace) -> int:
    return journal_command(context, args.community, args.person, args.out)
