"""The projected view of a meeting: what the back row of a classroom must read.

``ProjectorView`` shows a ``RoomView`` (sessions/meeting/room.py), which already holds only
what the room may see. The countdown is drawn in block characters from a 3×5 glyph font,
scaled by whole numbers to the space it gets, so it fills a large screen as it fills a small
one: Textual's ``Digits`` is three rows tall whatever the size. Who speaks now and next is
drawn in the same font, as large as fits beside the clock. Once the phase held a dot-vote,
its result takes the instructions' place: a bold bar per option, the longest as wide as half
the screen, so the room reads who won from the back without reading the numbers.

The widget brings its own styles (``DEFAULT_CSS``), so the meeting screen can show it for F5
as the projector window shows it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Label, Markdown, Static

from kring.sessions.i18n import _
from kring.sessions.meeting.room import VOTE_ROWS, RoomTally, RoomTimer, RoomView
from kring.sessions.plain import plain, plain_line
from kring.tui.widgets.timer import clock_text

GLYPH_ROWS = 5
# Each glyph: five rows, '#' drawn. Digits and the signs of a clock, and the letters of
# names: anything else is shown in plain bold type instead.
_FONT_ROWS = {
    "0": "###|#.#|#.#|#.#|###", "1": ".#.|##.|.#.|.#.|###", "2": "###|..#|###|#..|###",
    "3": "###|..#|###|..#|###", "4": "#.#|#.#|###|..#|..#", "5": "###|#..|###|..#|###",
    "6": "###|#..|###|#.#|###", "7": "###|..#|..#|..#|..#", "8": "###|#.#|###|#.#|###",
    "9": "###|#.#|###|..#|###", ":": ".|#|.|#|.", "+": "...|.#.|###|.#.|...",
    "-": "...|...|###|...|...", " ": "..|..|..|..|..", "'": "#|#|.|.|.", ".": ".|.|.|.|#",
    "A": ".#.|#.#|###|#.#|#.#", "B": "##.|#.#|##.|#.#|##.", "C": ".##|#..|#..|#..|.##",
    "D": "##.|#.#|#.#|#.#|##.", "E": "###|#..|##.|#..|###", "F": "###|#..|##.|#..|#..",
    "G": ".##|#..|#.#|#.#|.##", "H": "#.#|#.#|###|#.#|#.#", "I": "###|.#.|.#.|.#.|###",
    "J": "..#|..#|..#|#.#|.#.", "K": "#.#|#.#|##.|#.#|#.#", "L": "#..|#..|#..|#..|###",
    "M": "#.#|###|###|#.#|#.#", "N": "##.|#.#|#.#|#.#|#.#", "O": ".#.|#.#|#.#|#.#|.#.",
    "P": "##.|#.#|##.|#..|#..", "Q": ".#.|#.#|#.#|##.|.##", "R": "##.|#.#|##.|#.#|#.#",
    "S": ".##|#..|.#.|..#|##.", "T": "###|.#.|.#.|.#.|.#.", "U": "#.#|#.#|#.#|#.#|###",
    "V": "#.#|#.#|#.#|#.#|.#.", "W": "#.#|#.#|###|###|#.#", "X": "#.#|#.#|.#.|#.#|#.#",
    "Y": "#.#|#.#|.#.|.#.|.#.", "Z": "###|..#|.#.|#..|###",
}
FONT: dict[str, tuple[str, ...]] = {char: tuple(rows.split("|"))
                                     for char, rows in _FONT_ROWS.items()}


def drawable(text: str) -> str | None:
    """``text`` as the font can draw it (upper case, accents dropped: "Zoë" → "ZOE"), or
    None when it holds a character the font does not have."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c)).upper()
    return plain if plain and all(c in FONT for c in plain) else None


def units(text: str) -> int:
    """The width of ``text`` in glyph columns, a one-column gap between glyphs included."""
    return sum(len(FONT[c][0]) for c in text) + max(0, len(text) - 1)


def scales(text: str, width: int, height: int, max_rows: int | None = None) -> tuple[int, int]:
    """The largest whole (horizontal, vertical) scale at which ``text`` fits ``width`` ×
    ``height`` cells; (0, 0) when it does not fit at all. A cell is about twice as tall as it
    is wide, so a glyph is never drawn wider than twice its height scale, nor taller than
    twice its width scale (a thin sliver of a digit reads as badly as a fat one)."""
    wide = width // units(text) if text else 0
    tall = min(height, max_rows or height) // GLYPH_ROWS
    if wide < 1 or tall < 1:
        return 0, 0
    tall = min(tall, 2 * wide)
    return min(wide, 2 * tall), tall


