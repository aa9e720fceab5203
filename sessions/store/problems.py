"""Files the store could not read in full, for the user: what, why, and where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kring.sessions.errors import capitalized, unreadable
from kring.sessions.i18n import _


@dataclass(frozen=True, slots=True)
class LoadProblem:
    what: str  # "meeting 3fa2…", "the communities", ...
    path: Path
    reason: str  # the end of a sentence
    meeting_id: str | None = None
    partial: bool = False  # the rest of the file was read: some lines were skipped
    moved_to: Path | None = None  # where an unreadable file was set aside

    @property
    def message(self) -> str:
        if self.partial:
            return f"{capitalized(self.what)}: {self.reason}"
        text = unreadable(self.what, self.reason.rstrip("."))
        if self.moved_to is not None:
            text += _(" The file was moved aside as {name}.").format(name=self.moved_to.name)
        return text
