"""What the facilitator reads and fills in about the meeting while it runs: the phase's
prompt cards, the case's details and the names the minutes must not show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from kring.sessions.i18n import _
from kring.sessions.meeting.setup import split_names
from kring.sessions.model.meeting import Case
from kring.tui.screens.dialogs import CaseDialog, TextDialog
from kring.tui.widgets.case import CasePanel

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class MeetingDetails(Screen[None]):
    """Mixed into the meeting screen."""

    # Provided by the meeting screen.
    live: LiveMeeting
    not_while_projected: Callable[[], bool]

    def action_protected_names(self) -> None:
        if self.not_while_projected():
            return
        if not self.live.editable:  # the minutes change with them: an amendment
            self.notify(_("This meeting has ended: F9 amends it."))
            return
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
        """Title, summary and focus question in one form: one Esc never leaves some of them
        asked and the rest not (the minutes once said "Focus question: not recorded")."""
        if self.not_while_projected():
            return
        if not self.live.editable:
            self.notify(_("This meeting has ended: F9 amends it."))
            return
        before = self.live.meeting.case

        def done(case: Case | None) -> None:
            if case is None:
                return
            changes = {key: getattr(case, key) for key in ("title", "summary", "focus_question")
                       if getattr(case, key) != getattr(before, key)}
            if changes:
                self.live.update_details(**changes)
            self.show_case()

        self.app.push_screen(CaseDialog(before), done)

    def show_case(self) -> None:
        self.query_one(CasePanel).show(self.live.meeting.case)