def big_lines(text: str, across: int, down: int) -> list[str]:
    """``text`` in block characters, each glyph cell drawn ``across`` × ``down`` cells."""
    lines = []
    for row in range(GLYPH_ROWS):
        pieces = ["".join("█" * across if mark == "#" else " " * across
                          for mark in FONT[char][row]) for char in text]
        line = (" " * across).join(pieces)
        lines.extend([line] * down)
    return lines


class BigText(Widget):
    """One line of text in the block font, as large as the widget allows, centred; plain
    bold text when the font lacks a character or the text is too long for even scale 1."""

    DEFAULT_CSS = """
    BigText { width: 1fr; height: 1fr; }
    """

    def __init__(self, text: str = "", *, max_rows: int | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text
        self.max_rows = max_rows  # a name beside the clock should not outgrow the clock
        self.drawn_rows = 0  # how many rows the glyphs took at the last render: for tests

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        text = plain_line(text)  # a participant's name: it steers no terminal
        if text != self._text:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        plain = drawable(self._text)
        across, down = scales(plain, width, height, self.max_rows) if plain else (0, 0)
        if not plain or not across:
            self.drawn_rows = 1 if self._text else 0
            top = "\n" * max(0, (height - 1) // 2)
            left = " " * max(0, (width - len(self._text)) // 2)
            return Text(top + left + self._text, style="bold")
        lines = big_lines(plain, across, down)
        self.drawn_rows = len(lines)
        above = max(0, (height - len(lines)) // 2)
        left = " " * max(0, (width - len(lines[0])) // 2)  # centred by hand: exact, any size
        return Text("\n" * above + "\n".join(left + line for line in lines), no_wrap=True)


def timer_text(timer: RoomTimer) -> str:
    """What the big clock shows: the sign makes overtime plain without colour too."""
    return ("+" if timer.overtime else "") + clock_text(timer.remaining)


def timer_caption(timer: RoomTimer) -> str:
    if timer.overtime:
        return _("OVERTIME")
    if timer.paused:
        return _("paused")
    return _("{minutes} min planned").format(minutes=round(timer.planned / 60))


class ProjectorView(Vertical):
    """What the room sees; ``show`` it a new ``RoomView`` as often as needed (only what
    changed is redrawn, so four times a second costs little)."""

    DEFAULT_CLASSES = "projector"
    DEFAULT_CSS = """
    ProjectorView { height: 1fr; padding: 0 1; }
    ProjectorView #room-head { height: 1; color: $text-muted; }
    ProjectorView #room-title { text-style: bold; color: $accent; text-align: center;
                                height: auto; }
    ProjectorView #room-rule { background: $boost; text-style: bold; text-align: center;
                               height: auto; }
    ProjectorView.-silent-bringer #room-rule { background: $warning 25%; }
    ProjectorView #room-middle { height: 1fr; min-height: 7; }
    ProjectorView #room-clock { width: 1fr; height: 1fr; }
    ProjectorView #room-digits { color: $success; }
    ProjectorView.-warning #room-digits { color: $warning; }
    ProjectorView.-overtime #room-digits { color: $error; text-style: bold; }
    ProjectorView.-paused #room-digits { color: $text-muted; }
    ProjectorView #room-caption { width: 100%; height: 1; text-align: center;
                                  color: $text-muted; }
    ProjectorView.-overtime #room-caption { background: $error; color: $text;
                                            text-style: bold; }
    ProjectorView #room-speakers { width: 40%; height: 1fr; padding: 0 0 0 1;
                                   border-left: vkey $primary 50%; }
    ProjectorView.-no-turns #room-speakers { display: none; }
    ProjectorView .room-label { width: 100%; height: 1; text-style: bold; color: $text-muted; }
    ProjectorView #room-now { color: $accent; }
    ProjectorView #room-next { color: $text-muted; }
    ProjectorView #room-instructions { height: auto; max-height: 25%; margin: 0; padding: 0;
                                       overflow-y: hidden; }
    ProjectorView #room-ended { display: none; height: 1fr; content-align: center middle;
                                text-style: bold; color: $accent; }
    ProjectorView.-ended #room-ended { display: block; }
    ProjectorView #room-votes { display: none; height: 40%; min-height: 4;
                                padding: 0 1; border-top: heavy $accent; }
    ProjectorView.-voted #room-votes { display: block; }
    ProjectorView.-voted #room-instructions { display: none; }
    ProjectorView #room-votes-head { width: 100%; height: 1; text-style: bold; color: $accent; }
    ProjectorView .room-vote { width: 100%; height: 1fr; max-height: 5; text-style: bold; }
    ProjectorView.-ended #room-middle, ProjectorView.-ended #room-instructions,
    ProjectorView.-ended #room-rule, ProjectorView.-ended #room-votes { display: none; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.view: RoomView | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="room-head", markup=False)
        yield Static("", id="room-title", markup=False)
        yield Static("", id="room-rule", markup=False)
        with Horizontal(id="room-middle"):
            with Vertical(id="room-clock"):
                yield BigText("", id="room-digits")
                yield Label("", id="room-caption")
            with Vertical(id="room-speakers"):
                yield Label("", id="room-now-label", classes="room-label")
                yield BigText("", id="room-now", max_rows=2 * GLYPH_ROWS)
                yield Label("", id="room-next-label", classes="room-label")
                yield BigText("", id="room-next", max_rows=GLYPH_ROWS)
        yield Static(_("The meeting has ended."), id="room-ended", markup=False)
        yield Markdown("", id="room-instructions")
        with Vertical(id="room-votes"):
            yield Label("", id="room-votes-head")
            for _row in range(VOTE_ROWS):
                yield VoteRow(classes="room-vote")

    def show(self, view: RoomView) -> None:
        """Show ``view``; between two views of one phase only the clock moves."""
        last, self.view = self.view, view
        self._show_timer(view.timer)
        if last is not None and last.ended == view.ended and _same_but_time(last, view):
            return
        self.set_class(view.ended, "-ended")
        self.set_class(view.silent_bringer, "-silent-bringer")
        self.set_class(view.now_speaking is None, "-no-turns")
        head = _("Phase {n} of {total}").format(n=view.number, total=view.total)
        if view.client:
            head += _(" · round {r} of {rounds}, client: {client}").format(
                r=view.round, rounds=view.rounds, client=view.client)
        if view.case_title:
            head += " · " + view.case_title
        # Names, a case's title, a template's texts: all plain on the wall.
        self.query_one("#room-head", Static).update(plain_line(head))
        self.query_one("#room-title", Static).update(plain(view.title))
        self.query_one("#room-rule", Static).update(plain(view.speaking_rule))
        # The turn bar's words without their colon: the room reads the same words as the
        # facilitator's window.
        self.query_one("#room-now-label", Label).update(_("Now: ").strip(" :"))
        self.query_one("#room-next-label", Label).update(_("Next: ").strip(" :"))
        self.query_one("#room-now", BigText).update(view.now_speaking or "")
        self.query_one("#room-next", BigText).update(view.next_speaking or "")
        if last is None or last.instructions != view.instructions:
            self.query_one("#room-instructions", Markdown).update(plain(view.instructions))
        self.set_class(view.tally is not None, "-voted")
        if view.tally is not None and (last is None or last.tally != view.tally):
            self._show_tally(view.tally)

    def _show_tally(self, tally: RoomTally) -> None:
        head = _("Votes") + " · " + _("{voters} voted, {each} votes each.").format(
            voters=tally.voters, each=tally.each)
        self.query_one("#room-votes-head", Label).update(head)
        rows = list(self.query(VoteRow))
        for widget, row in zip(rows, [*tally.rows, *[None] * len(rows)], strict=False):
            widget.display = row is not None
            widget.show(row, most=tally.rows[0][1])

    def _show_timer(self, timer: RoomTimer) -> None:
        self.query_one("#room-digits", BigText).update(timer_text(timer))
        self.set_class(timer.warning, "-warning")
        self.set_class(timer.overtime, "-overtime")
        self.set_class(timer.paused, "-paused")
        caption = self.query_one("#room-caption", Label)
        text = timer_caption(timer)
        if str(caption.content) != text:
            caption.update(text)


class VoteRow(Widget):
    """One option of a vote: its votes as a bar (the most-voted half the row wide, and as
    tall as the row: thick on a large screen) and a number, then its text on the bar's middle
    line, cut with an ellipsis rather than wrapped. The bar is measured when drawn, so it
    follows the window when that is resized."""

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.row: tuple[str, int] | None = None
        self.most = 0

    def show(self, row: tuple[str, int] | None, *, most: int) -> None:
        if (row, most) != (self.row, self.most):
            self.row, self.most = row, most
            self.refresh()

    def render(self) -> Text:
        if self.row is None:
            return Text("")
        text, votes = self.row
        longest = max(4, self.content_size.width // 2 - 6)
        bar = "█" * (round(longest * votes / self.most) if self.most else 0)
        height = max(1, self.content_size.height - 1)  # a blank line between two bars
        label = f" {votes:>3}  " + plain_line(" ".join(text.split()))  # several lines: one
        lines = [bar.ljust(longest) + (label if row == (height - 1) // 2 else "")
                 for row in range(height)]
        return Text("\n".join(lines), no_wrap=True, overflow="ellipsis")


def _same_but_time(one: RoomView, other: RoomView) -> bool:
    """Whether two views differ in their timer alone (the clock moved on, nothing else)."""
    return replace(one, timer=other.timer, as_of=other.as_of) == other
