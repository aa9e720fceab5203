"""The home screen with thousands of meetings costs what it does with fifty: it makes rows for
a screenful, the most relevant first (in progress, then the newest), and a last row says how
many more there are; reaching that row shows the next page. benchmarks/ui.py times it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Status
from kring.sessions.store.facade import Store
from kring.sessions.store.summary import MeetingSummary, in_progress_first
from kring.tui.app import create_app
from kring.tui.screens import home
from kring.tui.screens.home import MORE, PAGE
from kring.tui.widgets.meeting_list import MeetingList
from tests.support.catalog import CATALOG

SIZE = (100, 30)
FIRST = SIZE[1]  # the first page: as many meetings as the window has rows


def summaries(count: int, in_progress: int = 0) -> list[MeetingSummary]:
    """``count`` meetings, a day apart; the first ``in_progress`` of them (the oldest) are
    still going on."""
    start = datetime(2015, 1, 1, 9, 0, tzinfo=UTC)
    return [MeetingSummary(
        id=f"{number:012x}", community=f"Community {number % 7}",
        date=date(2015, 1, 1) + timedelta(days=number), case=f"Case {number}",
        protocol="incident", language="en",
        status=Status.IN_PROGRESS if number < in_progress else Status.ENDED,
        created_at=start + timedelta(days=number), public_case=f"Case {number}")
        for number in range(count)]


def serve(monkeypatch: pytest.MonkeyPatch, listed: list[MeetingSummary]) -> None:
    """The store's pages of ``listed`` (its own order is tested in test_store_summary.py)."""
    ordered = in_progress_first(listed)

    def page(self: Store, limit: int | None, offset: int = 0, *, check: bool = True
             ) -> tuple[list[MeetingSummary], int]:
        return ordered[offset:None if limit is None else offset + limit], len(ordered)

    monkeypatch.setattr(Store, "meetings_page", page)


def rows(app: object) -> list[str]:
    options = app.screen.query_one("#meetings", MeetingList)  # type: ignore[attr-defined]
    return [str(options.row(i).content) for i in range(options.row_count)]


@pytest.fixture
def many(monkeypatch: pytest.MonkeyPatch) -> list[MeetingSummary]:
    listed = summaries(5000, in_progress=2)
    serve(monkeypatch, listed)
    return listed


