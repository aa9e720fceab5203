"""The meeting screen and its parts: the phase and the course of the meeting
(phase_panel.py) with the phase's entries (entries.py), the capture line and its draft
(capture_bar.py), the questions on the way out (closing.py); the meeting shared with the
room's devices is tui/share/panel.py. screen.py composes them and routes their messages."""

from kring.tui.screens.meeting.screen import MeetingScreen

__all__ = ["MeetingScreen"]
