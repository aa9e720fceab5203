"""What every command shares: where things are, how a command reports a problem, and what it
has saved by the time its output may fail."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.plain import plain

if TYPE_CHECKING:
    from kring.sessions.protocols.catalog import Catalog
    from kring.sessions.store.facade import Store
    from kring.sessions.store.summary import MeetingSummary


@dataclass
class Context:
    """What every command needs to know about where things are."""

    data: Path
    user_templates: Path
    minutes: Path | None = None
    minutes_html: bool = False
    bell: bool = True  # a phase's last minute and its end ring the terminal bell
    flash: bool = True  # a phase's end flashes the timer
    guard: bool = True  # the privacy guard looks at what is typed in a meeting
    extra_templates: list[Path] = field(default_factory=list)
    language: str | None = None
    out: Console = field(default_factory=lambda: _console(stderr=False))
    err: Console = field(default_factory=lambda: _console(stderr=True))

    def catalog(self) -> Catalog:
        # Imported here: the app and most commands never read a template.
        from kring.sessions.protocols.catalog import load_catalog
        from kring.templates import BUILTIN_DIR

        return load_catalog(BUILTIN_DIR, [self.user_templates, *self.extra_templates])


def say_error(message: str) -> None:
    """A message on stderr that never fails itself: stderr may be closed or unencodable."""
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def community_named(store: Store, name: str) -> str | None:
    """The community ``name`` means, ignoring case and accents: one on record in the
    communities file, else one that meetings were held by; None when there is none."""
    from kring.sessions.model.name_variants import fold
    from kring.sessions.store.rosters import find_community

    with contextlib.suppress(StoreError):  # an unreadable communities file: the meetings say
        found = find_community(store, name)
        if found is not None:
            return found.name
    wanted = fold(name)
    return next((summary.community for summary in store.list_meetings()
                 if fold(summary.community) == wanted), None)


def no_such_community(store: Store, name: str) -> int:
    """Say that there is no community ``name`` (and which one was perhaps meant); the exit
    status of a command that was given it."""
    import difflib

    from kring.sessions.model.name_variants import fold

    known: dict[str, str] = {}
    with contextlib.suppress(StoreError):
        known = {fold(c.name): c.name for c in store.communities()}
    held = {fold(s.community): s.community for s in store.list_meetings()
            if fold(s.community) not in known}
    if fold(name) in held:  # meetings were held by it, before Kring kept rosters
        say_error(_("'{name}' held meetings but has no roster yet: 'kring community "
                    "add-member' starts one.").format(name=held[fold(name)]))
        return 1
    say_error(_("There is no community called '{name}'.").format(name=name))
    known |= held
    close = difflib.get_close_matches(fold(name), list(known), n=1, cutoff=0.6)
    if close:
        say_error(_("Did you mean '{name}'?").format(name=known[close[0]]))
    else:
        say_error(_("'kring community list' lists the communities."))
    return 1


def today() -> date:
    return datetime.now().astimezone().date()


def write_out(target: Path, text: str | bytes, what: str) -> bool:
    """Write a file named with --out (text as UTF-8): 0600, atomically, never through a link
    or onto a device. False (the reason told) when it could not be written."""
    from kring.sessions.errors import SaveError
    from kring.sessions.store.private_files import write_private_file

    try:
        # Made absolute here: a bare name ("a.ics") has no folder part, and the folder is what
        # gets synced after the write, so the file was written and then reported as failed.
        write_private_file(target.absolute(),
                           text.encode("utf-8") if isinstance(text, str) else text, what)
    except SaveError as error:
        say_error(_("Could not write {path}: {reason}").format(path=target, reason=error.reason))
        return False
    except StoreError as error:
        say_error(error.message)
        return False
    note_saved(str(target))
    return True


def warn_unreadable(context: Context, store: Store,
                    listed: list[MeetingSummary] | None = None) -> None:
    """One line per meeting (or other file) that is there but could not be read, so that a
    meeting never silently goes missing from a list.

    Bringing the index up to date (any list or cross-meeting view) reports every meeting
    whose logs do not read in ``store.problems``; with ``listed`` the meetings that are there
    but not in it are looked for as well."""
    from kring.sessions.documents.export import unreadable_meetings, unreadable_reason

    reported: set[str] = set()
    for problem in store.problems:
        context.err.print(f"⚠ {problem.message}", markup=False, highlight=False)
        if problem.meeting_id is not None:
            reported.add(problem.meeting_id)
    if listed is None:
        return
    for meeting_id in unreadable_meetings(store, {summary.id for summary in listed}):
        if meeting_id not in reported:
            context.err.print(f"⚠ {unreadable_reason(store, meeting_id)}", markup=False,
                              highlight=False)


def _console(*, stderr: bool) -> Console:
    """Wrapped to the terminal's width in a terminal; in a pipe or a file, each message stays
    one line, so a path in it is never broken in two (and a script can grep for it)."""
    stream = sys.stderr if stderr else sys.stdout
    # Nothing printed is read as markup, emoji codes or something to highlight unless a call
    # asks for it: names and titles are typed by people, and "[/]" or ":x:" in one must show
    # as typed (Rich tables render their text cells with these settings too).
    return PlainConsole(stderr=stderr, soft_wrap=not stream.isatty(), markup=False,
                        emoji=False, highlight=False)


class PlainConsole(Console):
    """A console that prints text as plain (sessions/plain.py): the last guard, after text
    was made plain where it came in, for what came from somewhere else (a synced log, a
    file): nothing printed steers the terminal."""

    def print(self, *objects: Any, **options: Any) -> None:
        super().print(*(plain(item) if isinstance(item, str) else item for item in objects),
                      **options)


# -- output that fails after a save ----------------------------------------------------------


class OutputFailed(Exception):
    """Standard output could not be written (its reader went away, the disk it goes to is
    full, it was closed). Raised instead of the OSError, so that the runner can tell a failed
    report from any other I/O error, which would be a bug."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


