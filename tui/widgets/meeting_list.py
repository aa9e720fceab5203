"""The home screen's meetings: one line each, and only the lines in view are ever drawn.

Textual's OptionList measures every row it holds (wrapping each to the width) and draws a row
through a padded visual; for the home screen's first frame that was the largest part of what
Kring adds to a bare Textual app's start-up. Here a row is a line of Content cut to the width
with an ellipsis (a list is for scanning; the meeting shows the whole title), drawn when it
scrolls into view and kept until the width changes.

The list posts what happens up to its screen: a row highlighted, a row chosen (Enter, a
click); the screen decides what that means."""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual


class Row(NamedTuple):
    id: str
    content: Content


class MeetingList(ScrollView, can_focus=True):
    """Rows of one line; ``highlighted`` is the row the cursor is on (None: no rows)."""

    # The usual keys of a list; no descriptions: they are not Kring's own (help lists those).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", show=False),
        Binding("down", "cursor_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
        Binding("enter", "select", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "meeting-list--row", "meeting-list--cursor", "meeting-list--hover"}
    # One row per meeting, cut with an ellipsis in a narrow window: a list is for scanning
    # (Enter shows the whole title). Looks as Textual's OptionList does.
    DEFAULT_CSS = """
    MeetingList {
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        padding: 0 1;
        overflow-x: hidden;
        text-wrap: nowrap;
        text-overflow: ellipsis;

        & > .meeting-list--cursor {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .meeting-list--hover {
            background: $block-hover-background;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .meeting-list--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    highlighted: reactive[int | None] = reactive[int | None](None, init=False)
    hovered: reactive[int | None] = reactive[int | None](None, init=False)  # under the mouse

    class RowMessage(Message):
        """Something happened to the row ``row_id`` (the ``index``-th)."""

        def __init__(self, meeting_list: MeetingList, row_id: str, index: int) -> None:
            super().__init__()
            self.meeting_list = meeting_list
            self.row_id = row_id
            self.index = index

        @property
        def control(self) -> MeetingList:
            return self.meeting_list

    class Highlighted(RowMessage):
        """The cursor moved to the row."""

    class Selected(RowMessage):
        """The row was chosen: Enter, or a click."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Row] = []
        self._strips: dict[tuple[int, bool, bool], Strip] = {}  # by (row, cursor, mouse)
        self._drawn_width = 0

    # -- rows --------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> Row:
        return self._rows[index]

    def set_rows(self, rows: list[Row]) -> None:
        """Show ``rows``; the cursor stays on the row it was on where that row still is
        (another window's new meeting must not move it), else starts at the top."""
        was = self._rows[self.highlighted].id if self.highlighted is not None else None
        self._rows = list(rows)
        self._changed()
        ids = [row.id for row in rows]
        self.highlighted = ids.index(was) if was in ids else (0 if rows else None)

    def replace_last(self, rows: list[Row]) -> None:
        """The last row gives way to ``rows`` (the row for more, to the next page); the
        cursor stays on the same place."""
        self._rows[-1:] = rows
        self._changed()

    def _changed(self) -> None:
        self._strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows))
        self.refresh()

    # -- drawing -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._drawn_width:
            self._strips.clear()
            self._drawn_width = width
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, self.rich_style)
        cursor, mouse = index == self.highlighted, index == self.hovered
        strip = self._strips.get((index, cursor, mouse))
        if strip is None:
            style = self.get_visual_style(
                "meeting-list--row", *(["meeting-list--cursor"] if cursor else []),
                *(["meeting-list--hover"] if mouse and not cursor else []))
            content = self._rows[index].content
            (strip,) = Visual.to_strips(self, content, width, 1, style) or [Strip.blank(width)]
            strip = self._strips[(index, cursor, mouse)] = strip.extend_cell_length(
                width, style.rich_style).crop(0, width)
        return strip

    # -- the cursor --------------------------------------------------------------------------

    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._rows:
            return None
        return max(0, min(index, len(self._rows) - 1))

    def watch_highlighted(self, index: int | None) -> None:
        self.refresh()  # two rows change; the others are drawn from what was kept
        if index is None:
            return
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, force=True)
        self.post_message(self.Highlighted(self, self._rows[index].id, index))

    def _move(self, rows: int) -> None:
        if self.highlighted is not None:
            self.highlighted = self.highlighted + rows

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self._move(-len(self._rows))

    def action_last(self) -> None:
        self._move(len(self._rows))

    def action_select(self) -> None:
        if self.highlighted is not None:
            row = self._rows[self.highlighted]
            self.post_message(self.Selected(self, row.id, self.highlighted))

    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None  # the border or the scroll bar
        index = self.scroll_offset.y + offset.y
        return index if 0 <= index < len(self._rows) else None

    def watch_hovered(self) -> None:
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self._row_at(event)

    def on_leave(self) -> None:
        self.hovered = None

    def on_click(self, event: events.Click) -> None:
        index = self._row_at(event)
        if index is not None:
            self.highlighted = index
            self.action_select()
