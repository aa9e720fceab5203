"""Who speaks now and who is silent, in words the back row can read."""

from __future__ import annotations

from textual.widgets import Static

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import speaking_rule
from kring.sessions.model.protocol import CaseBringer
from kring.tui.plain_text import plain_text


class SpeakingBanner(Static):
    DEFAULT_CLASSES = "banner"
    DEFAULT_CSS = """
    SpeakingBanner.banner {
        margin-top: 1;
        padding: 0 1;
        background: $boost;
        text-style: bold;
    }

    SpeakingBanner.banner.-silent-bringer {
        background: $warning 25%;
    }
    """

    def show(self, live: LiveMeeting) -> None:
        # The same sentence the projector shows: one wording for the whole room.
        self.update(plain_text(speaking_rule(live)))  # it names the case-bringer
        silent = live.step.phase.case_bringer in {CaseBringer.LISTENS, CaseBringer.AWAY}
        self.set_class(silent, "-silent-bringer")
