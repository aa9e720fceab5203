"""``kring project``: a second window that shows a live meeting to the room.

The facilitator runs the meeting in one terminal; this window, on the projector (a second
monitor, a mirrored display, another tmux window), follows it from the data folder. It reads
and never writes, takes no input that could be lost, and shows only what ``room_view`` lets
the room see: protected names as pseudonyms, no private entries.

``run_projector`` is what the command line calls. Textual is imported only when the window
opens, so a mistyped id is answered at once.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from kring.sessions.errors import NotFoundError, StoreError
from kring.sessions.i18n import _, use_language
from kring.tui.terminal import terminal_problem

__all__ = ["resolve_live_meeting", "run_projector"]


def resolve_live_meeting(data: Path, ref: str) -> str:
    """The id of the meeting ``ref`` means: ``latest`` is the newest meeting still in
    progress (an ended one has nothing left to project); otherwise an id or a unique start
    of one, as ``kring export`` reads it. Raises StoreError with a sentence for people."""
    from kring.sessions.documents.export import resolve_meeting
    from kring.sessions.store.facade import Store

    store = Store(data)
    if ref == "latest":
        running = [summary.id for summary in store.list_meetings() if summary.in_progress]
        if not running:
            raise NotFoundError(_("No meeting is in progress. Start one with 'kring', or "
                                  "name an earlier one: 'kring list' shows them."))
        meeting_id = running[0]  # the list is newest first
    else:
        meeting_id = resolve_meeting(store, ref)
    store.load(meeting_id)  # unreadable: said now, in the terminal, not in an empty window
    return meeting_id


def run_projector(data: Path, ref: str, language: str | None) -> int:
    """Open the projector window on the meeting ``ref`` names in the data folder ``data``;
    the exit status: 1, with a sentence on stderr, when there is no such meeting."""
    if language is not None:
        use_language(language)
    try:
        meeting_id = resolve_live_meeting(data, ref)
    except StoreError as error:
        _say(error.message)
        return 1
    problem = terminal_problem()  # after the meeting: an unknown one is said first
    if problem is not None:
        _say(problem)
        return 2
    from kring.tui.projector.app import ProjectorApp

    ProjectorApp(data, meeting_id).run()
    return 0


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed or unencodable
        print(message, file=sys.stderr, flush=True)