async def test_five_thousand_meetings_make_one_page_of_rows(
        data: Path, clock: FakeClock, many: list[MeetingSummary],
        monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    describe = home._describe
    monkeypatch.setattr(home, "_describe",
                        lambda summary, case: made.append(summary.id) or describe(summary, case))
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = rows(app)
        assert len(made) == FIRST and len(shown) == FIRST + 1
        # In progress first (the two oldest), then the newest.
        assert "Case 1 " in shown[0] + " " and "Case 0" in shown[1]
        assert "Case 4999" in shown[2] and "Case 4998" in shown[3]
        assert f"{5000 - FIRST} older meetings" in shown[-1]
        options = app.screen.query_one("#meetings", MeetingList)
        assert options.highlighted == 0 and app.focused is options


async def test_reaching_the_last_row_shows_the_next_page(
        data: Path, clock: FakeClock, many: list[MeetingSummary]) -> None:
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#meetings", MeetingList)
        await pilot.press("end")  # the row that says how many more
        await pilot.pause()
        shown = rows(app)
        assert len(shown) == FIRST + PAGE + 1
        assert f"{5000 - FIRST - PAGE} older meetings" in shown[-1]
        # The cursor stays where it was: on the first meeting of the new page, no row lost.
        assert options.highlighted == FIRST
        assert options.row(FIRST).id == many[5000 - FIRST + 1].id
        assert len({options.row(i).id
                    for i in range(FIRST + PAGE)}) == FIRST + PAGE


async def test_clicking_the_last_row_shows_more_once_and_opens_nothing(
        data: Path, clock: FakeClock, many: list[MeetingSummary],
        monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    app = create_app(data, CATALOG, clock)
    monkeypatch.setattr(app, "open_meeting", opened.append)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#meetings", MeetingList)
        # What a click does: highlight the row, then select it at once.
        options.highlighted = FIRST
        options.action_select()
        await pilot.pause()
        await pilot.pause()
        assert opened == [] and options.row_count == FIRST + PAGE + 1
        options.highlighted = 3
        await pilot.press("enter")
        assert opened == [options.row(3).id]


async def test_the_last_page_has_no_row_for_more_and_a_late_click_is_harmless(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, summaries(FIRST + 5))
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#meetings", MeetingList)
        options.highlighted = FIRST  # clicked: highlighted, then selected at once
        options.action_select()
        await pilot.pause()
        await pilot.pause()
        assert options.row_count == FIRST + 5
        assert MORE not in {options.row(i).id for i in range(FIRST + 5)}


async def test_a_short_list_has_no_row_for_more(data: Path, clock: FakeClock,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    serve(monkeypatch, summaries(FIRST))
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#meetings", MeetingList)
        assert options.row_count == FIRST
        assert MORE not in {options.row(i).id for i in range(FIRST)}


async def test_the_home_screen_does_not_rebuild_its_footer_when_reloaded(
        data: Path, clock: FakeClock, many: list[MeetingSummary],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Footer

    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        built: list[int] = []
        original = Footer.recompose

        async def counting(self: Footer) -> None:
            built.append(1)
            await original(self)

        monkeypatch.setattr(Footer, "recompose", counting)
        footer_keys = [str(key.description) for key in app.screen.query("FooterKey")]
        app.screen.reload()  # type: ignore[attr-defined]
        app.screen.refresh_bindings()  # as a focus change does: the same keys
        await pilot.pause()
        await pilot.pause()
        assert built == []
        assert [str(key.description) for key in app.screen.query("FooterKey")] == footer_keys
        assert "New meeting" in footer_keys



@pytest.mark.parametrize("height", [12, 60])
async def test_the_first_page_is_a_screenful_whatever_the_window(
        data: Path, clock: FakeClock, many: list[MeetingSummary], height: int) -> None:
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, height)) as pilot:
        await pilot.pause()
        shown = rows(app)
        options = app.screen.query_one("#meetings", MeetingList)
        assert len(shown) == height + 1 and f"{5000 - height} older meetings" in shown[-1]
        assert options.size.height < height  # header, footer and title take rows too


async def test_a_title_that_looks_like_markup_is_shown_as_typed(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = summaries(3)
    odd = "[bold]Noor[/] said [/] and [link=https://x.test]this[/link] :smile: ‏שלום"
    listed[2] = replace(listed[2], case=odd, public_case=odd)  # the newest: the first row
    serve(monkeypatch, listed)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(200, 30)) as pilot:
        await pilot.pause()
        assert odd in rows(app)[0]


def test_a_page_unchecked_is_the_index_as_it_last_saw_the_logs(data: Path) -> None:
    from tests.support.store import meeting

    store = Store(data)
    store.create_meeting(meeting("m1"))
    assert store.count_meetings() == 1
    Store(data).create_meeting(meeting("m2"))  # another window or device, meanwhile
    assert [s.id for s in store.meetings_page(10, check=False)[0]] == ["m1"]
    assert {s.id for s in store.meetings_page(10)[0]} == {"m1", "m2"}


async def test_home_shows_the_index_at_once_then_what_changed_meanwhile(
        data: Path, clock: FakeClock) -> None:
    from tests.support.store import meeting

    store = Store(data)
    store.create_meeting(meeting("m1"))
    assert store.count_meetings() == 1  # the index as a previous start left it
    Store(data).create_meeting(meeting("m2"))  # synced in since
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one("#meetings", MeetingList)
        assert {options.row(i).id for i in range(options.row_count)} == {"m1", "m2"}


async def test_an_index_never_built_is_built_before_the_first_frame(
        data: Path, clock: FakeClock) -> None:
    from tests.support.store import meeting

    Store(data).create_meeting(meeting("m1"))  # never listed: no index yet
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE):
        # No pause, no worker: on_mount itself looked at the logs (no welcome, then a list).
        options = app.screen.query_one("#meetings", MeetingList)
        assert options.row_count == 1 and options.display
        assert len(app.workers) == 0  # nothing left to check


async def test_opening_a_meeting_gone_since_the_list_says_so_and_lists_again(
        data: Path, clock: FakeClock) -> None:
    from tests.support.store import meeting

    store = Store(data)
    store.create_meeting(meeting("m1"))
    store.create_meeting(meeting("m2"))
    assert store.count_meetings() == 2
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        said: list[str] = []
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        options = app.screen.query_one("#meetings", MeetingList)
        gone = options.row(0).id
        for log in data.glob(f"devices/*/meetings/{gone}.jsonl"):
            log.unlink()  # purged on another laptop, say, after the list was shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, type(app.get_default_screen()))  # still home
        assert [options.row(i).id for i in range(options.row_count)] == [
            m for m in ("m1", "m2") if m != gone]
        assert len(said) == 1 and gone in said[0]
