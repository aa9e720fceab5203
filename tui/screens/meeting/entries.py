"""The entries of the current phase, as the meeting screen shows them, and what the
note-taker does to one already captured: edit it, give it another kind, move it to another
phase, delete it and take the deletion back. ``EntryList`` asks (its messages name the
entry); here, where the live meeting is at hand, the asking is answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.message import Message

from kring.sessions.i18n import _
from kring.sessions.model.kinds import Capture
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry
from kring.tui.plain_text import PlainNotify
from kring.tui.screens.dialogs import ChoiceDialog, TextDialog
from kring.tui.widgets.entries import EntryList

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class MeetingEntries(PlainNotify, EntryList):
    class Changed(Message):
        """An entry was changed (saved, or waiting for the disk: the screen says which)."""

    class Deleted(Message):
        """An entry was deleted: ``restore(entry)`` takes the deletion back."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, live: LiveMeeting, *, language: str, id: str | None = None) -> None:
        super().__init__(language=language, id=id)
        self.live = live

    @on(EntryList.EditRequested)
    def _edit(self, event: EntryList.EditRequested) -> None:
        event.stop()
        if self._read_only():
            return
        entry = event.entry

        def done(text: str | None) -> None:
            if text is None or text.strip() == entry.text:
                return
            if not text.strip():
                self.notify(_("An entry cannot be empty; delete it instead."), severity="warning")
                return
            self._changed(self.live.edit_entry(entry.id, text=text.strip()))

        self.app.push_screen(TextDialog(_("Edit {kind}").format(kind=capture_label(entry.kind)),
                                        entry.text), done)

    @on(EntryList.KindChangeRequested)
    def _change_kind(self, event: EntryList.KindChangeRequested) -> None:
        event.stop()
        if self._read_only():
            return
        entry = event.entry
        kinds = list(Capture)

        def done(index: int | None) -> None:
            if index is not None:
                self._changed(self.live.edit_entry(entry.id, kind=kinds[index]))

        self.app.push_screen(ChoiceDialog(_("What kind of entry is this?"),
                                          [capture_label(k) for k in kinds],
                                          kinds.index(entry.kind)), done)

    @on(EntryList.MoveRequested)
    def _move(self, event: EntryList.MoveRequested) -> None:
        event.stop()
        if self._read_only():
            return
        entry = event.entry
        steps = self.live.steps

        def done(index: int | None) -> None:
            if index is None or steps[index].key == entry.step:
                return
            self.live.move_entry(entry.id, steps[index])
            self.show_entries(self.live.entries_of())
            self.notify(_("Moved to “{phase}”.").format(phase=steps[index].phase.title))
            self.post_message(self.Changed())

        titles = [f"{i + 1}. {s.phase.title}" + (f" ({s.client})" if s.client else "")
                  for i, s in enumerate(steps)]
        self.app.push_screen(ChoiceDialog(_("Move to which phase?"), titles,
                                          self.live.step_index), done)

    @on(EntryList.DeleteRequested)
    def _delete(self, event: EntryList.DeleteRequested) -> None:
        event.stop()
        if self._read_only():
            return
        deleted = self.live.delete_entry(event.entry.id)
        if deleted is not None:
            self.show_entries(self.live.entries_of())
            self.notify(_("Deleted. Press ctrl+z to undo."))
            self.post_message(self.Deleted(deleted))
            self.post_message(self.Changed())

    def restore(self, entry: Entry) -> bool:
        """Take a deletion back; False (and said) when the meeting has ended meanwhile."""
        if self._read_only():
            return False
        self.live.restore_entry(entry)
        self.show_entries(self.live.entries_of())
        self.notify(_("Restored."))
        self.post_message(self.Changed())
        return True

    def show_revealed(self, entry: Entry) -> None:
        """An entry that came in from the room: shown if it belongs to this phase."""
        if entry.step == self.live.step.key:
            self.add_entry(entry)

    def _read_only(self) -> bool:
        """True (and said) when the meeting has ended and is not being amended."""
        if self.live.editable:
            return False
        self.notify(_("This meeting has ended: F9 amends it."))
        return True

    def _changed(self, changed: Entry | None) -> None:
        if changed is not None:
            self.show_entries(self.live.entries_of(), highlight=changed.id)
        self.post_message(self.Changed())
