"""The phase countdown: large digits that turn to a warning in the last minute and count
overtime up, unmistakably."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits, Label

from kring.sessions.i18n import _
from kring.sessions.meeting.timing import TimerState


def clock_text(seconds: int) -> str:
    """'12:05', '1:02:03'; the sign is shown separately."""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


FLASH = 1.5  # seconds the timer stays flashed when a phase's time runs out


class PhaseTimer(Vertical):
    """Shows a ``TimerState``; the screen hands it a new one a few times a second."""

    DEFAULT_CLASSES = "timer"
    DEFAULT_CSS = """
    PhaseTimer.timer {
        width: 24;
        height: auto;
        padding: 0 1;
        align-horizontal: center;
    }

    PhaseTimer.timer Digits {
        width: auto;
        color: $success;
    }

    PhaseTimer.timer.-warning Digits {
        color: $warning;
    }

    PhaseTimer.timer.-overtime Digits {
        color: $error;
        text-style: bold;
    }

    PhaseTimer.timer.-overtime #timer-caption {
        background: $error;
        color: $text;
        text-style: bold;
    }

    PhaseTimer.timer.-flash {
        background: $error;
    }

    PhaseTimer.timer.-paused Digits {
        color: $text-muted;
    }

    PhaseTimer.timer #timer-caption, PhaseTimer.timer #timer-meeting {
        width: auto;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield Digits("00:00", id="timer-digits")
        yield Label("", id="timer-caption")
        yield Label("", id="timer-meeting")

    def show(self, state: TimerState, meeting_elapsed: int, meeting_planned: int) -> None:
        digits = self.query_one(Digits)
        text = ("+" if state.overtime else "") + clock_text(state.remaining)
        if digits.value != text:
            digits.update(text)
        self.set_class(state.warning, "-warning")
        self.set_class(state.overtime, "-overtime")
        self.set_class(state.paused, "-paused")
        if state.overtime:
            status = _("OVERTIME")
        elif state.paused:
            status = _("paused")
        else:
            status = _("{minutes} min planned").format(minutes=round(state.planned / 60))
        meeting = _("total {elapsed} / {planned}").format(
            elapsed=clock_text(meeting_elapsed), planned=clock_text(meeting_planned))
        self._set("#timer-caption", status)
        self._set("#timer-meeting", meeting)

    def _set(self, selector: str, text: str) -> None:
        # Only touch what changed: this runs four times a second.
        label = self.query_one(selector, Label)
        if str(label.content) != text:
            label.update(text)

    def flash(self) -> None:
        """The phase's time ran out: the timer's background flashes, seen from the back of
        the room when nobody watches the digits."""
        self.add_class("-flash")
        self.set_timer(FLASH, lambda: self.remove_class("-flash"))
