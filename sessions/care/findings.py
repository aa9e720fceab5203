"""What ``kring doctor`` finds in a data folder: one ``Finding`` per file, of a ``Kind`` that
says whether repair can do something about it, gathered in a ``DoctorReport``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kring.sessions.errors import StoreError, UnreadableError, unreadable
from kring.sessions.store.files.atomic import describe


class Kind(StrEnum):
    UNREADABLE = "unreadable"  # a log that cannot be read at all (permissions, not a file)
    SKIPPED_LINES = "skipped-lines"  # lines of a log that are not events: skipped, rest used
    CONFLICT_COPY = "conflict-copy"  # a sync engine's copy of this device's log: taken in
    CONFLICT_ELSEWHERE = "conflict-elsewhere"  # ... of another device's log: read, left
    SYNC_TEMP = "sync-temp"  # a transfer the sync engine has not finished
    STRAY = "stray"  # a file Kring did not write, in a log folder: left alone
    NOT_CONVERTED = "not-converted"  # a meeting file of the older format that stays unread
    NOT_CONVERTED_FULLY = "not-converted-fully"  # converted, but records missing: redone
    OPEN_PERMISSIONS = "open-permissions"  # others could read the notes: made private
    READ_ONLY = "read-only"  # nothing can be saved in the data folder: nothing is repaired
    STATE_INSIDE = "state-inside"  # the state folder would be synced: the user moves it
    RESCUED = "rescued"  # a rescue copy written when saving failed: taken back in
    UNCHECKED = "unchecked"  # a part of the folder could not be looked at


# Findings that are only information: nothing is lost, or nothing Kring may repair.
INFO = frozenset({Kind.UNREADABLE, Kind.SKIPPED_LINES, Kind.CONFLICT_ELSEWHERE,
                  Kind.SYNC_TEMP, Kind.STRAY, Kind.NOT_CONVERTED, Kind.READ_ONLY,
                  Kind.STATE_INSIDE, Kind.UNCHECKED})


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    path: Path
    detail: str  # a sentence for the user; names meetings by id only

    @property
    def repairable(self) -> bool:
        return self.kind not in INFO


@dataclass(slots=True)
class DoctorReport:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # what repair did, one sentence each
    failed: list[str] = field(default_factory=list)  # repairs that could not be done

    @property
    def healthy(self) -> bool:
        """Nothing that needs repair (information such as set-aside files may remain)."""
        return not any(finding.repairable for finding in self.findings)

    def of(self, kind: Kind) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind is kind]


def sentence(what: str, error: StoreError) -> str:
    """Why ``what`` is unusable, in the words the store's problem list uses."""
    if isinstance(error, UnreadableError):
        return unreadable(what, error.reason)
    return error.message


def reason_of(error: BaseException) -> str:
    if isinstance(error, StoreError):
        return error.message
    if isinstance(error, OSError):
        return describe(error, Path(error.filename or ".").parent) if error.errno else \
            type(error).__name__
    return type(error).__name__
