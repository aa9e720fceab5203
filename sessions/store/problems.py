"""Files the store could not read in full, for the user: what, why, and where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kring.sessions.errors import capitalized, unreadable


@dataclass(frozen=True, slots=True)
class LoadProblem:
    what: str  # "meeting 3fa2…", "the communities", ...
    path: Path
    reason: str  # the end of a sentence
    meeting_id: str | None = None
    partial: bool = False  # the rest of the file was read: some lines were skipped

    @property
    def message(self) -> str:
        if self.partial:
            return f"{capitalized(self.what)}: {self.reason}"
        return unreadable(self.what, self.reason.rstrip("."))
