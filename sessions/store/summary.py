"""What a list of meetings shows of each: a small, typed summary, and the one order lists use.

Summaries are what the index stores (``index.json``), so listing a thousand meetings reads one
file. On disk a summary is the JSON object ``Meeting.summary_dict()`` gives; ``to_dict`` writes
exactly that, so index files written before summaries were typed still read, and the other way
round. A stored summary that does not read as one is dropped, and its meeting file read again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kring.sessions.model.meeting import Meeting, Status


@dataclass(frozen=True, slots=True)
class MeetingSummary:
    id: str
    community: str
    date: date
    case: str  # the case's title
    protocol: str  # the protocol's id
    language: str
    status: Status
    created_at: datetime

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingSummary:
        return cls(
            id=meeting.id, community=str(meeting.community), date=meeting.date,
            case=str(meeting.case.title), protocol=str(meeting.protocol.get("id", "")),
            language=str(meeting.language), status=meeting.status,
            created_at=meeting.created_at,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MeetingSummary | None:
        """The summary stored as ``data``; None when it is not one (hand-edited, damaged)."""
        text = {key: data.get(key) for key in
                ("id", "community", "date", "case", "protocol", "language", "status",
                 "created_at")}
        if not all(isinstance(value, str) for value in text.values()):
            return None
        try:
            created = datetime.fromisoformat(text["created_at"])
            return cls(
                id=text["id"], community=text["community"], date=date.fromisoformat(text["date"]),
                case=text["case"], protocol=text["protocol"], language=text["language"],
                status=Status(text["status"]),
                # As Meeting.from_dict reads it: a time without a zone is UTC.
                created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
            )
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        """As ``Meeting.summary_dict()``: the form the index file holds."""
        return {
            "id": self.id,
            "community": self.community,
            "date": self.date.isoformat(),
            "case": self.case,
            "protocol": self.protocol,
            "language": self.language,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
        }

    @property
    def in_progress(self) -> bool:
        return self.status is Status.IN_PROGRESS

    @property
    def sort_key(self) -> tuple[date, datetime]:
        """Lists show meetings by the day they were held, then by when each was set up."""
        return (self.date, self.created_at)


def newest_first(summaries: Iterable[MeetingSummary]) -> list[MeetingSummary]:
    return sorted(summaries, key=lambda summary: summary.sort_key, reverse=True)


def in_progress_first(summaries: Iterable[MeetingSummary]) -> list[MeetingSummary]:
    """Meetings still going on (to resume) above those that ended, each part newest first."""
    return sorted(newest_first(summaries), key=lambda summary: not summary.in_progress)
