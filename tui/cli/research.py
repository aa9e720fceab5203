"""``kring research``: a community's meetings for researchers, as REFI-QDA (qdpx), CSV or JSON
lines: only the words of participants who consented, participants as codes, protected names
as pseudonyms, never a private entry. ``--key`` writes the codes' key on its own."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kring.sessions.i18n import _
from kring.tui.cli.context import Context, no_such_community, say_error, write_out

FORMATS = ["qdpx", "csv", "jsonl"]


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    from kring.tui.cli.parser import add_period

    research = commands.add_parser(
        "research", help=_("export a community's meetings for research"),
        description=_("Write a community's meetings for researchers: only the words of "
                      "participants who had consented on the meeting's date, participants as "
                      "codes (P01, P02, ...), protected names as pseudonyms, never a private "
                      "entry. A manifest says what was left out and why. The key from codes "
                      "to names is written only with --key, into a file of its own."),
        epilog=epilog([
            ('kring research "CoP Inclusion" --format qdpx --out cop.qdpx',
             _("a REFI-QDA project for ATLAS.ti, MAXQDA, NVivo, ...")),
            ('kring research "CoP Inclusion" --from 2026-01-01 --to 2026-06-30 '
             "--format csv --out cop.csv", _("one row per entry, from half a year")),
            ('kring research "CoP Inclusion" --key --out key.csv',
             _("the codes' key: keep it apart from the export")),
        ]))
    research.add_argument("community", metavar="COMMUNITY", help=_("the community's name"))
    add_period(research)
    research.add_argument("--format", dest="research_format", choices=FORMATS,
                          help=_("qdpx (REFI-QDA), csv or jsonl (JSON lines)"))
    research.add_argument("--out", metavar="FILE", required=True,
                          help=_("file to write (readable by you only)"))
    research.add_argument("--accept-findings", action="store_true",
                          help=_("export although the privacy guard found names nobody "
                                 "protected: a person looked ('kring check ID' lists them)"))
    research.add_argument("--key", action="store_true",
                          help=_("write the key from codes to names instead of the export"))


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.documents import research
    from kring.sessions.store.facade import Store
    from kring.sessions.store.rosters import community_records, find_community
    from kring.tui.cli.guarding import refused_for_findings
    from kring.tui.cli.parser import period_problem

    if not args.key and args.research_format is None:
        say_error(_("Say which format to write with --format: qdpx, csv or jsonl."))
        return 2
    problem = period_problem(args)
    if problem is not None:
        say_error(problem)
        return 2
    store = Store(context.data)
    found = find_community(store, args.community)
    if found is None:
        return no_such_community(store, args.community)
    loaded = list(community_records(store, found.name))  # read twice: the gate, the export
    records = [(record.meeting, record.entries) for record in loaded]
    target = Path(args.out).expanduser()
    if args.key:
        if not write_out(target, research.key_text(records).encode("utf-8"), _("the key")):
            return 1
        context.out.print(_("Key written to {path}").format(path=target), markup=False,
                          highlight=False)
        return 0
    in_period = [record for record in loaded
                 if (args.start is None or record.meeting.date >= args.start)
                 and (args.end is None or record.meeting.date <= args.end)]
    refused = refused_for_findings(context, store.layout.state, in_period, found.dismissed,
                                   accepted=args.accept_findings,
                                   what=_("The research export"))
    if refused is not None:
        return refused
    export = research.research_export(found.name, records, found.consents,
                                      start=args.start, end=args.end)
    fmt = args.research_format
    if fmt == "qdpx":
        from kring.sessions.documents.qdpx import qdpx_bytes

        if not write_out(target, qdpx_bytes(export, export.manifest(fmt)), _("the export")):
            return 1
    else:
        text = research.csv_text(export) if fmt == "csv" else research.jsonl_text(export)
        manifest = target.with_name(target.name + ".manifest.json")
        if not (write_out(target, text.encode("utf-8"), _("the export"))
                and write_out(manifest, research.manifest_text(export, fmt).encode("utf-8"),
                           _("the manifest"))):
            return 1
    context.out.print(
        _("{entries} entries of {meetings} meetings written to {path}").format(
            entries=len(export.rows), meetings=len(export.meetings), path=target),
        markup=False, highlight=False)
    return 0

