"""The privacy guard before something leaves this laptop: what it finds that nobody protected
is listed; ``kring carry`` and ``kring research`` refuse unless ``--accept-findings`` says a
person looked, ``kring export`` writes the minutes and says in them what the guard made of
the meeting. The guard is loaded once a process (seconds, a
gigabyte) and says so on stderr, so a report on stdout stays clean."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.model.meeting import MeetingWithEntries
from kring.tui.cli.context import Context, today

if TYPE_CHECKING:
    from kring.sessions.guard.engine import Engine
    from kring.sessions.guard.meeting import Finding, Verdict
    from kring.sessions.store.facade import Store

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
    say = _say(context)
    found = _looked_over(context, state, records, dismissed)
    if found is None:
        if accepted:
            return None
        say(_("{what} is not written while nobody could look for unprotected names: "
              "--accept-findings writes it all the same.").format(what=what))
        return 1
    if not found:
        return None
    _list(context, found)
    if accepted:
        say(_("Written all the same: --accept-findings says a person looked."))
        return None
    say(_("{what} is not written. Protect the names (F8 in the meeting, or ctrl+f on the "
          "entry), dismiss what is nobody (ctrl+d), or give --accept-findings once a person "
          "has looked; 'kring check ID' lists them.").format(what=what))
    return FINDINGS


def verdict_on_minutes(context: Context, store: Store, record: MeetingWithEntries) -> Verdict:
    """What the minutes say of the guard (their front matter). Minutes are the meeting's own
    record, written whatever is found: the findings are listed on stderr, never refused."""
    from kring.sessions.guard.meeting import Verdict

    if not context.guard:
        return Verdict.OFF
    found = _looked_over(context, store.layout.state, [record],
                         dismissed_of(store, record.meeting.community))
    if found is None:
        return Verdict.OFF
    if found:
        _list(context, found)
        _say(context)(_("They are in the minutes as typed. Protect the names (ctrl+f on the "
                        "entry in the meeting, or F8) and export again."))
    return Verdict.of(found)


def dismissed_of(store: Store, community: str) -> list[str]:
    """What the community dismissed; nothing when its record cannot be read (a damaged
    communities file): the guard then asks about more, never less, and the meeting's own
    commands still work."""
    from kring.sessions.store.rosters import dismissed_words

    try:
        return dismissed_words(store, community)
    except StoreError:
        return []


Found = list[tuple[MeetingWithEntries, "Finding"]]


def _looked_over(context: Context, state: Path, records: Sequence[MeetingWithEntries],
                 dismissed: Sequence[str]) -> Found | None:
    """What the guard finds in ``records``; None (said why) when it cannot run here."""
    from kring.sessions.guard.meeting import meeting_findings

    try:
        spotter = engine(context, state)
    except (OSError, ImportError, MemoryError) as error:
        _say(context)(_("The privacy guard cannot run here: {why}").format(why=error))
        return None
    return [(record, finding) for record in records
            for finding in meeting_findings(record, spotter.spot, today=today(),
                                            dismissed=dismissed)]


def _list(context: Context, found: Found) -> None:
    from kring.sessions.guard.kinds import KINDS

    say = _say(context)
    say(ngettext("The privacy guard found {count} thing nobody protected:",
                 "The privacy guard found {count} things nobody protected:",
                 len(found)).format(count=len(found)))
    for record, finding in found:
        say(f"  {record.meeting.id[:8]} {finding.where}: {finding.span.text} "
            f"({_(KINDS[finding.kind].label)})")


def _say(context: Context) -> Callable[[str], None]:
    return lambda text: context.err.print(text, markup=False, highlight=False)
