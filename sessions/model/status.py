"""Whether a meeting is still going on: the one part of a meeting that lists of meetings need.

Apart from ``meeting.py`` so that reading a list (the home screen, ``kring list``) does not
load the whole meeting model before its first frame."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    IN_PROGRESS = "in-progress"
    ENDED = "ended"