class _Ledger:
    """What the running command has saved so far, each as a phrase for the user ("meeting
    3fa2", a file's path): when its report cannot be printed afterwards, the runner says the
    data is saved, so that a script does not run the command (and add the line) again."""

    def __init__(self) -> None:
        self.saved: list[str] = []
        # For a command that prints only once its change is saved, but does not say what it
        # saved: what to call the change should its output fail.
        self.before_any_output: str | None = None


_ledger = _Ledger()


def note_saved(what: str) -> None:
    _ledger.saved.append(what)


def reports_after_saving(what: str) -> None:
    """The running command prints nothing to standard output before ``what`` is saved, so
    output that fails means ``what`` is saved."""
    _ledger.before_any_output = what


def saved_so_far() -> list[str]:
    return list(_ledger.saved)


def saved_before_output() -> list[str]:
    """What is saved, as far as the command's output can tell, when that output failed."""
    fallback = [] if _ledger.before_any_output is None else [_ledger.before_any_output]
    return saved_so_far() or fallback


def output_problem(error: OSError) -> str:
    """Why standard output failed, as the end of a sentence for the user."""
    if error.errno in (errno.EPIPE, errno.EBADF, errno.ECONNRESET):
        return _("standard output was closed.")
    if error.errno == errno.ENOSPC:
        return _("the disk is full.")
    if error.errno == getattr(errno, "EDQUOT", -1):
        return _("your disk quota is used up.")
    detail = os.strerror(error.errno) if error.errno else type(error).__name__
    return _("the system refused ({detail}).").format(detail=detail)


@contextlib.contextmanager
def command_output() -> Iterator[None]:
    """Run a command with a fresh ledger, its standard output raising OutputFailed when it
    fails, and standard error always there to say so."""
    global _ledger
    _ledger = _Ledger()  # one command per call of main, in tests too
    before_out, before_err = sys.stdout, sys.stderr
    sys.stdout = _GuardedOutput(before_out if before_out is not None else _ClosedOutput())
    if before_err is None:  # started with stderr closed: the messages go nowhere, quietly
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    try:
        yield
    finally:
        sys.stdout, sys.stderr = before_out, before_err


class _GuardedOutput:
    """Standard output whose writes raise OutputFailed rather than OSError; anything else
    (isatty, encoding, fileno) is the stream's own, so Rich and print see no difference."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        return _guarded(self._stream.write, data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        _guarded(self._stream.flush)

    @property
    def buffer(self) -> _GuardedOutput:
        return _GuardedOutput(self._stream.buffer)  # AttributeError when it has none

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guarded(write: Callable[..., Any], *args: Any) -> Any:
    try:
        return write(*args)
    except OSError as error:
        raise OutputFailed(error) from error


class _ClosedOutput(io.TextIOBase):
    """Standard output that was closed before Kring started (``kring add ... >&-``): Python
    leaves sys.stdout None then. Writing to it fails as writing to a closed file does."""

    encoding = "utf-8"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
