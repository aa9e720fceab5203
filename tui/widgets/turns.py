"""Whose turn it is in a round, and who is next."""

from __future__ import annotations

from textual.widgets import Static

from kring.sessions.i18n import _
from kring.sessions.meeting.turns import Turn
from kring.tui.plain_text import plain_text


class TurnBar(Static):
    DEFAULT_CLASSES = "turns"
    DEFAULT_CSS = """
    TurnBar.turns {
        height: auto;
        margin-top: 1;
        padding: 0 1;
        border-left: thick $accent;
    }
    """

    def show(self, turn: Turn | None) -> None:
        self.display = turn is not None and bool(turn.order)
        if not self.display or turn is None:
            return
        passed = ([("   " + _("passed: {names}").format(names=", ".join(turn.passed)),
                    "dim italic")] if turn.passed else [])
        self.update(plain_text(
            (_("Now: "), "bold"), (turn.current or "", "bold reverse"),
            "   ", (_("Next: "), "dim"), (turn.next or "", ""),
            "   ", (_("round {n}").format(n=turn.round), "dim"), *passed, one_line=True))
