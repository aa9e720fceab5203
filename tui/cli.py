"""The ``kring`` command: launches the app, or runs one of the sub-commands without a screen.

Textual is imported only when the app starts, so ``kring templates`` and friends stay quick.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rich.console import Console
from rich.table import Table

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, use_language
from kring.sessions.language import choose_language, cli_language, load_config
from kring.sessions.meeting.setup import role_label
from kring.sessions.model.dates import long_date
from kring.sessions.model.labels import (
    capture_label,
    case_bringer_label,
    input_label,
    need_label,
    speakers_label,
)
from kring.sessions.model.protocol import Block, Phase, Protocol
from kring.sessions.paths import config_dir, data_dir, data_dir_problem, user_templates_dir
from kring.sessions.protocols.catalog import Catalog, CatalogEntry, Source, load_catalog
from kring.sessions.protocols.templates import TemplateError, load_protocol
from kring.templates import BUILTIN_DIR

if TYPE_CHECKING:
    from kring.sessions.store.facade import Store


@dataclass
class Context:
    """What every command needs to know about where things are."""

    data: Path
    user_templates: Path
    minutes: Path | None = None
    minutes_html: bool = False
    extra_templates: list[Path] = field(default_factory=list)
    language: str | None = None
    out: Console = field(default_factory=Console)
    err: Console = field(default_factory=lambda: Console(stderr=True))

    def catalog(self) -> Catalog:
        return load_catalog(BUILTIN_DIR, [self.user_templates, *self.extra_templates])


def kring_version() -> str:
    try:
        return version("kring")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's own words ("usage:", "options:", the --help line) from Kring's catalog too;
    the sub-commands' parsers are of this class as well, so theirs are translated alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help",
                              help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kring",
        description=_("Guides live peer case-consultation meetings and writes their minutes."),
    )
    parser.add_argument("--version", action="version", version=f"kring {kring_version()}",
                        help=_("show Kring's version and exit"))
    parser.add_argument("--data", metavar="DIR",
                        help=_("data folder (default: KRING_DATA, else your user data folder)"))
    parser.add_argument("--templates", metavar="DIR", action="append", default=[],
                        help=_("also read protocol templates from this folder (repeatable)"))
    parser.add_argument("--minutes", metavar="DIR",
                        help=_("where minutes are written (default: minutes/ in the data "
                               "folder)"))
    parser.add_argument("--lang", choices=["en", "nl"], help=_("language of the interface"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    templates = commands.add_parser("templates", help=_("list, show, check and copy protocols"),
                                    description=_("List the protocols Kring knows."))
    templates.add_argument("--lang", dest="filter_lang", choices=["en", "nl"],
                           help=_("only protocols in this language"))
    actions = templates.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help=_("show a protocol's phases"))
    show.add_argument("id", help=_("protocol id, as listed by 'kring templates'"))
    show.add_argument("--lang", dest="filter_lang", choices=["en", "nl"])
    validate = actions.add_parser("validate", help=_("check template files"))
    validate.add_argument("files", nargs="+", metavar="FILE")
    new = actions.add_parser("new", help=_("copy a protocol into your templates folder to edit"))
    new.add_argument("id", help=_("id of the new protocol"))
    new.add_argument("--from", dest="source", metavar="ID",
                     help=_("protocol to start from (default: the one with the same id, "
                            "else the incident method)"))
    new.add_argument("--lang", dest="filter_lang", choices=["en", "nl"])

    community = commands.add_parser(
        "community", help=_("list communities and edit their members"),
        description=_("Communities (a CoP, an intervision group) and who belongs to them."))
    community_actions = community.add_subparsers(dest="action", metavar="ACTION")
    community_actions.add_parser("list", help=_("list the communities"))
    show_community = community_actions.add_parser("show", help=_("show a community's members"))
    show_community.add_argument("name")
    add_member = community_actions.add_parser("add-member",
                                              help=_("add someone (creates the community)"))
    add_member.add_argument("name")
    add_member.add_argument("member")
    remove_member = community_actions.add_parser("remove-member", help=_("take someone off"))
    remove_member.add_argument("name")
    remove_member.add_argument("member")
    retention = community_actions.add_parser(
        "retention", help=_("keep meetings this many days; Kring then suggests a purge"))
    retention.add_argument("name")
    retention.add_argument("days", type=int, nargs="?",
                           help=_("number of days; leave out to keep meetings indefinitely"))

    export = commands.add_parser(
        "export", help=_("write or print the minutes of a meeting"),
        description=_("The minutes of any meeting, ended or in progress (the minutes so far)."))
    export.add_argument("meeting", metavar="MEETING",
                        help=_("a meeting id, the start of one, or 'latest'"))
    export.add_argument("--format", choices=["md", "html"], default="md")
    export.add_argument("--out", metavar="PATH",
                        help=_("file to write, or - to print (default: a new file in the "
                               "minutes folder)"))

    actions = commands.add_parser(
        "actions", help=_("list action points across meetings"),
        description=_("Action points across meetings; overdue ones stand out."))
    actions.add_argument("--community", metavar="C")
    actions.add_argument("--owner", metavar="NAME")
    actions.add_argument("--status", choices=["open", "done", "all"], default="open")
    actions.add_argument("--format", choices=["table", "md"], default="table")
    actions.add_argument("--real-names", action="store_true",
                         help=_("show protected names as typed (for the facilitator only)"))

    journal = commands.add_parser(
        "journal", help=_("write a community's learning journal"),
        description=_("What a community's members learned, meeting by meeting, as Markdown."))
    journal.add_argument("community", metavar="COMMUNITY")
    journal.add_argument("--person", metavar="NAME")
    journal.add_argument("--out", metavar="FILE", help=_("file to write (default: print)"))

    purge = commands.add_parser(
        "purge", help=_("remove old meetings and everything made from them"),
        description=_("Removes meetings dated before DATE, with their drafts, backups, "
                      "set-aside copies and exported minutes, after you confirm."))
    purge.add_argument("--before", metavar="DATE", required=True, type=_iso_date,
                       help=_("e.g. 2026-01-01"))
    purge.add_argument("--community", metavar="C")
    purge.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))

    commands.add_parser("list", help=_("list the meetings, in progress first"),
                        description=_("List the meetings in the data folder."))
    doctor = commands.add_parser(
        "doctor", help=_("check the data folder"),
        description=_("Check the data folder for unreadable files, stale locks and orphaned "
                      "drafts. Changes nothing unless --repair is given."))
    doctor.add_argument("--repair", action="store_true",
                        help=_("fix what can be fixed safely (nothing is deleted that holds "
                               "notes: unreadable files are moved aside)"))
    return parser


def interface_language(argv: Sequence[str], settings: dict[str, str]) -> str:
    """--lang, else the config file, else the system locale. Read before the real parser is
    built, since its help texts are translated as it is made; the options that take a value
    come from a first build of the parser, so a new one can never be mistaken for a command."""
    parser = build_parser()
    with_value = {option for action in parser._actions if action.nargs != 0
                  for option in action.option_strings}
    return choose_language(cli_language(argv, with_value), settings, os.environ)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code. No traceback ever reaches the user: an
    unexpected error prints a short message and leaves a report (tui/crash.py)."""
    _tolerant_output()
    try:
        code = _run(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # here, so that a closed pipe is noticed while we can still handle it
    except BrokenPipeError:
        return _after_broken_pipe()
    except KeyboardInterrupt:
        return 130  # as a shell reports ctrl+c; nothing half-written: every save is atomic
    except StoreError as error:
        _say_error(error.message)
        return 1
    except Exception as error:
        from kring.tui.crash import crash_message, write_crash_log

        _say_error(crash_message(write_crash_log(error)))
        return 70  # EX_SOFTWARE: a bug, not something the user did
    return code


def _tolerant_output() -> None:
    """Any output encoding works (PYTHONIOENCODING=ascii, a Windows code page): a character
    it lacks prints as '?' rather than stopping the command halfway."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _after_broken_pipe() -> int:
    """The reader went away (``kring actions | head``): stop quietly. Python's "Note on
    SIGPIPE": point stdout at devnull so the flush at exit does not fail a second time."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def _say_error(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def _run(argv: list[str]) -> int:
    settings, config_problem = load_config(config_dir())
    language = interface_language(argv, settings)
    use_language(language)
    parser = build_parser()
    args = parser.parse_args(argv)
    if config_problem is not None:
        # Again, now that the interface speaks its language; a broken config never stops Kring.
        _say_error("⚠ " + (load_config(config_dir())[1] or config_problem))
    context = Context(
        data=data_dir(args.data),
        user_templates=user_templates_dir(),
        extra_templates=[Path(d).expanduser() for d in args.templates],
        language=language,
        minutes=_minutes_folder(args.minutes, settings),
        minutes_html=settings.get("html", "").casefold() in {"true", "yes", "1"},
    )
    if args.command == "templates":
        return templates_command(context, args)
    problem = data_dir_problem(context.data)
    if problem is not None:
        _say_error(problem)
        return 2
    if args.command == "list":
        return list_meetings(context)
    if args.command == "community":
        return community_command(context, args)
    if args.command == "export":
        return export_command(context, args.meeting, args.format, args.out)
    if args.command == "actions":
        return actions_command(context, args)
    if args.command == "journal":
        return journal_command(context, args.community, args.person, args.out)
    if args.command == "purge":
        return purge_command(context, args.before, args.community, args.yes)
    if args.command == "doctor":
        return doctor_command(context, repair=args.repair)
    return run_app(context)


def run_app(context: Context) -> int:
    from kring.tui.app import create_app  # deferred: the sub-commands never pay for Textual

    create_app(context.data, language=context.language or "en",
               template_dirs=[context.user_templates, *context.extra_templates],
               minutes=context.minutes, minutes_html=context.minutes_html).run()
    return 0


# -- kring list, kring doctor ------------------------------------------------------------------


def list_meetings(context: Context) -> int:
    from kring.sessions.model.meeting import Status
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    meetings = store.list_meetings()
    _warn_unreadable(context, store, meetings)
    if not meetings:
        context.out.print(_("No meetings yet in {folder}. Start one with 'kring'.")
                          .format(folder=context.data), markup=False, highlight=False)
        return 0
    _suggest_purges(context, store)
    table = Table(title=_("Meetings"), title_justify="left")
    for header in (_("id"), _("date"), _("community"), _("case"), _("protocol"), _("status")):
        table.add_column(header, no_wrap=header in {_("id"), _("date")})
    in_progress = Status.IN_PROGRESS.value
    ordered = sorted(meetings, key=lambda m: m.get("status") != in_progress)  # stable
    for summary in ordered:
        status = summary.get("status", "")
        table.add_row(summary["id"], summary.get("date", ""), summary.get("community", ""),
                      summary.get("case", ""), summary.get("protocol", ""),
                      _("in progress") if status == in_progress else _("ended"))
    context.out.print(table)
    return 0


def _warn_unreadable(context: Context, store: Store,
                     listed: list[dict[str, Any]] | None = None) -> None:
    """One line per meeting (or other file) that is there but could not be read, so that a
    meeting never silently goes missing from a list."""
    from kring.sessions.documents.export import unreadable_meetings, unreadable_reason

    if listed is None:
        listed = store.list_meetings()
    reported: set[str] = set()
    for problem in store.problems:
        context.err.print(f"⚠ {problem.message}", markup=False, highlight=False)
        if problem.meeting_id is not None:
            reported.add(problem.meeting_id)
    for meeting_id in unreadable_meetings(store, {str(m["id"]) for m in listed}):
        if meeting_id not in reported:
            context.err.print(f"⚠ {unreadable_reason(store, meeting_id)}", markup=False,
                              highlight=False)


def _minutes_folder(option: str | None, settings: dict[str, str]) -> Path | None:
    """--minutes DIR, else the config file's ``minutes = "DIR"``, else the default."""
    chosen = option or settings.get("minutes")
    return Path(chosen).expanduser() if chosen else None


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date like 2026-01-01").format(text=text)) from None


def _today() -> date:
    return datetime.now().astimezone().date()


def actions_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.care.followup import action_rows, actions, actions_markdown
    from kring.sessions.store.facade import Store

    today = _today()
    language = context.language or "en"
    store = Store(context.data)
    items = actions(store, today=today, community=args.community,
                    owner=args.owner, status=args.status)
    _warn_unreadable(context, store)
    if args.format == "md":
        sys.stdout.write(actions_markdown(items, today, language, real_names=args.real_names))
        return 0
    if not items:
        context.out.print(_("No action points found."), highlight=False)
        return 0
    table = Table(title=_("Action points"), title_justify="left")
    for header in (_("due"), _("owner"), _("action"), _("status"), _("from")):
        table.add_column(header, no_wrap=header == _("due"))
    for row in action_rows(items, today, language, real_names=args.real_names):
        style = "bold red" if row.overdue else None
        due = row.due + (" " + _("overdue") if row.overdue else "")
        table.add_row(due, row.owner, row.text, row.status,
                      f"{row.meeting_date} {row.community}", style=style)
    context.out.print(table)
    return 0


def journal_command(context: Context, community: str, person: str | None,
                    out: str | None) -> int:
    from kring.sessions.documents.journal import journal_markdown
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    text = journal_markdown(store, community, person=person, language=context.language or "en")
    _warn_unreadable(context, store)
    if out is None or out == "-":
        sys.stdout.write(text)
        return 0
    target = Path(out).expanduser()
    if not _write_out(context, target, text, _("the journal")):
        return 1
    context.out.print(_("Journal written to {path}").format(path=target), markup=False,
                      highlight=False)
    return 0


def _write_out(context: Context, target: Path, text: str, what: str) -> bool:
    """Write a file named with --out: 0600, atomically, never through a link or onto a
    device. False (the reason told) when it could not be written."""
    from kring.sessions.errors import SaveError
    from kring.sessions.store.files.atomic import write_user_file

    try:
        write_user_file(target, text.encode("utf-8"), what)
    except SaveError as error:
        _say_error(_("Could not write {path}: {reason}").format(path=target, reason=error.reason))
        return False
    except StoreError as error:
        _say_error(error.message)
        return False
    return True


def purge_command(context: Context, before: date, community: str | None, yes: bool) -> int:
    from kring.sessions.care.purge import execute, plan_purge
    from kring.sessions.documents.filenames import default_minutes_dir
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    plan = plan_purge(context.data, before=before, community=community,
                      minutes_dir=context.minutes or default_minutes_dir(context.data))
    say = context.out.print
    if plan.empty:
        say(_("Nothing to remove: no meetings before {date}.").format(
            date=long_date(before, context.language or "en")),
            highlight=False)
        return 0
    # Ids, dates and communities only: case titles may name a pupil.
    for meeting in plan.meetings:
        warning = "  " + _("(still in progress)") if meeting.in_progress else ""
        say(f"  {meeting.meeting_id}  {meeting.date.isoformat()}  {meeting.community}{warning}",
            markup=False, highlight=False)
    say(_("{meetings} meetings, {files} files in all (drafts, backups, set-aside copies and "
          "exported minutes included).").format(meetings=len(plan.meetings),
                                                 files=len(plan.files)), highlight=False)
    for path in plan.unsure:
        say(_("Kept, as it may belong to another meeting: {path}").format(path=path.name),
            markup=False, highlight=False)
    if not yes:
        if not sys.stdin.isatty():
            context.err.print(_("Not removed: confirm with --yes when not at a terminal."),
                              highlight=False)
            return 1
        answer = input(_("Remove them for good? Type 'yes' to confirm: "))
        if answer.strip().casefold() not in {"yes", _("yes").casefold()}:
            say(_("Nothing was removed."), highlight=False)
            return 1
    report = execute(plan, store)
    say(_("Removed {files} files of {meetings} meetings.").format(
        files=len(report.removed), meetings=len(report.meetings)), highlight=False)
    for meeting_id, why in report.kept:
        say(_("Kept {id}: {why}").format(id=meeting_id, why=why), markup=False,
            highlight=False)
    for path, why in report.failed:
        say(_("Could not remove {path}: {why}").format(path=path, why=why), markup=False,
            highlight=False)
    return 0 if report.complete else 1


def export_command(context: Context, ref: str, format: str, out: str | None) -> int:
    from kring.sessions.documents.export import render_minutes, resolve_meeting
    from kring.sessions.documents.filenames import default_minutes_dir, write_minutes
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    try:
        meeting_id = resolve_meeting(store, ref)
        if out is None:
            record = store.load(meeting_id)
            folder = context.minutes or default_minutes_dir(context.data)
            paths = write_minutes(folder, record.meeting, record.entries,
                                  html=format == "html" or context.minutes_html)
            for path in paths:
                context.out.print(_("Minutes written to {path}").format(path=path),
                                  markup=False, highlight=False)
            return 0
        rendered = render_minutes(store, meeting_id, format)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    if out == "-":
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
        return 0
    target = Path(out).expanduser()
    if not _write_out(context, target, rendered.text, _("the minutes")):
        return 1
    context.out.print(_("Minutes written to {path}").format(path=target), markup=False,
                      highlight=False)
    return 0


def community_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.model.community import MAX_RETENTION_DAYS
    from kring.sessions.store import rosters
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    say = context.out.print
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
        elif args.action == "show":
            shown = rosters.find_community(store, args.name)
            if shown is None:
                context.err.print(_("There is no community called '{name}'.").format(
                    name=args.name), markup=False, highlight=False)
                return 1
            say(shown.name, style="bold", markup=False, highlight=False)
            for member in shown.members:
                say(f"  {member}", markup=False, highlight=False)
        else:
            communities = store.communities()
            if not communities:
                say(_("No communities yet: they are made when a meeting is set up, or with "
                      "'kring community add-member NAME MEMBER'."), highlight=False)
            for item in communities:
                say(_("{name} ({count} members)").format(name=item.name,
                                                       count=len(item.members)),
                    markup=False, highlight=False)
    except StoreError as error:
        context.err.print(error.message, markup=False, highlight=False)
        return 1
    return 0


def _suggest_purges(context: Context, store: Store) -> None:
    from kring.sessions.care.purge import suggest_purge

    try:
        suggestions = suggest_purge(store, _today())
    except StoreError as error:  # the communities cannot be read: the list still shows
        context.err.print(f"⚠ {error.message}", markup=False, highlight=False)
        return
    for community, cutoff in suggestions:
        context.err.print(_("{community} keeps meetings for a limited time; older ones can go: "
                            "kring purge --before {date} --community \"{community}\"").format(
            community=community, date=cutoff.isoformat()), markup=False, highlight=False,
            soft_wrap=True)  # the command must stay copyable in one piece


def doctor_command(context: Context, repair: bool) -> int:
    from kring.sessions.care import doctor

    report = doctor.repair(context.data) if repair else doctor.check(context.data)
    print_ = context.out.print
    print_(_("Data folder: {folder}").format(folder=context.data), markup=False, highlight=False)
    if not report.findings:
        print_(_("Everything is in order."), highlight=False)
    for finding in report.findings:
        print_(f"• {finding.detail}", markup=False, highlight=False)
    for done in report.repaired:
        print_(f"✓ {done}", markup=False, highlight=False)
    for failed in report.failed:
        print_(f"✗ {failed}", markup=False, highlight=False)
    if not report.healthy and not repair:
        print_(_("Nothing was changed. 'kring doctor --repair' fixes what can be fixed safely."),
               highlight=False)
    return 1 if report.failed or (not repair and not report.healthy) else 0


# -- kring templates ---------------------------------------------------------------------------


def templates_command(context: Context, args: argparse.Namespace) -> int:
    if args.action == "validate":
        return validate_templates(context, [Path(f) for f in args.files])
    catalog = context.catalog()
    for problem in catalog.problems:
        context.err.print(f"[yellow]{_('skipped')}[/]: {problem}", highlight=False, markup=True)
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
    context.out.print(f"[bold]{protocol.name}[/]  ({protocol.id}, {protocol.language})")
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
            table.add_row("", f"[bold]{item.title}[/] ({_('repeated for each participant')})",
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
        context.out.print(_("{file}: ok ({name}, {count} phases)").format(
            file=path, name=protocol.name, count=len(protocol.phases())),
            markup=False, highlight=False)
    return 1 if failed else 0


def new_template(context: Context, catalog: Catalog, ident: str, source: str | None,
                 language: str | None) -> int:
    from kring.sessions.errors import SaveError
    from kring.sessions.protocols.templates import ID_PATTERN
    from kring.sessions.store.files.atomic import describe_read

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
    from kring.sessions.protocols.templates import MAX_BYTES
    from kring.sessions.store.files.atomic import ensure_private_dir, read_limited, write_user_file

    try:
        text = read_limited(base.path, MAX_BYTES)[0].decode("utf-8-sig")
        text = re.sub(r'(?m)^id\s*=\s*"[^"\n]*"', f'id = "{ident}"', text, count=1)
        ensure_private_dir(target.parent, str(target.parent))
        write_user_file(target, text.encode("utf-8"), str(target))
    except (OSError, UnicodeDecodeError) as error:  # the file changed since it was loaded
        _say_error(_("Could not read {path}: {reason}").format(
            path=base.path, reason=describe_read(error) if isinstance(error, OSError)
            else _("it is not UTF-8 text")))
        return 1
    except SaveError as error:
        _say_error(_("Could not write {path}: {reason}").format(path=target, reason=error.reason))
        return 1
    context.out.print(_("Created {file} from '{base}'. Edit it, then check it with "
                        "'kring templates validate {file}'.").format(
        file=target, base=base.protocol.id), markup=False, highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
