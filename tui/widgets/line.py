"""An input for lists typed one line at a time (entries, names): Enter finishes a line.

Input's own Enter is a binding, and Textual runs non-priority bindings only after the key has
bubbled up to the app, while the keys queued behind it (a fast typist, a paste typed by the
terminal, a burst from tmux) reach the Input first: a handler that then cleared the input threw
them away, and every Enter of the burst submitted the merged text. Here Enter is handled in
the key handler itself, in order with the keys around it: the finished line travels in the
message, the input is emptied at once, and whatever is typed next lands in the next line."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class LineInput(Input):
    class Committed(Message):
        """A line was finished with Enter, or by a line break in a paste. Never empty."""

        def __init__(self, line_input: LineInput, text: str) -> None:
            super().__init__()
            self.input = line_input
            self.text = text

        @property
        def control(self) -> LineInput:
            return self.input

    # Textual calls these handlers down the class hierarchy; prevent_default() keeps
    # Input's own from running after them.

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            line, self.value = self.value, ""
            self._commit(line)

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only a paste's first line. Here each line break is an Enter, as if the
        # lines had been typed: every finished line is committed, the last one stays to edit.
        event.stop()
        event.prevent_default()
        lines = event.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if self.selection.is_empty:
            start = end = self.cursor_position
        else:
            start, end = sorted(self.selection)
        before, after = self.value[:start], self.value[end:]
        if len(lines) == 1:
            self.value = before + lines[0] + after
            self.cursor_position = start + len(lines[0])
            return
        self._commit(before + lines[0])
        for line in lines[1:-1]:
            self._commit(line)
        self.value = lines[-1] + after
        self.cursor_position = len(lines[-1])

    def give_back(self, text: str) -> None:
        """Put a line that could not be used back in front of anything typed since."""
        self.value = text + (" " if self.value else "") + self.value
        self.cursor_position = len(text)

    def _commit(self, text: str) -> None:
        if text.strip():
            self.post_message(self.Committed(self, text))
