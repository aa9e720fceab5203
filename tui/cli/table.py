"""A plain table for the commands' lists (``kring list``, ``kring actions``).

Rich's Table measured every cell of every row and laid the whole table out before printing a
line: over 90% of ``kring list``'s time with a thousand meetings. Here each column is as wide
as its widest cell; when that does not fit the terminal, the columns that may wrap give way,
widest first, and their cells wrap at spaces. Cells are plain text, never markup: a title with
``[/]`` or ``[bold]`` in it prints as typed. Control characters (a newline, an escape sequence
in a hand-edited file) print as spaces or as '�', so no cell can move the cursor or recolour
the terminal. Bold and colour only when printing to a terminal that wants colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console

from kring.sessions.plain import plain_line

GAP = "  "
NARROWEST = 8  # a wrapping column is never squeezed below this many cells
BOLD, RED, RESET = "\x1b[1m", "\x1b[31m", "\x1b[0m"


@dataclass
class Column:
    header: str
    wrap: bool = False  # may wrap onto more lines when the table is too wide


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)
    alert: list[bool] = field(default_factory=list)  # rows to stand out (bold red)

    def add_row(self, *cells: str, alert: bool = False) -> None:
        self.rows.append([plain_line(cell) for cell in cells])
        self.alert.append(alert)

    def render(self, width: int | None, color: bool) -> str:
        """The table as text, fitted to ``width`` cells (None: one line per row)."""
        headers = [plain_line(column.header) for column in self.columns]
        widths = [max([cell_len(headers[i])] + [cell_len(row[i]) for row in self.rows])
                  for i in range(len(self.columns))]
        if width is not None:
            _fit(widths, [column.wrap for column in self.columns], width)
        lines = [_bold(self.title, color)]
        lines += _lines(headers, widths, BOLD if color else "")
        for row, alert in zip(self.rows, self.alert, strict=True):
            lines += _lines(row, widths, (BOLD + RED) if alert and color else "")
        return "\n".join(lines) + "\n"

    def print(self, console: Console) -> None:
        """Written as one string to the console's file: no per-cell work by Rich."""
        terminal = console.is_terminal
        color = terminal and not console.no_color and console.color_system is not None
        console.file.write(self.render(console.width if terminal else None, color))
        console.file.flush()


def _bold(text: str, color: bool) -> str:
    return f"{BOLD}{text}{RESET}" if color else text


def _fit(widths: list[int], wraps: list[bool], width: int) -> None:
    """Narrow the wrapping columns, the widest first, until the table fits ``width``."""
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    while excess > 0:
        candidates = [i for i, wrap in enumerate(wraps) if wrap and widths[i] > NARROWEST]
        if not candidates:
            return  # the terminal is narrower than the narrowest table: lines run over
        widest = max(candidates, key=lambda i: widths[i])
        others = max((widths[i] for i in candidates if i != widest), default=NARROWEST)
        step = min(excess, widths[widest] - max(others, NARROWEST)) or 1
        widths[widest] -= step
        excess -= step


def _lines(cells: Sequence[str], widths: Sequence[int], style: str) -> list[str]:
    wrapped = [_wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for number in range(height):
        parts = [parts[number] if number < len(parts) else "" for parts in wrapped]
        padded = [part + " " * (width - cell_len(part))
                  for part, width in zip(parts, widths, strict=True)]
        line = GAP.join(padded).rstrip()
        lines.append(f"{style}{line}{RESET}" if style else line)
    return lines


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces where it can be."""
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:  # a word longer than the column: cut it
            cut = _cut(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _cut(word: str, width: int) -> int:
    """How many characters of ``word`` fit in ``width`` cells (at least one)."""
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return max(index, 1)
    return len(word)
