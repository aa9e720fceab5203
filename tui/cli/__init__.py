"""The ``kring`` command: launches the app, or runs one of the sub-commands without a screen.

Each command lives in a module of its own (``listing``, ``export``, ...), imported only when
it runs: ``kring templates`` never pays for Textual, nor ``kring list`` for shtab. The parser
and its help texts are in ``parser``; what every command shares is in ``context``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, use_language
from kring.sessions.language import load_config
from kring.sessions.paths import config_dir, data_dir, data_dir_problem, user_templates_dir
from kring.sessions.plain import plain, plain_line
from kring.tui.cli.context import (
    Context,
    OutputFailed,
    command_output,
    output_problem,
    reports_after_saving,
    saved_before_output,
    saved_so_far,
    say_error,
)
from kring.tui.cli.parser import build_parser, interface_language, parse_arguments
from kring.tui.startup import collect_normally, collect_rarely

__all__ = ["Context", "build_parser", "interface_language", "main"]


# sysexits' EX_IOERR, "an error while doing I/O": the command did what it was asked and saved
# it, and only printing its report failed. Not 1 (which says it was not done), not 70 (a bug)
# and not 75 (EX_TEMPFAIL, which asks to be tried again: that would add a line twice).
SAVED_NOT_REPORTED = 74


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code. No traceback ever reaches the user: an
    unexpected error prints a short message and leaves a report (tui/crash.py)."""
    _tolerant_output()
    collect_rarely()  # until the command is done or the app's home screen is up
    try:
        with command_output():
            code = _run(list(sys.argv[1:] if argv is None else argv))
            sys.stdout.flush()  # here, so that failed output is noticed while we can say so
    except OutputFailed as failure:
        return _after_output_failed(failure.error)
    except KeyboardInterrupt:
        return 130  # as a shell reports ctrl+c; nothing half-written: every save is atomic
    except StoreError as error:
        say_error(error.message)
        saved = saved_so_far()
        if saved:  # e.g. `kring new` stored the meeting, then could not update the roster
            say_error(_("Saved all the same: {what}.").format(what=", ".join(saved)))
        return 1
    except Exception as error:
        from kring.tui.crash import crash_message, write_crash_log

        say_error(crash_message(write_crash_log(error)))
        return 70  # EX_SOFTWARE: a bug, not something the user did
    finally:
        collect_normally()
    return code


def _tolerant_output() -> None:
    """Any output encoding works (PYTHONIOENCODING=ascii, a Windows code page): a character
    it lacks prints as '?' rather than stopping the command halfway."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _after_output_failed(error: OSError) -> int:
    """Standard output failed. When the command had saved something, that is said (it is
    done: running it again would do it twice); else a reader that went away (``kring
    actions | head``) ends it quietly, and any other failure is said."""
    _discard_output()
    saved = saved_before_output()
    if saved:
        say_error(_("Saved: {what}. Only the report after it could not be written: {reason} "
                    "Do not run the command again: it is done.").format(
            what=", ".join(saved), reason=output_problem(error)))
        return SAVED_NOT_REPORTED
    if error.errno not in (errno.EPIPE, errno.EBADF, errno.ECONNRESET):
        say_error(_("Could not write the output: {reason}").format(reason=output_problem(error)))
    return 1


def _discard_output() -> None:
    """Python's "Note on SIGPIPE": point stdout at devnull, so that what is still in its
    buffer does not fail a second time when Python flushes it on the way out."""
    if sys.stdout is None:  # closed before Kring started: nothing buffered for it
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# The arguments that are text people typed and Kring keeps or shows (names, titles, a line):
# made plain as they come in (sessions/plain.py), so an escape sequence in one never reaches a
# log, another laptop's screen or this terminal. A capture line may hold several lines.
TEXT_ARGUMENTS = {"community": plain_line, "member": plain_line, "person": plain_line,
                  "name": plain_line, "title": plain_line, "goal": plain, "focus": plain,
                  "participant": plain_line, "protect": plain_line, "role": plain_line,
                  "consent_of": plain_line, "owner": plain_line, "to": plain_line,
                  "line": plain}


def _plain_arguments(args: argparse.Namespace) -> None:
    for name, made_plain in TEXT_ARGUMENTS.items():
        value = getattr(args, name, None)
        if isinstance(value, str):
            setattr(args, name, made_plain(value))
        elif isinstance(value, list):
            setattr(args, name, [made_plain(item) if isinstance(item, str) else item
                                 for item in value])


OFF = {"false", "no", "0", "off"}  # a setting that is on unless config.toml turns it off


def _run(argv: list[str]) -> int:
    settings, config_problem = load_config(config_dir())
    language = interface_language(argv, settings)
    use_language(language)
    args = parse_arguments(argv)
    _plain_arguments(args)
    if config_problem is not None:
        # Again, now that the interface speaks its language; a broken config never stops Kring.
        say_error("⚠ " + (load_config(config_dir())[1] or config_problem))
    # The registry only when a command was given: ``kring`` alone looks up none.
    command = None
    if args.command is not None:
        from kring.tui.cli import commands

        command = commands.find(args.command)
    if command is not None and command.needs is commands.Needs.NOTHING:
        return commands.run(command, None, args)
    context = Context(
        data=data_dir(args.data),
        user_templates=user_templates_dir(),
        extra_templates=[Path(d).expanduser() for d in args.templates],
        language=language,
        minutes=_minutes_folder(args.minutes, settings),
        minutes_html=settings.get("html", "").casefold() in {"true", "yes", "1"},
        bell=settings.get("bell", "").casefold() not in OFF,
        flash=settings.get("flash", "").casefold() not in OFF,
        # KRING_GUARD=off as well: for one run, or a suite of tests about other things.
        guard=(settings.get("guard", "").casefold() not in OFF
               and os.environ.get("KRING_GUARD", "").casefold() not in OFF),
    )
    if command is not None and command.needs is commands.Needs.SETTINGS:
        return commands.run(command, context, args)
    problem = data_dir_problem(context.data)
    if problem is not None:
        say_error(problem)
        return 2
    if command is not None:
        _expect_report_after_change(args)
        return commands.run(command, context, args)
    from kring.tui.cli import app

    return app.run_app(context)


# Commands that change the data folder and print only once the change is saved, without
# noting what they saved (note_saved) themselves: their failed output means it is saved.
CHANGES_THEN_REPORTS = {("consent", None), ("carry", None), ("community", "add-member"),
                        ("community", "remove-member"), ("community", "retention"),
                        ("community", "plan")}


def _expect_report_after_change(args: argparse.Namespace) -> None:
    if (args.command, getattr(args, "action", None)) in CHANGES_THEN_REPORTS:
        reports_after_saving(_("the change"))


def _minutes_folder(option: str | None, settings: dict[str, str]) -> Path | None:
    """--minutes DIR, else the config file's ``minutes = "DIR"``, else the default."""
    chosen = option or settings.get("minutes")
    return Path(chosen).expanduser() if chosen else None
