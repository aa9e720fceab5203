"""The capture line at the foot of the meeting screen, with this window's draft of what is
being typed and, above the line, whether everything is saved.

The draft is this window's own (another window's typing never lands here), saved at most
half a second after the first unsaved key and whenever a line is committed; the text typed
before a crash comes back into the line. Committing a line is the screen's: it goes into
the meeting and its entry list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Label

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.model.labels import capture_hint
from kring.sessions.plain import plain_line
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.widgets.capture import CaptureLine, MentionSuggester

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.store.drafts import DraftSlot

DRAFT_DELAY = 0.5  # seconds after the last keystroke; the promise is "at most one second behind"


class CaptureBar(PlainNotify, Vertical):
    DEFAULT_CSS = """
    CaptureBar {
        height: auto;
    }

    CaptureBar #capture-hint {
        display: none;
        padding: 0 1;
    }

    CaptureBar #capture-hint.-error {
        display: block;
        background: $error;
        color: $text;
    }
    """

    def __init__(self, live: LiveMeeting, draft: DraftSlot, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.live = live
        self.draft = draft
        self._draft_timer: Timer | None = None
        self._draft_error: str | None = None
        self._shown: str | None = None  # what the line above the capture line says

    def compose(self) -> ComposeResult:
        yield Label("", id="capture-hint")
        yield CaptureLine(placeholder="", id="capture",
                          suggester=MentionSuggester(
                              [plain_line(name) for name in self.live.meeting.participants]))

    def on_mount(self) -> None:
        if self.draft.recovered:
            self.line.value = self.draft.recovered
            self.notify(_("The text you were typing before has been restored."))

    def on_unmount(self) -> None:
        self.draft.close()

    @property
    def line(self) -> CaptureLine:
        return self.query_one(CaptureLine)

    def show_placeholder(self) -> None:
        """What to type here, in this phase; or, after the meeting ended, why nothing is
        added."""
        line = self.line
        if not self.live.editable:
            # Typing still lands in the line (and its draft): nothing typed is lost, and Enter
            # says why it is not added.
            line.placeholder = _("This meeting has ended and is shown read-only. "
                                 "F9 amends it.")
            return
        hint = capture_hint(self.live.step.phase.default_capture)
        line.placeholder = _(
            "{hint} and press Enter · q: a: d: n: … for other kinds · @name · F1 help"
        ).format(hint=hint)

    # -- the draft ---------------------------------------------------------------------------

    @on(Input.Changed, "#capture")
    def _schedule_draft(self) -> None:
        # At most DRAFT_DELAY after the first unsaved key, however long the typing goes on:
        # a timer restarted on every key would never fire for a fast typist.
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        try:
            self.draft.save(self.line.value)
        except StoreError as error:
            # The text is still in the capture line; the next key or sync tries again.
            self._draft_error = error.message
        else:
            self._draft_error = None
        self.show_saving()

    def retry(self) -> None:
        """Every second: a draft the disk refused is tried again."""
        if self._draft_error is not None:
            self.save_draft()

    # -- saved or not ------------------------------------------------------------------------

    def show_saving(self) -> None:
        """Say, above the line, what is not saved yet and why; nothing when all is."""
        live = self.live
        if live.unsaved and live.kept:
            text = ngettext(
                "⚠ Not saved yet ({count} change kept in memory and in the state folder): "
                "{why}. Retrying…",
                "⚠ Not saved yet ({count} changes kept in memory and in the state folder): "
                "{why}. Retrying…", live.unsaved).format(count=live.unsaved, why=live.last_error)
        elif live.unsaved and live.kept_error is not None:
            # Nothing more can be done: stopping Kring now would lose them, so it says so.
            text = ngettext(
                "⚠ Not saved yet ({count} change kept in memory only: the state folder "
                "refuses it too, {reason}): {why}. Retrying…",
                "⚠ Not saved yet ({count} changes kept in memory only: the state folder "
                "refuses them too, {reason}): {why}. Retrying…", live.unsaved).format(
                count=live.unsaved, reason=live.kept_error, why=live.last_error)
        elif live.unsaved:
            text = ngettext(
                "⚠ Not saved yet ({count} change kept in memory): {why}. Retrying…",
                "⚠ Not saved yet ({count} changes kept in memory): {why}. Retrying…",
                live.unsaved).format(count=live.unsaved, why=live.last_error)
        elif self._draft_error is not None:
            text = _("⚠ The text being typed is not saved yet: {why}. Retrying…").format(
                why=self._draft_error)
        else:
            text = ""
        # Called after every draft save: updating a label lays out the whole screen, a
        # thousand entries included, so only a change of the message is shown.
        if text != self._shown:
            self._shown = text
            hint = self.query_one("#capture-hint", Label)
            hint.update(plain_text(text))  # it quotes the disk's error, a file's name
            hint.set_class(bool(text), "-error")
