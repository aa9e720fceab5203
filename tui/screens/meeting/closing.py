"""Closing a meeting screen without losing anything: leaving or quitting asks first and waits
until the disk has every change (or they are written to the home folder instead); ending the
meeting shows its action points before the minutes are written; and an ended meeting, shown
read-only, is amended only on purpose (F9, confirmed), after which its minutes are written
again and say so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.kinds import Capture
from kring.tui.screens.dialogs import ConfirmDialog, EndMeetingDialog

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp


def rescue_folder() -> Path:
    """Where unsaved changes go when the data folder refuses them: the home folder is the
    one place a user always finds again."""
    return Path.home()


class MeetingClosing(Screen[None]):
    """Mixed into the meeting screen."""

    app: KringApp
    # Provided by the meeting screen.
    live: LiveMeeting
    _save_draft: Callable[[], None]
    _today: Callable[[], date]
    show_state: Callable[[], None]

    _leaving: ConfirmDialog | None = None  # the question "leave?" while it is asked

    def ask_to_close(self, close: Callable[[], object], *, quitting: bool = False) -> None:
        """Esc (leave) and ctrl+q (quit) from a meeting ask first: one key must not take the
        room's screen away mid-meeting. Enter answers yes, and so does ctrl+q again; Esc
        stays. An ended meeting
        that is only being read closes at once."""
        if self.app.screen is self._leaving and self._leaving is not None:
            self._leaving.dismiss(True)
            return
        if self.live.amending:  # leaving an amendment finishes it: the minutes are rewritten
            self.finish_amendment()
        if self.live.ended:
            self.close_safely(close)
            return
        if quitting:
            question = _("Quit Kring? The meeting stays in progress and resumes where it was; "
                         "the text being typed is kept.")
            answer = _("Quit (ctrl+q)")
        else:
            question = _("Leave the meeting? It stays in progress and resumes where it was; "
                         "the text being typed is kept.")
            answer = _("Leave (Enter)")
        self._leaving = ConfirmDialog(question, answer, safe=True)

        def chosen(yes: bool | None) -> None:
            self._leaving = None
            if yes:
                self.close_safely(close)

        self.app.push_screen(self._leaving, chosen)

    def close_safely(self, close: Callable[[], object]) -> None:
        """Run ``close`` (leave or quit) only once nothing typed would be lost: changes the
        disk refused are retried once more, and if they still wait, the facilitator chooses
        between staying and writing them to a file in the home folder first."""
        self._save_draft()
        if not self.live.unsaved or self.live.retry_saves():
            close()
            return
        folder = rescue_folder()

        def chosen(rescue: bool | None) -> None:
            if not rescue:
                return
            try:
                path = self.live.rescue(folder)
            except StoreError as error:
                self.notify(error.message, severity="error", timeout=15)
                return
            self.app.notify(_("The unsaved changes were written to {path}. `kring doctor` "
                              "tells how to bring them back.").format(path=path), timeout=20)
            close()

        if self.live.kept:  # in the state folder: the next window of it takes them back in
            question = _("{count} changes are not saved yet: {why}. They are kept in Kring's "
                         "state folder and taken back in when this meeting is opened again. "
                         "Write the whole meeting to a file in {folder} as well, and close?")
        else:
            question = _("{count} changes are not saved yet: {why}. Closing now would lose "
                         "them. Write the whole meeting to a file in {folder} first?")
        self.app.push_screen(ConfirmDialog(
            question.format(count=self.live.unsaved, why=self.live.last_error, folder=folder),
            _("Write it there and close")), chosen)

    def action_amend(self) -> None:
        live = self.live
        if not live.ended:
            self.notify(_("The meeting is still in progress: everything can still be changed."))
            return
        if live.amending:
            self.notify(_("Amending: F10 or Esc when done writes the minutes again."))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                live.amend()
                self.show_state()
                self.notify(_("Amending: F10 or Esc when done writes the minutes again."))

        self.app.push_screen(ConfirmDialog(
            _("This meeting has ended and its minutes are written. Amend it? Entries and "
              "details can be changed again; when you are done the minutes are written again "
              "and say that they were amended, and when."), _("Amend")), confirmed)

    def finish_amendment(self) -> None:
        self.live.finish_amendment()
        self._save_draft()
        self.app.write_minutes(self.live)
        self.show_state()
        self.notify(_("Amendment done: the minutes were written again."))

    def action_end_meeting(self) -> None:
        if self.live.amending:
            self.finish_amendment()
            return
        if self.live.ended:
            self.notify(_("This meeting has ended: F9 amends it."))
            return
        actions = [e for e in self.live.entries if e.kind is Capture.ACTION]

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.live.end()
                self.app.notify(_("The meeting has ended."))
                self.app.write_minutes(self.live)
                self.dismiss(None)

        def reviewed(ok: bool | None) -> None:
            if not ok:
                return
            if self.live.is_last_step:
                confirmed(True)
            else:
                self.app.push_screen(ConfirmDialog(
                    _("End the meeting now, at phase {n} of {total}? The phases still to "
                      "come are left out.").format(n=self.live.step_index + 1,
                                                   total=len(self.live.steps)),
                    _("End meeting")), confirmed)

        self.app.push_screen(EndMeetingDialog(actions, today=self._today(),
                                             language=self.app.language), reviewed)

