"""What the note-taker does to an entry already captured: edit it, give it another kind,
move it to another phase, delete it and take the deletion back. The entry list asks (its
messages name the entry); the meeting screen, which owns the meeting, does it here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen

from kring.sessions.i18n import _
from kring.sessions.model.kinds import Capture
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry
from kring.sessions.share.queue import Discarded
from kring.tui.screens.dialogs import ChoiceDialog, TextDialog
from kring.tui.widgets.entries import EntryList

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class EntryEditing(Screen[None]):
    """Mixed into the meeting screen. A Screen itself, so that Textual registers the ``@on``
    handlers below (it collects them only from its own classes)."""

    # Provided by the meeting screen.
    live: LiveMeeting
    _report_unsaved: Callable[[], None]
    restore_discarded: Callable[[Discarded], None]  # sharing.py

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        # What ctrl+z takes back, the latest last: a deleted entry, or contributions
        # discarded from the room's queue at once.
        self._deleted: list[Entry | Discarded] = []

    @on(EntryList.EditRequested)
    def edit_entry(self, event: EntryList.EditRequested) -> None:
        if self._read_only():
            return
        entry = event.entry

        def done(text: str | None) -> None:
            if text is None or text.strip() == entry.text:
                return
            if not text.strip():
                self.notify(_("An entry cannot be empty; delete it instead."), severity="warning")
                return
            changed = self.live.edit_entry(entry.id, text=text.strip())
            self._after_entry_change(changed)

        self.app.push_screen(TextDialog(_("Edit {kind}").format(kind=capture_label(entry.kind)),
                                        entry.text), done)

    @on(EntryList.KindChangeRequested)
    def change_kind(self, event: EntryList.KindChangeRequested) -> None:
        if self._read_only():
            return
        entry = event.entry
        kinds = list(Capture)

        def done(index: int | None) -> None:
            if index is not None:
                self._after_entry_change(self.live.edit_entry(entry.id, kind=kinds[index]))

        self.app.push_screen(ChoiceDialog(_("What kind of entry is this?"),
                                          [capture_label(k) for k in kinds],
                                          kinds.index(entry.kind)), done)

    @on(EntryList.MoveRequested)
    def move_entry(self, event: EntryList.MoveRequested) -> None:
        if self._read_only():
            return
        entry = event.entry
        steps = self.live.steps

        def done(index: int | None) -> None:
            if index is None or steps[index].key == entry.step:
                return
            self.live.move_entry(entry.id, steps[index])
            self.query_one(EntryList).show_entries(self.live.entries_of())
            self.notify(_("Moved to “{phase}”.").format(phase=steps[index].phase.title))
            self._report_unsaved()

        titles = [f"{i + 1}. {s.phase.title}" + (f" ({s.client})" if s.client else "")
                  for i, s in enumerate(steps)]
        self.app.push_screen(ChoiceDialog(_("Move to which phase?"), titles,
                                          self.live.step_index), done)

    @on(EntryList.DeleteRequested)
    def delete_entry(self, event: EntryList.DeleteRequested) -> None:
        if self._read_only():
            return
        deleted = self.live.delete_entry(event.entry.id)
        if deleted is not None:
            self._deleted.append(deleted)
            self.query_one(EntryList).show_entries(self.live.entries_of())
            self.notify(_("Deleted. Press ctrl+z to undo."))
            self._report_unsaved()

    def remember_undo(self, done: Discarded) -> None:
        self._deleted.append(done)

    def action_undo_delete(self) -> None:
        if not self._deleted:
            self.notify(_("Nothing to undo."))
            return
        if isinstance(self._deleted[-1], Discarded):
            # The queue is not the meeting: it can be undone after the meeting ended.
            discarded = self._deleted.pop()
            assert isinstance(discarded, Discarded)
            self.restore_discarded(discarded)
            return
        if self._read_only():
            return
        entry = self._deleted.pop()
        assert isinstance(entry, Entry)
        self.live.restore_entry(entry)
        self.query_one(EntryList).show_entries(self.live.entries_of())
        self.notify(_("Restored."))
        self._report_unsaved()

    def _read_only(self) -> bool:
        """True (and said) when the meeting has ended and is not being amended."""
        if self.live.editable:
            return False
        self.notify(_("This meeting has ended: F9 amends it."))
        return True

    def _after_entry_change(self, changed: Entry | None) -> None:
        if changed is not None:
            self.query_one(EntryList).show_entries(self.live.entries_of(), highlight=changed.id)
        self._report_unsaved()
