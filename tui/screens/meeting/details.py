"""What the facilitator reads and fills in about the meeting while it runs: the phase's
prompt cards, the case's details and the names the minutes must not show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from kring.sessions.i18n import _
from kring.sessions.meeting.setup import split_names
from kring.tui.screens.dialogs import TextDialog

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class MeetingDetails(Screen[None]):
    """Mixed into the meeting screen."""

    # Provided by the meeting screen.
    live: LiveMeeting

    def action_protected_names(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            self.live.protect_names(split_names(text.replace("\n", ",")))
            self.notify(_("The minutes will show pseudonyms for: {names}").format(
                names=", ".join(self.live.meeting.protected_names) or "—"))

        self.app.push_screen(TextDialog(
            _("Names to protect (pupils, parents), separated by commas"),
            ", ".join(self.live.meeting.protected_names)), done)

    def action_prompt_cards(self) -> None:
        prompts = self.live.step.phase.prompts
        if not prompts:
            self.notify(_("This phase has no prompt cards."))
            return
        text = "\n".join(f"- {p}" for p in prompts)
        self.app.push_screen(TextDialog(_("Prompt cards"), text, read_only=True))

    def action_case_details(self) -> None:
        case = self.live.meeting.case
        fields = [("title", _("Case title"), case.title),
                  ("summary", _("Case summary"), case.summary),
                  ("focus_question", _("The case-bringer's focus question"),
                   case.focus_question)]

        def ask(index: int) -> None:
            if index >= len(fields):
                return
            key, label, value = fields[index]

            def done(text: str | None) -> None:
                if text is None:
                    return
                if text.strip() != value:
                    self.live.update_details(**{key: text.strip()})
                ask(index + 1)

            self.app.push_screen(TextDialog(label, value), done)

        ask(0)

