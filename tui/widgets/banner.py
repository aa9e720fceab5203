"""Who speaks now and who is silent, in words the back row can read."""

from __future__ import annotations

from textual.widgets import Static

from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.protocol import CaseBringer, Role, Speakers


def speaking_rule(live: LiveMeeting) -> str:
    phase = live.step.phase
    bringer = live.case_bringer() or _("the case-bringer")
    facilitator = live.person(Role.FACILITATOR) or _("the facilitator")
    speakers = {
        Speakers.EVERYONE: _("Everyone speaks."),
        Speakers.CASE_BRINGER: _("{name} speaks.").format(name=bringer),
        Speakers.GROUP: _("The group speaks."),
        Speakers.FACILITATOR: _("{name} leads.").format(name=facilitator),
        Speakers.NOBODY: _("Silence: everyone writes on their own."),
    }[phase.speakers]
    if phase.speakers in {Speakers.CASE_BRINGER, Speakers.NOBODY}:
        return speakers
    state = {
        CaseBringer.SPEAKS: "",
        CaseBringer.ANSWERS: _("{name} answers briefly.").format(name=bringer),
        CaseBringer.LISTENS: _("{name} listens and takes notes, silently.").format(name=bringer),
        CaseBringer.AWAY: _("{name} turns away and listens, silently.").format(name=bringer),
        CaseBringer.WRITES: _("{name} writes too.").format(name=bringer),
    }[phase.case_bringer]
    return f"{speakers} {state}".strip()


class SpeakingBanner(Static):
    DEFAULT_CLASSES = "banner"

    def show(self, live: LiveMeeting) -> None:
        self.update(speaking_rule(live))
        silent = live.step.phase.case_bringer in {CaseBringer.LISTENS, CaseBringer.AWAY}
        self.set_class(silent, "-silent-bringer")
