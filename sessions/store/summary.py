"""What a list of meetings shows of each: a small, typed summary, and the one order lists use.

Summaries are what the index stores (``index.py``), so listing a thousand meetings reads rows,
not meetings. Stored, a summary is the JSON object ``Meeting.summary_dict()`` gives, plus the
case's title as the room may see it (``public_case``). A stored summary that does not read as
one (hand-edited, damaged, or written before a field was added) is dropped, and its meeting
folded again from the logs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from kring.sessions.model.status import Status

if TYPE_CHECKING:  # a list reads summaries only: the meeting model loads when one is made
    from kring.sessions.model.meeting import Meeting

Day = date  # inside MeetingSummary, ``date`` is its field


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
    # The title with the meeting's protected names as pseudonyms: lists of meetings are on the
    # wall whenever a facilitator's window is projected, and titles name pupils. Made when the
    # meeting is saved, so a list never reads the meetings themselves to hide them.
    public_case: str

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingSummary:
        from kring.sessions.model.privacy import pseudonymizer_for

        return cls(
            id=meeting.id, community=str(meeting.community), date=meeting.date,
            case=str(meeting.case.title), protocol=str(meeting.protocol.get("id", "")),
            language=str(meeting.language), status=meeting.status,
            created_at=meeting.created_at,
            public_case=pseudonymizer_for(meeting, meeting.language).apply(meeting.case.title),
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MeetingSummary | None:
        """The summary stored as ``data``; None when it is not one (hand-edited, damaged)."""
        keys = ("id", "community", "date", "case", "protocol", "language", "status",
                "created_at", "public_case")
        text = {key: value for key in keys if isinstance(value := data.get(key), str)}
        if len(text) != len(keys):
            return None
        try:
            created = datetime.fromisoformat(text["created_at"])
            return cls(
                id=text["id"], community=text["community"], date=date.fromisoformat(text["date"]),
                case=text["case"], protocol=text["protocol"], language=text["language"],
                status=Status(text["status"]),
                # As Meeting.from_dict reads it: a time without a zone is UTC.
                created_at=created if created.tzinfo else created.replace(tzinfo=UTC),
                public_case=text["public_case"],
            )
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        """``Meeting.summary_dict()`` and the public title: the form the index file holds."""
        return {
            "id": self.id,
            "community": self.community,
            "date": self.date.isoformat(),
            "case": self.case,
            "protocol": self.protocol,
            "language": self.language,
            "status": self.status.value,
            "created_at": self.created_at.isoformat(),
            "public_case": self.public_case,
        }

    @property
    def in_progress(self) -> bool:
        return self.status is Status.IN_PROGRESS

    @property
    def sort_key(self) -> tuple[Day, datetime]:
        """Lists show meetings by the day they were held, then by when each was set up."""
        return (self.date, self.created_at)


def newest_first(summaries: Iterable[MeetingSummary]) -> list[MeetingSummary]:
    return sorted(summaries, key=lambda summary: summary.sort_key, reverse=True)


def in_progress_first(summaries: Iterable[MeetingSummary]) -> list[MeetingSummary]:
    """Meetings still going on (to resume) above those that ended, each part newest first."""
    return sorted(newest_first(summaries), key=lambda summary: not summary.in_progress)
