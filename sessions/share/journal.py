"""A meeting's share journal: contributions, votes and their outcomes, one JSON object a line,
appended and never rewritten while anything in it waits.

It lives in this device's state folder (``KRING_STATE``), never in the data folder: a sync
engine would carry it to other schools, and what waits in it has not been let in by the
facilitator yet. Every line is written with one ``write`` on a file opened for appending and
fsynced before the call returns, so two processes (``kring share`` and the app) can both add to
it, and a crash at any moment leaves at most a torn last line, which reading skips. Before
appending after such a crash, a newline ends the torn line so that it never swallows the next.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.paths import state_dir
from kring.sessions.store.files import logfile

FOLDER = "share"
MAX_LINE = 64 * 1024  # a line longer than this was not written by Kring: skipped


class ShareError(StoreError):
    """Sharing cannot go on as asked; the text is a sentence for the facilitator."""


def state_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """This installation's state folder (``KRING_STATE``, else the platform's)."""
    return state_dir(environ)


def journal_path(meeting_id: str, folder: Path | None = None) -> Path:
    # Meeting ids are hex; anything else is refused rather than joined into a path.
    if not meeting_id or not all(c.isalnum() or c in "-_" for c in meeting_id):
        raise ValueError(f"not a meeting id: {meeting_id!r}")
    return (folder or state_folder()) / FOLDER / f"{meeting_id}.jsonl"


class Journal:
    """Appends records to, and reads them back from, one meeting's journal file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0  # how far ``read_new`` has read

    def append(self, record: Mapping[str, Any]) -> None:
        """Add ``record`` durably (the store's append-only writer: one write, fsynced, a torn
        last line ended first). Raises ShareError with a sentence when the disk refuses."""
        self.append_all([record])

    def append_all(self, records: Sequence[Mapping[str, Any]]) -> None:
        """Add ``records`` in one write and one fsync: all of them, or (torn by a crash)
        a first part, each whole line of which reads as written."""
        lines = [json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
                 for record in records]
        try:
            logfile.append(self.path, lines, str(self.path))
        except StoreError as error:
            reason = getattr(error, "reason", error.message)
            raise ShareError(_("What the room sent could not be kept: {reason}.").format(
                reason=reason.rstrip("."))) from error

    def read_all(self) -> list[dict[str, Any]]:
        """Every whole record in the file, oldest first; none when there is no file."""
        self._offset = 0
        return self.read_new()

    def read_new(self) -> list[dict[str, Any]]:
        """The records added since the last read (a line still being written waits)."""
        try:
            chunk = logfile.read_from(self.path, self._offset, str(self.path))
        except StoreError:
            return []  # unreadable now (a pipe, no permission): nothing new to show
        if chunk is None:
            return []
        self._offset = chunk.end
        return [record for line in chunk.lines if (record := _parse(line)) is not None]

    def remove(self) -> None:
        """Forget the journal (sharing ended and nothing waits in it)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self._offset = 0


def _parse(line: bytes) -> dict[str, Any] | None:
    if not line.strip() or len(line) > MAX_LINE:
        return None
    try:
        record = json.loads(line)
    except ValueError:  # a torn line from a crash, ended by the next append's newline
        return None
    return record if isinstance(record, dict) and isinstance(record.get("type"), str) else None
