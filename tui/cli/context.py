"""What every command shares: where things are, and how a command reports a problem."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _

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
    from kring.sessions.model.privacy import fold
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

    from kring.sessions.model.privacy import fold

    say_error(_("There is no community called '{name}'.").format(name=name))
    known: dict[str, str] = {}
    with contextlib.suppress(StoreError):
        known = {fold(c.name): c.name for c in store.communities()}
    known |= {fold(s.community): s.community for s in store.list_meetings()
              if fold(s.community) not in known}
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
        write_private_file(target, text.encode("utf-8") if isinstance(text, str) else text,
                           what)
    except SaveError as error:
        say_error(_("Could not write {path}: {reason}").format(path=target, reason=error.reason))
        return False
    except StoreError as error:
        say_error(error.message)
        return False
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
    return Console(stderr=stderr, soft_wrap=not stream.isatty(), markup=False, emoji=False,
                   highlight=False)
