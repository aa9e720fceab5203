"""The way out of a meeting: the questions asked, each a dialog that returns its answer
(leaving or quitting, while the meeting stays in progress; what to do with changes the disk
still refuses; amending an ended meeting), and the order they
are asked in. Nothing is closed until the disk has every change or they are written to the
home folder instead; the meeting screen says what closing means (leave, quit, end)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.model.kinds import Capture
from kring.tui.screens.dialogs import ConfirmDialog, EndMeetingDialog
from kring.tui.screens.meeting.entries import MeetingEntries

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp


def rescue_folder() -> Path:
    """Where unsaved changes go when the data folder refuses them: the home folder is the
    one place a user always finds again."""
    return Path.home()


class LeaveDialog(ConfirmDialog):
    """Esc (leave) and ctrl+q (quit) from a meeting ask first: one key must not take the
    room's screen away mid-meeting. Enter answers yes, and so does ctrl+q again; Esc stays."""

    def __init__(self, *, quitting: bool) -> None:
        if quitting:
            super().__init__(_("Quit Kring? The meeting stays in progress and resumes where it "
                               "was; the text being typed is kept."), _("Quit (ctrl+q)"),
                             safe=True)
        else:
            super().__init__(_("Leave the meeting? It stays in progress and resumes where it "
                               "was; the text being typed is kept."), _("Leave (Enter)"),
                             safe=True)


class RescueDialog(ConfirmDialog):
    """Changes the disk refused are still waiting at closing: True means write the whole
    meeting to a file in ``folder`` first."""

    def __init__(self, live: LiveMeeting) -> None:
        self.folder = folder = rescue_folder()
        if live.kept:  # in the state folder: the next window of it takes them back in
            question = ngettext(
                "{count} change is not saved yet: {why}. It is kept in Kring's state folder "
                "and taken back in when this meeting is opened again. Write the whole meeting "
                "to a file in {folder} as well, and close?",
                "{count} changes are not saved yet: {why}. They are kept in Kring's state "
                "folder and taken back in when this meeting is opened again. Write the whole "
                "meeting to a file in {folder} as well, and close?", live.unsaved)
        else:
            question = ngettext(
                "{count} change is not saved yet: {why}. Closing now would lose it. Write "
                "the whole meeting to a file in {folder} first?",
                "{count} changes are not saved yet: {why}. Closing now would lose them. "
                "Write the whole meeting to a file in {folder} first?", live.unsaved)
        super().__init__(question.format(count=live.unsaved, why=live.last_error,
                                         folder=folder), _("Write it there and close"))


class AmendDialog(ConfirmDialog):
    """F9 on an ended meeting: amended only on purpose."""

    def __init__(self) -> None:
        super().__init__(_(
            "This meeting has ended and its minutes are written. Amend it? Entries and "
            "details can be changed again; when you are done the minutes are written again "
            "and say that they were amended, and when."), _("Amend"))


def close_when_saved(app: KringApp, live: LiveMeeting, close: Callable[[], object]) -> None:
    """Run ``close`` (leave or quit) only once nothing typed would be lost: changes the disk
    refused are retried once more, and if they still wait, the facilitator chooses between
    staying and writing them to a file in the home folder first."""
    if not live.unsaved or live.retry_saves():
        close()
        return
    question = RescueDialog(live)

    def chosen(rescue: bool | None) -> None:
        if not rescue:
            return
        try:
            path = live.rescue(question.folder)
        except StoreError as error:
            app.notify(error.message, severity="error", timeout=15)
            return
        app.notify(_("The unsaved changes were written to {path}. `kring doctor` tells how "
                     "to bring them back.").format(path=path), timeout=20)
        close()

    app.push_screen(question, chosen)


def end_when_confirmed(app: KringApp, live: LiveMeeting, end: Callable[[], object],
                       unprotected: list[str]) -> None:
    """F10: the action points (each with its owner and due date, or a deliberate none),
    before the last phase that the rest is left out, and what the privacy guard found that
    nobody protected (``unprotected``), in one dialog; ``end`` once it is answered yes."""
    def confirmed(yes: bool | None) -> None:
        if yes:
            end()

    actions = [entry for entry in live.entries if entry.kind is Capture.ACTION]
    today = live.clock.now().astimezone().date()
    early = None if live.is_last_step else (live.step_index + 1, len(live.steps))
    protect = next(binding for binding in MeetingEntries.BINDINGS
                   if isinstance(binding, Binding) and binding.action == "protect_found")
    app.push_screen(EndMeetingDialog(actions, today=today, language=app.language, early=early,
                                     unprotected=unprotected,
                                     protect_key=app.get_key_display(protect)), confirmed)
