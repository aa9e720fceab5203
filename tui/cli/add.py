"""``kring add``: capture one line into a meeting, exactly as the app's capture line would.

The rule (prefixes, @name, attribution to whoever has the floor, nothing added to an ended
meeting) is the domain's, in ``LiveMeeting.add_line``; this command finds the meeting, hands
it the line and says what became of it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, note_saved, say_error

if TYPE_CHECKING:
    from kring.sessions.model.meeting import Entry


def add_command(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.documents.export import resolve_meeting
    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.store.facade import Store

    store = Store(context.data)
    try:
        meeting_id = resolve_meeting(store, args.meeting)
        record = store.load(meeting_id)
    except StoreError as error:
        say_error(error.message)
        return 1
    live = LiveMeeting(record.meeting, record.entries, store, store.clock)
    result = live.add_line(args.line, language=context.language)
    for problem in result.problems if result.entry is not None else []:
        say_error(f"⚠ {problem}")  # added all the same: a warning, e.g. an unknown @name
    if result.entry is None:
        for problem in result.problems or [_("Nothing was added.")]:
            say_error(problem)
        return 1
    if live.unsaved:  # the disk refused, and the memory it waits in ends with this command
        say_error(live.last_error or _("The line could not be saved."))
        say_error(_("Nothing was added and nothing is kept: add the line again once it can "
                    "be saved."))
        return 1
    note_saved(_("entry {entry} in meeting {meeting}").format(entry=result.entry.id,
                                                             meeting=meeting_id))
    if args.json:
        print(json.dumps(entry_data(result.entry, result.problems), ensure_ascii=False))
    else:
        print(describe_entry(result.entry))
    sys.stdout.flush()
    return 0


def entry_data(entry: Entry, problems: list[str]) -> dict[str, object]:
    return {"id": entry.id, "kind": entry.kind.value, "author": entry.author,
            "owner": entry.owner, "due": entry.due.isoformat() if entry.due else None,
            "private": entry.private, "text": entry.text, "step": entry.step,
            "warnings": problems}


def describe_entry(entry: Entry) -> str:
    """One line for people: the kind, who, and the text (its line breaks shown as ⏎)."""
    from kring.sessions.model.labels import capture_label

    parts = [capture_label(entry.kind)]
    if entry.private:
        parts.append(_("private"))
    who = entry.author or _("no author")
    details = []
    if entry.owner:
        details.append(_("for {name}").format(name=entry.owner))
    if entry.due:
        details.append(_("due {date}").format(date=entry.due.isoformat()))
    text = " ⏎ ".join(entry.text.splitlines())
    line = f"{' · '.join(parts)} — {who}: {text}"
    return f"{line} ({', '.join(details)})" if details else line


# -- its part of the command line -----------------------------------------------------------


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    add = commands.add_parser(
        "add", help=_("capture one line into a meeting"),
        description=_("Capture one line into a meeting in progress, exactly as the capture "
                      "line in the app would: a prefix chooses the kind (q: question, f: "
                      "fact, a: action point, ...), @name the author; without @name, in a "
                      "round, the line is the speaker's whose turn it is."),
        epilog=epilog([
            ('kring add latest "q: What happened just before? @chantal"',
             _("a question Chantal asked")),
            ('kring add 3fa2 "a: Call the mentor @bram 2026-12-01"',
             _("an action point for Bram, with a due date")),
            ('kring add latest "The class had a test back" --json',
             _("in the phase's own kind; the entry as JSON")),
        ]))
    add.add_argument("meeting", metavar="MEETING",
                     help=_("a meeting id, the start of one, or 'latest'"))
    add.add_argument("line", metavar="LINE", help=_("the line, as typed on the capture line"))
    add.add_argument("--json", action="store_true",
                     help=_("print the entry as one line of JSON"))


def run(context: Context, args: argparse.Namespace) -> int:
    return add_command(context, args)
