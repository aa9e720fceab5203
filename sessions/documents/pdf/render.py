"""A meeting's PDF, whole or as the one-page handout: what ``writing.py`` and ``export.py``
call, so that the minutes folder and ``--out`` get the same bytes."""

from __future__ import annotations

from datetime import datetime

from kring.sessions.documents.handout import handout_of
from kring.sessions.documents.minutes import minutes_moment, minutes_title
from kring.sessions.documents.pdf.handout import render_handout_pdf
from kring.sessions.documents.pdf.minutes import render_minutes_pdf
from kring.sessions.model.meeting import MeetingWithEntries


def render_pdf(record: MeetingWithEntries, markdown: str, *, handout: bool,
               now: datetime | None = None, next_meeting: datetime | None = None) -> bytes:
    """The whole minutes (set from ``markdown``, the Markdown minutes of ``record``), or with
    ``handout`` the one-page handout. Dated ``now`` (the minutes so far), else the meeting's
    own last moment, never the clock: the same meeting gives the same bytes."""
    meeting = record.meeting
    if handout:
        return render_handout_pdf(handout_of(meeting, record.entries,
                                             next_meeting=next_meeting, now=now))
    return render_minutes_pdf(markdown, minutes_title(meeting), language=meeting.language,
                              created=now or minutes_moment(meeting, record.entries))
