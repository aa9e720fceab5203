"""The entries of the current phase, as the meeting screen shows them, and what the
note-taker does to one already captured: edit it, give it another kind, move it to another
phase, delete it and take the deletion back. ``EntryList`` asks (its messages name the
entry); here, where the live meeting is at hand, the asking is answered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.message import Message

from kring.sessions.i18n import N_, _
from kring.sessions.model.kinds import Capture
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry
from kring.sessions.model.privacy import merge_names
from kring.tui.plain_text import PlainNotify
from kring.tui.screens.dialogs import ChoiceDialog, TextDialog
from kring.tui.widgets.entries import EntryList

if TYPE_CHECKING:
    from kring.sessions.guard.meeting import Finding
    from kring.sessions.meeting.live import LiveMeeting


class MeetingEntries(PlainNotify, EntryList):
    # What the privacy guard found in the entry under the cursor (marked ⚑ in its row).
    BINDINGS = [
        Binding("ctrl+f", "protect_found", N_("Protect the names found")),
        Binding("ctrl+d", "dismiss_found", N_("Dismiss what was found (nobody)")),
    ]

    class Guarded(Message):
        """Names were protected or words dismissed: the guard looks again."""

        def __init__(self, dismissed: list[str]) -> None:
            super().__init__()
            self.dismissed = dismissed  # words the community is not asked about again

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
        self.findings: dict[str, list[Finding]] = {}

    def show_findings(self, findings: dict[str, list[Finding]]) -> None:
        self.findings = findings
        self.flag({where: tuple(dict.fromkeys(f.span.text for f in found))
                   for where, found in findings.items()})

    def _found_here(self) -> list[Finding] | None:
        entry = self.selected_entry()
        found = self.findings.get(entry.id) if entry is not None else None
        if not found:
            self.notify(_("The privacy guard found nothing in this entry."))
        return found

    def action_protect_found(self) -> None:
        found = self._found_here()
        if not found or self._read_only():
            return
        names = list(dict.fromkeys(f.span.text for f in found if f.protectable))
        if not names:
            self.notify(_("A number or a date cannot be protected: edit it out of the entry "
                          "(Enter)."), severity="warning")
            return
        self.live.protect_names(merge_names(self.live.meeting.protected_names, names))
        self.notify(_("Protected, here and in everything written from this meeting: "
                      "{names}").format(names=", ".join(names)))
        self.post_message(self.Guarded([]))

    def action_dismiss_found(self) -> None:
        found = self._found_here()
        if not found:
            return
        words = list(dict.fromkeys(f.span.text for f in found))
        self.notify(_("Not asked about again in this community: {words}").format(
            words=", ".join(words)))
        self.post_message(self.Guarded(words))

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
