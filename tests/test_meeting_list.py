"""The home screen's list of meetings as a widget: a line per row, the keys of a list, a
click chooses the row under it, and it says so to its screen in messages."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content

from kring.tui.widgets.meeting_list import MeetingList, Row


class ListApp(App[None]):
    CSS = "MeetingList { height: 12; border: tall $border; text-wrap: nowrap; " \
          "text-overflow: ellipsis; }"

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.seen: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield MeetingList(id="meetings")

    def on_mount(self) -> None:
        rows = [Row(f"m{n}", Content(f"Meeting {n} " + "with a long title " * 8))
                for n in range(self.count)]
        self.query_one(MeetingList).set_rows(rows)
        self.query_one(MeetingList).focus()

    def on_meeting_list_highlighted(self, event: MeetingList.Highlighted) -> None:
        self.seen.append(("highlighted", event.row_id))

    def on_meeting_list_selected(self, event: MeetingList.Selected) -> None:
        self.seen.append(("selected", event.row_id))


def shown(app: App[None]) -> list[str]:
    return [line.text for line in app.query_one(MeetingList).render_lines(
        app.query_one(MeetingList).region.reset_offset)]


async def test_keys_move_the_cursor_and_keep_it_in_view() -> None:
    app = ListApp(100)
    async with app.run_test(size=(60, 20)) as pilot:
        listing = app.query_one(MeetingList)
        assert listing.highlighted == 0
        await pilot.press("down", "down")
        assert listing.highlighted == 2
        await pilot.press("pagedown")
        page = listing.scrollable_content_region.height - 1
        assert listing.highlighted == 2 + page
        await pilot.press("end")
        await pilot.pause()
        assert listing.highlighted == 99
        assert listing.scroll_offset.y == 100 - listing.scrollable_content_region.height
        await pilot.press("home", "up")
        assert listing.highlighted == 0 and listing.scroll_offset.y == 0
        await pilot.press("enter")
        await pilot.pause()
        assert ("highlighted", "m99") in app.seen and app.seen[-1] == ("selected", "m0")


async def test_a_row_is_one_line_cut_to_the_width() -> None:
    app = ListApp(3)
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        lines = shown(app)
        assert any("Meeting 0 with a long" in line and line.rstrip("▎ ").endswith("…")
                   for line in lines)
        assert sum("Meeting" in line for line in lines) == 3
        await pilot.resize_terminal(70, 20)  # drawn again at the new width
        await pilot.pause()
        assert max(len(line.rstrip()) for line in shown(app) if "Meeting 1" in line) > 40


async def test_a_click_chooses_the_row_under_it_and_the_border_nothing() -> None:
    app = ListApp(5)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(MeetingList)
        await pilot.click(MeetingList, offset=(5, 3))  # border row 0, then rows 0, 1, 2
        await pilot.pause()
        assert listing.highlighted == 2 and app.seen[-1] == ("selected", "m2")
        before = list(app.seen)
        await pilot.click(MeetingList, offset=(5, 0))
        await pilot.pause()
        assert app.seen == before


async def test_an_empty_list_has_no_cursor_and_enter_does_nothing() -> None:
    app = ListApp(0)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("down", "end", "enter")
        await pilot.pause()
        assert app.query_one(MeetingList).highlighted is None and app.seen == []


async def test_the_row_under_the_mouse_is_marked_until_it_leaves() -> None:
    app = ListApp(5)
    app.CSS += " MeetingList > .meeting-list--hover { background: red; }"
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        listing = app.query_one(MeetingList)
        await pilot.hover(MeetingList, offset=(5, 4))  # border, rows 0, 1, 2, then row 3
        await pilot.pause()
        assert listing.hovered == 3
        hovered_bg = {s.style.bgcolor for s in listing.render_line(3) if s.style}
        other_bg = {s.style.bgcolor for s in listing.render_line(4) if s.style}
        assert hovered_bg != other_bg
        await pilot.hover(MeetingList, offset=(5, 0))  # the border
        await pilot.pause()
        assert listing.hovered is None
