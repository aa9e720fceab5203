"""The ``kring`` command line as argparse sees it: every command, option and help text.

argparse's own words ("usage:", "options:", the --help line) come from Kring's catalog like
every other text, so the parser is built after the interface language is chosen; the language
itself is read from the arguments first (``interface_language``) by a parser built once in
English, which is only asked which options take a value.

The full parser (every command's help) is built once per run; ``kring`` alone, the app, needs
only the options before a command (``global_parser``), so starting the app builds no command's
parser and imports none of their modules.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, NoReturn

from kring.sessions.i18n import _
from kring.sessions.language import choose_language, cli_language

LANGUAGES = ["en", "nl"]
SHELLS = ["bash", "zsh", "fish"]
# An example (a variable) longer than this puts its explanation on the next line, so that the
# explanations of the short ones stay in one column and no line runs past a normal terminal.
EXAMPLE_COLUMN = 34
VARIABLE_COLUMN = 12
MOST_LISTED = 1_000_000  # --limit: far beyond any real archive, far within the index's integers


def kring_version() -> str:
    # importlib.metadata (and the email package it reads metadata with) costs tens of
    # milliseconds at start-up: only --version pays for it.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kring")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


class _VersionAction(argparse.Action):
    """argparse's "version" action, with the version looked up only when it is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"kring {kring_version()}")
        parser.exit()


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        # An epilog laid out in lines by ``epilog`` keeps its columns; a description (one
        # paragraph, no newline) is wrapped to the terminal as argparse always does.
        if "\n" in text:
            return "\n".join(indent + line if line else "" for line in text.splitlines())
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    """argparse's own words ("usage:", "options:", the --help line) from Kring's catalog too;
    the sub-commands' parsers are of this class as well, so theirs are translated alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, **{**kwargs, "add_help": False})
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help",
                              help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n")


def epilog(examples: Sequence[tuple[str, str]],
           environment: Sequence[tuple[str, str]] = ()) -> str:
    """The end of a help page: commands to copy, each with what it does, and the environment
    variables read. Built from one translated string per line, so that no catalog entry holds
    a layout (or a newline) a translator would have to keep intact."""
    lines = [_("examples:")]
    lines += _columns(examples, EXAMPLE_COLUMN)
    if environment:
        lines += ["", _("environment variables:")]
        lines += _columns(environment, VARIABLE_COLUMN)
    return "\n".join(lines)


def _columns(rows: Sequence[tuple[str, str]], column: int) -> list[str]:
    # The column is as wide as the longest left side that fits; when none fits, the
    # explanations sit just indented under their example.
    width = max((len(left) for left, _right in rows if len(left) <= column), default=2)
    lines = []
    for left, right in rows:
        if len(left) > width:
            lines += [f"  {left}", f"  {'':{width}}  {right}"]
        else:
            lines.append(f"  {left:{width}}  {right}")
    return lines


def _environment() -> list[tuple[str, str]]:
    """Every variable Kring itself reads (sessions/paths.py, sessions/language.py)."""
    return [
        ("KRING_DATA", _("the data folder; --data overrides it")),
        ("KRING_CONFIG", _("the config folder: config.toml and your own templates")),
        ("KRING_STATE", _("the state folder; crash reports go into its logs/ folder")),
        ("KRING_GUARD_CACHE", _("the privacy guard's lists (default: guard/ in the state "
                                "folder)")),
        ("KRING_GUARD", _("off: no privacy guard in meetings and kring export (as guard = "
                          "false in config.toml)")),
        ("LANGUAGE, LC_ALL, LC_MESSAGES, LANG",
         _("the interface language, when neither --lang nor config.toml chooses one")),
    ]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full command line; with ``only``, the parser of that one command alone (all that
    reading its arguments takes: the others' parsers, and the modules some of them import,
    are not made)."""
    parser = _Parser(
        prog="kring",
        description=_("Guides live peer case-consultation meetings and writes their minutes."),
        epilog=epilog([
            ("kring", _("start the app (F1 there shows every key)")),
            ("kring list", _("the meetings, those in progress first")),
            ("kring export latest", _("write the minutes of the latest meeting")),
            ("kring --lang nl templates", _("the protocols, in Dutch")),
            ("kring COMMAND --help", _("the options and examples of one command")),
            ("kring completion bash", _("tab completion for your shell ('completion --help')")),
        ], _environment()),
    )
    _add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     help=_("what to do; without one, the app starts"))
    from kring.tui.cli import commands as registry

    registry.add_arguments(commands, epilog, None if only is None else {only})
    return parser


