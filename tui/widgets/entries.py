"""The entries captured in the current phase. Adding one appends a row: nothing is redrawn
or re-read for the rest, so a meeting of a thousand entries types as fast as an empty one.

Only the newest WINDOW entries become rows when the list is filled; a first row says how many
earlier ones there are, and reaching it (the cursor, Enter, a click) shows another WINDOW of
them. Textual's OptionList measures every row it holds (wrapping each entry to the width)
whenever it is filled or resized: with 20,000 entries in a phase that took seconds, and the
screen stayed busy long after it showed.

The list is for looking back, never for typing: a letter typed while it has the focus goes
to the capture line (with the focus), so no word typed there can change or delete an entry.
Deleting is the Delete key, and ctrl+z takes it back."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.model.dates import long_date
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry
from kring.tui.plain_text import Part, plain_text

WINDOW = 100  # entries that become rows at a time: more than a phase of most meetings
EARLIER = "--earlier--"  # the id of the row that shows earlier entries (entry ids are hex)


def entry_text(entry: Entry, language: str, flagged: tuple[str, ...] = ()) -> Text:
    # Who said it comes first, before the text: at the end of a long entry it would wrap
    # out of sight, and the note-taker checks it at a glance.
    parts: list[Part] = [(capture_label(entry.kind), "bold")]
    if entry.author:
        parts.append((f" · {entry.author}", "bold"))
    if entry.private:
        parts.append((" 🔒" + _("private"), "italic"))
    # As typed (Markdown or markup shows as typed), and plain: it may come from a phone or
    # another laptop, and an escape code in it must not reach the terminal.
    parts += ["  ", entry.text]
    details = []
    if entry.owner:
        details.append(_("owner {name}").format(name=entry.owner))
    if entry.due:
        details.append(_("due {date}").format(date=long_date(entry.due, language)))
    if details:
        parts.append(("  " + " · ".join(details), "dim"))
    if flagged:  # what the privacy guard found in it, to protect or dismiss
        parts.append(("  ⚑ " + ", ".join(flagged), "bold yellow"))
    return plain_text(*parts)


def entry_row(entry: Entry, language: str, flagged: tuple[str, ...] = ()) -> Option:
    return Option(entry_text(entry, language, flagged), id=entry.id)


class EntryList(OptionList):
    """One widget for all rows (not a widget per entry), so a thousand entries cost the
    layout nothing while the note-taker types. The screen owns the entries and hands them
    down; what the note-taker asks of an entry goes up as a message, and the screen does it."""

    class EntryMessage(Message):
        """Something was asked of one entry, the highlighted one."""

        def __init__(self, entry_list: EntryList, entry: Entry) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.entry = entry

        @property
        def control(self) -> EntryList:
            return self.entry_list

    class EditRequested(EntryMessage):
        """Enter (or a click) on an entry: edit its text."""

    class KindChangeRequested(EntryMessage):
        """Give the entry another kind (a question that was a remark)."""

    class MoveRequested(EntryMessage):
        """Move the entry to another phase."""

    class DeleteRequested(EntryMessage):
        """Delete the entry (the screen keeps it for ctrl+z)."""

    class TypingRequested(Message):
        """The note-taker is done with the entries and wants the capture line back;
        ``text`` is what they already typed (a letter), for the capture line."""

        def __init__(self, entry_list: EntryList, text: str = "") -> None:
            super().__init__()
            self.entry_list = entry_list
            self.text = text

        @property
        def control(self) -> EntryList:
            return self.entry_list

    DEFAULT_CLASSES = "entries"
    # :focus as well: OptionList's own focused border would otherwise win over a class alone.
    DEFAULT_CSS = """
    EntryList.entries, EntryList.entries:focus {
        border-top: hkey $primary 50%;
    }
    """
    # No letters: a note-taker who thinks the capture line has the focus types words here.
    HELP = N_("In the entries (up from the capture line)")
    BINDINGS = [
        Binding("enter", "select", N_("Edit")),  # OptionList's own: the entry is edited
        Binding("ctrl+k", "change_kind", N_("Change kind")),
        Binding("ctrl+e", "move_entry", N_("Move to phase")),
        Binding("delete", "delete_entry", N_("Delete")),
        Binding("escape", "back_to_typing", N_("Back to typing")),
    ]

    def __init__(self, *, language: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.language = language  # of the due dates
        self.entries: list[Entry] = []
        self.flags: dict[str, tuple[str, ...]] = {}  # by entry id: what the guard found
        self._first = 0  # the index in ``entries`` of the first one shown as a row

    @property
    def _skipped(self) -> int:
        """Rows before the first entry's: the one that shows earlier entries, if any."""
        return 1 if self._first else 0

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # A scroll bar coming or going narrows or widens the rows without resizing the list,
        # and OptionList measures its rows again only on a resize: the rows measured at the
        # old width would cut off the last line of a long entry. Measure them again now, and
        # keep following the newest entry if the list was showing it.
        following = self.scroll_y >= self.max_scroll_y
        self._clear_caches()
        if following:
            self.call_after_refresh(self.scroll_end, animate=False)

    def on_resize(self) -> None:
        # The screen around the list settles after it is filled (the instructions render, the
        # case panel comes): while nobody is looking back through the entries, the newest
        # stays in view.
        if self.highlighted is None:
            self.call_after_refresh(self.scroll_end, animate=False)

    def show_entries(self, entries: list[Entry], highlight: str | None = None) -> None:
        """Replace the rows with the newest entries, the last in view; ``highlight`` keeps the
        cursor on an entry (by id) after an edit, showing rows back to it if need be."""
        self.entries = list(entries)
        ids = [entry.id for entry in entries]
        wanted = ids.index(highlight) if highlight in ids else None
        self._first = max(0, len(entries) - WINDOW)
        if wanted is not None:
            self._first = min(self._first, wanted)
        self._fill()
        if wanted is not None:
            self.highlighted = wanted - self._first + self._skipped
        else:
            self.scroll_end(animate=False)  # once laid out: the newest entry in view

    def _fill(self) -> None:
        rows = [entry_row(entry, self.language, self.flags.get(entry.id, ()))
                for entry in self.entries[self._first:]]
        if self._first:
            earlier = ngettext("↑ {count} earlier entry: Enter shows it",
                               "↑ {count} earlier entries: Enter shows them", self._first)
            rows.insert(0, Option(Text(earlier.format(count=self._first), style="dim italic"),
                                  id=EARLIER))
        self.set_options(rows)

    def _show_earlier(self, row: Option) -> None:
        """Another WINDOW of earlier entries, the cursor on the newest of them (where moving
        up from the first row was going). ``row`` is the row that asked: a click highlights
        it and then selects it, and the second must not show yet another WINDOW."""
        if not self._first or self.get_option_at_index(0) is not row:
            return
        before = self._first
        self._first = max(0, before - WINDOW)
        self._fill()
        self.highlighted = before - 1 - self._first + self._skipped

    def add_entry(self, entry: Entry) -> None:
        self.entries.append(entry)
        self.add_option(entry_row(entry, self.language, self.flags.get(entry.id, ())))
        self.scroll_end(animate=False)

    def flag(self, flags: dict[str, tuple[str, ...]]) -> None:
        """Mark the entries in which the privacy guard found something (by entry id); the
        rows whose mark changed are drawn again, the others kept."""
        changed = {entry_id for entry_id in flags.keys() | self.flags.keys()
                   if flags.get(entry_id) != self.flags.get(entry_id)}
        self.flags = dict(flags)
        for entry in self.entries[self._first:]:
            if entry.id in changed:
                self.replace_option_prompt(entry.id, entry_text(
                    entry, self.language, self.flags.get(entry.id, ())))

    def selected_entry(self) -> Entry | None:
        return self._entry_at(self.highlighted)

    def _entry_at(self, row: int | None) -> Entry | None:
        if row is None or row < self._skipped:
            return None
        index = self._first + row - self._skipped
        return self.entries[index] if index < len(self.entries) else None

    @on(OptionList.OptionHighlighted)
    def _earlier_when_reached(self, event: OptionList.OptionHighlighted) -> None:
        # Moving up past the first row goes on into the earlier entries.
        if event.option.id == EARLIER:
            self._show_earlier(event.option)

    def on_key(self, event: events.Key) -> None:
        # Typing here means typing: the letter and the focus go to the capture line. Space
        # too, as it starts no action here.
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.post_message(self.TypingRequested(self, event.character))

    @on(OptionList.OptionSelected)
    def _edit_selected(self, event: OptionList.OptionSelected) -> None:
        # The option itself means nothing above this widget: the entry behind it does.
        event.stop()
        if event.option.id == EARLIER:
            self._show_earlier(event.option)
            return
        entry = next((entry for entry in self.entries[self._first:]
                      if entry.id == event.option.id), None)
        if entry is not None:
            self.post_message(self.EditRequested(self, entry))

    def action_change_kind(self) -> None:
        self._request(self.KindChangeRequested)

    def action_move_entry(self) -> None:
        self._request(self.MoveRequested)

    def action_delete_entry(self) -> None:
        self._request(self.DeleteRequested)

    def action_back_to_typing(self) -> None:
        self.post_message(self.TypingRequested(self))

    def _request(self, message: type[EntryMessage]) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.post_message(message(self, entry))
