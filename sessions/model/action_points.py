"""An action point as seen between meetings: the entry with the meeting it was raised in.

Plain data, so that the follow-up (``sessions/care/followup.py``, which finds them in the store
and marks them) and the documents that list them (``sessions/documents/actions.py``) share one
type without the documents reaching up into the store's queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kring.sessions.model.meeting import ActionStatus, Entry, PseudonymStyle, StatusChange
from kring.sessions.model.privacy import Pseudonymizer

STILL_TO_DO = frozenset({ActionStatus.OPEN, ActionStatus.CARRIED_ON})


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action point with the meeting it was raised in."""

    meeting_id: str
    meeting_date: date
    community: str
    case_title: str
    entry: Entry
    meeting_created_at: datetime  # orders two meetings on the same day
    # That meeting's pseudonyms, so an export of items from many meetings hides each one's.
    protected_names: tuple[str, ...] = ()
    pseudonym_style: PseudonymStyle = PseudonymStyle.LETTERS

    @property
    def status(self) -> ActionStatus:
        return self.entry.status

    @property
    def still_to_do(self) -> bool:
        return self.entry.status in STILL_TO_DO

    def age_days(self, today: date) -> int:
        """Days since the meeting that raised it."""
        return (today - self.meeting_date).days

    def overdue(self, today: date) -> bool:
        return self.still_to_do and self.entry.due is not None and self.entry.due < today

    def change_in(self, meeting_id: str) -> StatusChange | None:
        """The status it was given in that meeting (its review), if any."""
        return next((c for c in reversed(self.entry.history) if c.meeting_id == meeting_id),
                    None)

    def pseudonymizer(self, language: str) -> Pseudonymizer:
        return Pseudonymizer(self.protected_names, self.pseudonym_style, language)
