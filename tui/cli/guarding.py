"""The privacy guard before something leaves this laptop (``kring carry``, ``kring research``):
what it finds that nobody protected is listed, and the command refuses unless
``--accept-findings`` says a person looked. The guard is loaded once a process (seconds, a
gigabyte) and says so on stderr, so a report on stdout stays clean."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kring.sessions.i18n import _, ngettext
from kring.sessions.model.meeting import MeetingWithEntries
from kring.tui.cli.context import Context, today

if TYPE_CHECKING:
    from kring.sessions.guard.engine import Engine

FINDINGS = 3  # the exit status that says: look first (as kring check's)

STAGES = {
    "building": lambda: _("The privacy guard is building its lists of names and places: "
                          "the first time only, a few minutes…"),
    "loading": lambda: _("Loading the privacy guard…"),
}


_LOADED: dict[Path, Engine] = {}  # a process loads the guard once: it is a gigabyte


def engine(context: Context, state: Path) -> Engine:
    """The loaded spotter; raises OSError, ImportError or MemoryError when it cannot run."""
    from kring.sessions.guard.engine import Engine

    if state not in _LOADED:
        _LOADED[state] = Engine.load(state, lambda stage: context.err.print(
            STAGES[stage](), markup=False, highlight=False))
    return _LOADED[state]


def refused_for_findings(context: Context, state: Path, records: Sequence[MeetingWithEntries],
                         dismissed: Sequence[str], *, accepted: bool, what: str) -> int | None:
    """None to go on; else the exit status, the findings (or why the guard cannot look)
    said on stderr. ``what`` names what would leave ("the research export")."""
    from kring.sessions.guard.kinds import KINDS
    from kring.sessions.guard.meeting import meeting_findings

    say = context.err.print
    try:
        spotter = engine(context, state)
    except (OSError, ImportError, MemoryError) as error:
        say(_("The privacy guard cannot run here: {why}").format(why=error), markup=False,
            highlight=False)
        if accepted:
            return None
        say(_("{what} is not written while nobody could look for unprotected names: "
              "--accept-findings writes it all the same.").format(what=what),
            markup=False, highlight=False)
        return 1
    found = [(record, finding) for record in records
             for finding in meeting_findings(record, spotter.spot, today=today(),
                                             dismissed=dismissed)]
    if not found:
        return None
    say(ngettext("The privacy guard found {count} thing nobody protected:",
                 "The privacy guard found {count} things nobody protected:",
                 len(found)).format(count=len(found)), markup=False, highlight=False)
    for record, finding in found:
        say(f"  {record.meeting.id[:8]} {finding.where}: {finding.span.text} "
            f"({_(KINDS[finding.kind].label)})", markup=False, highlight=False)
    if accepted:
        say(_("Written all the same: --accept-findings says a person looked."),
            markup=False, highlight=False)
        return None
    say(_("{what} is not written. Protect the names (F8 in the meeting, or ctrl+f on the "
          "entry), dismiss what is nobody (ctrl+d), or give --accept-findings once a person "
          "has looked; 'kring check ID' lists them.").format(what=what),
        markup=False, highlight=False)
    return FINDINGS
