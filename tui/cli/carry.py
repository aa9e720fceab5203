"""``kring carry``: share a case from a school's intervision group with the CoP.

The CoP's data folder is the one ``config.toml`` names for it under ``[folders]`` (or
``--to-data``); see ``sessions/care/carry.py`` for what travels and what never does."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kring.sessions.i18n import _, ngettext
from kring.tui.cli.context import Context, today


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    carry = commands.add_parser(
        "carry", help=_("share a case, its learnings and action points with another "
                        "community (the CoP)"),
        description=_("Copy what the case-bringer agreed to share from a meeting into another "
                      "community's data folder: the case, its learnings and its action "
                      "points, with protected names as pseudonyms. Private entries, the list "
                      "of participants and who said what stay behind; owners of action "
                      "points travel as Member 1, 2, ... unless they agreed too "
                      "(--consent-of). The other folder is the one config.toml names for "
                      "that community under [folders]."),
        epilog=epilog([
            ('kring carry latest --to "CoP Inclusion" --consent-of Bram',
             _("share the latest meeting's case, learnings and action points")),
            ('kring carry 3fa2 --to "CoP Inclusion" --consent-of Bram --learnings',
             _("share only what was learned")),
            ('kring carry 3fa2 --to "CoP Inclusion" --consent-of Bram --consent-of Chris',
             _("Chris, who owns action points, agreed to be named too")),
            ("kring carry 3fa2 --to CoP --to-data ~/SURFdrive/cop --consent-of Bram",
             _("name the CoP's data folder on the command line")),
        ]))
    carry.add_argument("meeting", metavar="ID", help=_("the meeting (its id, or latest)"))
    carry.add_argument("--to", metavar="COMMUNITY", required=True,
                       help=_("the community to share with"))
    carry.add_argument("--consent-of", metavar="NAME", required=True, action="append",
                       help=_("who agreed: the case-bringer, to share the case, and each "
                              "owner of action points who agrees to be named (give it once "
                              "per person); other owners travel as Member 1, 2, ..."))
    carry.add_argument("--accept-findings", action="store_true",
                       help=_("carry it although the privacy guard found names nobody "
                              "protected: a person looked ('kring check ID' lists them)"))
    carry.add_argument("--to-data", metavar="DIR",
                       help=_("that community's data folder (default: from config.toml)"))
    for part, text in (("case", _("share the case (title, summary, focus question)")),
                       ("learnings", _("share the learnings")),
                       ("actions", _("share the action points"))):
        carry.add_argument(f"--{part}", action="store_true", help=text)


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.care.carry import Part, carry
    from kring.sessions.documents.export import resolve_meeting
    from kring.sessions.errors import StoreError
    from kring.sessions.language import load_config_data
    from kring.sessions.model.name_variants import fold
    from kring.sessions.paths import community_folders, config_dir
    from kring.sessions.store.facade import Store
    from kring.tui.cli.guarding import dismissed_of, refused_for_findings

    folder = Path(args.to_data).expanduser() if args.to_data else next(
        (path for name, path in community_folders(load_config_data(config_dir())[0]).items()
         if fold(name) == fold(args.to)), None)
    if folder is None:
        context.err.print(_("No data folder is set for the community '{name}': add it under "
                            "[folders] in {file}, or give --to-data.").format(
            name=args.to, file=config_dir() / "config.toml"), markup=False, highlight=False)
        return 1
    chosen = frozenset(part for part in Part if getattr(args, part.value)) or frozenset(Part)
    source = Store(context.data)
    try:
        meeting_id = resolve_meeting(source, args.meeting)
        record = source.load(meeting_id)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    refused = refused_for_findings(
        context, source.layout.state, [record],
        dismissed_of(source, record.meeting.community), accepted=args.accept_findings,
        what=_("The meeting"))
    if refused is not None:
        return refused
    try:
        shared, entries = carry(source, meeting_id, Store(folder), community=args.to,
                                parts=chosen, consent_of=args.consent_of, on=today())
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    context.out.print(ngettext("Shared meeting {id} with {community} in {folder}: {count} "
                               "entry.",
                               "Shared meeting {id} with {community} in {folder}: {count} "
                               "entries.", len(entries)).format(
                                   id=shared.id, community=args.to, folder=folder,
                                   count=len(entries)),
                      markup=False, highlight=False)
    return 0
