"""The meeting screen, split by job: the screen itself (what the room sees, the capture line,
the facilitator's keys), what is done to an entry already captured, and closing the meeting
without losing anything."""

from kring.tui.screens.meeting.screen import MeetingScreen

__all__ = ["MeetingScreen"]