def command_names() -> tuple[str, ...]:
    """Every command, without building a parser."""
    from kring.tui.cli.commands import NAMES

    return NAMES


def global_parser() -> argparse.ArgumentParser:
    """Only the options that come before a command: what ``kring`` alone (the app) needs,
    and where ``interface_language`` learns which of them take a value."""
    parser = _Parser(prog="kring")
    _add_global_options(parser)
    parser.set_defaults(command=None)
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The command line read by the one parser it needs: nothing to read (the app) needs no
    command's parser; a command, its own parser only; anything else (no command, or none
    Kring knows) the full one, with every command in its help and its errors."""
    if not argv:
        return global_parser().parse_args([])
    command = _command_in(argv)
    only = command if command in command_names() else None
    return build_parser(only).parse_args(list(argv))


def _command_in(argv: Sequence[str]) -> str | None:
    """The command in a command line: its first word that is no option before it nor an
    option's value (the options that take one: ``global_parser``'s)."""
    with_value = {option for action in global_parser()._actions if action.nargs != 0
                  for option in action.option_strings}
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return next(tokens, None)
        if not token.startswith("-"):
            return token
        name, has_value, _value = token.partition("=")
        if name == "-h" or (len(name) > 2 and "--help".startswith(name)):
            return None  # the main help lists every command: the full parser
        # argparse also takes an unambiguous abbreviation (--dat DIR).
        known = [full for full in with_value if len(name) > 2 and full.startswith(name)]
        if len(known) == 1 and not has_value:
            next(tokens, None)  # the option's value
    return None


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action=_VersionAction,
                        help=_("show Kring's version and exit"))
    parser.add_argument("--data", metavar="DIR",
                        help=_("data folder (default: KRING_DATA, else your user data folder)"))
    parser.add_argument("--templates", metavar="DIR", action="append", default=[],
                        help=_("also read protocol templates from this folder (repeatable)"))
    parser.add_argument("--minutes", metavar="DIR",
                        help=_("where minutes are written (default: minutes/ in the data "
                               "folder)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of the interface"))



def whole_number(text: str) -> int:
    """A whole number typed as an option's value, or argparse's usage error (exit status 2)
    saying why. The caller checks the range it allows: an unbounded number reaching the
    index or a date computation overflows there, as an unexpected error."""
    try:
        return int(text.strip())
    except ValueError:  # also for more digits than Python reads (sys.get_int_max_str_digits)
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a whole number, like 50").format(text=text)) from None


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


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a date like 2026-01-01").format(text=text)) from None


def add_period(command: Any) -> None:
    """``--from`` and ``--to``: the meetings of a period, both days included, as ``start`` and
    ``end``; ``period_problem`` says when they are the wrong way round."""
    command.add_argument("--from", dest="start", metavar="DATE", type=iso_date,
                         help=_("only meetings on or after this date, e.g. 2026-01-01"))
    command.add_argument("--to", dest="end", metavar="DATE", type=iso_date,
                         help=_("only meetings on or before this date, e.g. 2026-06-30"))


def period_problem(args: argparse.Namespace) -> str | None:
    if args.start is not None and args.end is not None and args.start > args.end:
        return _("The period ends before it starts: --to is earlier than --from.")
    return None


def interface_language(argv: Sequence[str], settings: dict[str, str]) -> str:
    """--lang, else the config file, else the system locale. Read before the real parser is
    built, since its help texts are translated as it is made; the options that take a value
    come from the same options the real parser has (``_add_global_options``), so a new one can
    never be mistaken for a command. Only options before the command count."""
    parser = global_parser()
    with_value = {option for action in parser._actions if action.nargs != 0
                  for option in action.option_strings}
    return choose_language(cli_language(argv, with_value), settings, os.environ)
