"""``kring templates``: list, show, check and copy the protocols Kring knows."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.table import Table
from rich.text import Text

from kring.sessions.i18n import _, ngettext
from kring.sessions.meeting.setup import role_label
from kring.sessions.model.labels import (
    capture_label,
    case_bringer_label,
    input_label,
    need_label,
    speakers_label,
)
from kring.sessions.model.protocol import Block, Phase, Protocol
from kring.sessions.protocols.catalog import Catalog, CatalogEntry, Source
from kring.sessions.protocols.template_format import TemplateError
from kring.sessions.protocols.templates import load_protocol
from kring.tui.cli.context import Context, say_error
from kring.tui.cli.parser import LANGUAGES


def templates_command(context: Context, args: argparse.Namespace) -> int:
    if args.action == "validate":
        return validate_templates(context, [Path(f) for f in args.files])
    catalog = context.catalog()
    for problem in catalog.problems:
        # A Text: the problem names a file and quotes it, which is no markup.
        context.err.print(Text.assemble((_("skipped"), "yellow"), f": {problem}"))
    if args.action == "show":
        return show_template(context, catalog, args.id, args.filter_lang)
    if args.action == "new":
        return new_template(context, catalog, args.id, args.source, args.filter_lang)
    list_templates(context, catalog, args.filter_lang)
    return 0


def list_templates(context: Context, catalog: Catalog, language: str | None) -> None:
    table = Table(title=_("Protocols"), title_justify="left")
    for header in (_("id"), _("name"), _("lang"), _("phases"), _("minutes"), _("source")):
        table.add_column(header, no_wrap=header != _("name"))
    for entry in catalog.listed(language, prefer=context.language):
        protocol = entry.protocol
        table.add_row(protocol.id, protocol.name, protocol.language,
                      str(len(protocol.phases())), _minutes(protocol.planned_minutes()),
                      _source_label(entry))
    context.out.print(table)
    context.out.print(_("Your own templates go in {folder}").format(folder=context.user_templates),
                      highlight=False)


def _source_label(entry: CatalogEntry) -> str:
    if entry.source is Source.BUILT_IN:
        return _("built-in")
    if entry.overrides is not None:
        return _("user (overrides built-in)")
    return _("user")


def _minutes(value: float) -> str:
    return f"{value:g}"


def show_template(context: Context, catalog: Catalog, ident: str, language: str | None) -> int:
    entry = catalog.find(ident, language, prefer=context.language or "en")
    if entry is None:
        context.err.print(_("No protocol with id '{id}'. 'kring templates' lists them.")
                          .format(id=ident), highlight=False, markup=False)
        return 1
    protocol = entry.protocol
    context.out.print(Text.assemble((protocol.name, "bold"),
                                    f"  ({protocol.id}, {protocol.language})"))
    context.out.print(protocol.summary, markup=False, highlight=False)
    roles = ", ".join(f"{role_label(role)} ({need_label(need)})"
                      for role, need in protocol.roles.items())
    context.out.print(f"{_('Roles')}: {roles}", markup=False, highlight=False)
    context.out.print(f"{_('From')}: {entry.path}", markup=False, highlight=False)
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    table.add_column(_("phase"), ratio=3)
    table.add_column(_("min"), justify="right")
    table.add_column(_("who speaks"), ratio=2)
    table.add_column(_("input"))
    table.add_column(_("captures"), ratio=2)
    number = 0
    for item in protocol.items:
        phases: tuple[Phase, ...] = item.phases if isinstance(item, Block) else (item,)
        if isinstance(item, Block):
            table.add_row("", Text.assemble((item.title, "bold"),
                                            f" ({_('repeated for each participant')})"),
                          _minutes(item.minutes_per_round), "", "", "")
        for phase in phases:
            number += 1
            title = f"  {phase.title}" if isinstance(item, Block) else phase.title
            if phase.optional:
                title += f" ({_('optional')})"
            speaking = _("{speakers}; case-bringer {state}").format(
                speakers=speakers_label(phase.speakers),
                state=case_bringer_label(phase.case_bringer))
            table.add_row(str(number), title, _minutes(phase.minutes), speaking,
                          input_label(phase.input),
                          ", ".join(capture_label(c) for c in phase.captures))
    context.out.print(table)
    context.out.print(_total_line(protocol), highlight=False)
    return 0


def _total_line(protocol: Protocol) -> str:
    if not any(isinstance(item, Block) for item in protocol.items):
        return _("Total: {minutes} minutes").format(minutes=_minutes(protocol.planned_minutes()))
    people = protocol.min_participants
    return _("Total: {minutes} minutes with {people} participants (blocks repeat for each)"
             ).format(minutes=_minutes(protocol.planned_minutes(people)), people=people)


def validate_templates(context: Context, files: list[Path]) -> int:
    failed = 0
    for path in files:
        try:
            protocol = load_protocol(path)
        except TemplateError as error:
            failed += 1
            for problem in error.problems:
                context.out.print(problem.describe(str(path)), markup=False, highlight=False)
            continue
        phases = len(protocol.phases())
        context.out.print(ngettext("{file}: ok ({name}, {count} phase)",
                                   "{file}: ok ({name}, {count} phases)", phases).format(
            file=path, name=protocol.name, count=phases),
            markup=False, highlight=False)
    return 1 if failed else 0


def new_template(context: Context, catalog: Catalog, ident: str, source: str | None,
                 language: str | None) -> int:
    from kring.sessions.errors import SaveError
    from kring.sessions.protocols.template_format import MAX_BYTES
    from kring.sessions.protocols.templates import ID_PATTERN
    from kring.sessions.store.private_files import (
        describe_read_error,
        ensure_private_folder,
        read_regular_file,
        write_private_file,
    )

    if not ID_PATTERN.match(ident):
        context.err.print(_("'{id}' is not a valid id: use lower-case letters, digits and dashes.")
                          .format(id=ident), markup=False, highlight=False)
        return 1
    lang = language or context.language or "en"
    base = catalog.find(source or ident, lang) or (None if source else catalog.find("incident",
                                                                                    lang))
    if base is None:
        context.err.print(_("No protocol '{id}' in language '{lang}' to start from.")
                          .format(id=source or ident, lang=lang), markup=False, highlight=False)
        return 1
    target = context.user_templates / lang / f"{ident}.toml"
    if target.exists():
        context.err.print(_("{file} already exists; edit it, or remove it first.")
                          .format(file=target), markup=False, highlight=False)
        return 1
    try:
        text = read_regular_file(base.path, MAX_BYTES).decode("utf-8-sig")
        text = re.sub(r'(?m)^id\s*=\s*"[^"\n]*"', f'id = "{ident}"', text, count=1)
        ensure_private_folder(target.parent, str(target.parent))
        write_private_file(target, text.encode("utf-8"), str(target))
    except (OSError, UnicodeDecodeError) as error:  # the file changed since it was loaded
        say_error(_("Could not read {path}: {reason}").format(
            path=base.path, reason=describe_read_error(error) if isinstance(error, OSError)
            else _("it is not UTF-8 text")))
        return 1
    except SaveError as error:
        say_error(_("Could not write {path}: {reason}").format(path=target, reason=error.reason))
        return 1
    context.out.print(_("Created {file} from '{base}'. Edit it, then check it with "
                        "'kring templates validate {file}'.").format(
        file=target, base=base.protocol.id), markup=False, highlight=False)
    return 0


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    examples = epilog([
        ("kring templates --lang nl", _("the Dutch protocols")),
        ("kring templates show incident", _("phases, times, who speaks, what is captured")),
        ("kring templates validate my.toml", _("check a template you wrote")),
        ("kring templates new my-incident --from incident",
         _("copy a protocol into your templates folder to edit")),
    ])
    only_lang = _("only protocols in this language")
    templates = commands.add_parser("templates", help=_("list, show, check and copy protocols"),
                                    description=_("List the protocols Kring knows."),
                                    epilog=examples)
    templates.add_argument("--lang", dest="filter_lang", choices=LANGUAGES, help=only_lang)
    actions = templates.add_subparsers(dest="action", metavar="ACTION",
                                       help=_("without one, the protocols are listed"))
    show = actions.add_parser("show", help=_("show a protocol's phases"), epilog=examples)
    show.add_argument("id", help=_("protocol id, as listed by 'kring templates'"))
    show.add_argument("--lang", dest="filter_lang", choices=LANGUAGES,
                      help=_("the protocol in this language"))
    validate = actions.add_parser("validate", help=_("check template files"), epilog=examples)
    validate.add_argument("files", nargs="+", metavar="FILE",
                          help=_("a template file (TOML) to check"))
    new = actions.add_parser("new", help=_("copy a protocol into your templates folder to edit"),
                             epilog=examples)
    new.add_argument("id", help=_("id of the new protocol"))
    new.add_argument("--from", dest="source", metavar="ID",
                     help=_("protocol to start from (default: the one with the same id, "
                            "else the incident method)"))
    new.add_argument("--lang", dest="filter_lang", choices=LANGUAGES,
                     help=_("language of the protocol to copy and of the new one"))


def run(context: Context, args: argparse.Namespace) -> int:
    return templates_command(context, args)
