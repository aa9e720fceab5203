"""The app driven with Textual's Pilot: setup, phases, timer, turns, capture, ending, resume."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Digits, Input, Select, Static

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Status
from kring.sessions.model.protocol import Capture, InputMode
from kring.sessions.store.facade import Store
from kring.tui.screens.dialogs import ChoiceDialog, EndMeetingDialog, TextDialog
from kring.tui.screens.help import HelpScreen
from kring.tui.screens.home import HomeScreen
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.screens.setup import SetupScreen
from kring.tui.widgets.entries import EntryList
from kring.tui.widgets.timer import PhaseTimer
from tests.support.meeting_app import (
    PEOPLE,
    make_app,
    meeting_screen,
    open_meeting,
    open_setup,
    stored_meeting,
    type_line,
)


async def test_first_run_welcomes_and_offers_a_demo(data: Path, clock: FakeClock) -> None:
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        welcome = str(app.screen.query_one("#welcome").render())
        assert "Welcome to Kring" in welcome and "demo" in welcome
        await pilot.press("d")
        await pilot.pause()
        screen = meeting_screen(app)
        assert screen.live.meeting.participants == PEOPLE
    assert len(Store(data).list_meetings()) == 1


async def test_setup_fills_roster_checks_roles_and_starts(data: Path, clock: FakeClock) -> None:
    Store(data).save_community(Community("CoP Inclusion", ["Anouk", "Bram", "Chantal"]))
    app = make_app(data, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        setup = await open_setup(pilot)
        await pilot.press(*"CoP Inclusion", "enter")
        await pilot.pause()
        assert setup.current.participants == ["Anouk", "Bram", "Chantal"]
        participant = setup.query_one("#participant", Input)
        participant.focus()
        await pilot.press(*"Dev", "enter")
        await pilot.pause()
        assert setup.current.participants[-1] == "Dev"
        problems = str(setup.query_one("#setup-problems").render())
        assert "facilitator" in problems and "case-bringer" in problems
        # Starting now is refused with the problem shown, not a crash.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        setup.query_one("#role-facilitator", Select).value = "Anouk"
        setup.query_one("#role-case-bringer", Select).value = "Bram"
        await pilot.pause()
        assert "Ready to start" in str(setup.query_one("#setup-problems").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = meeting_screen(app)
        assert screen.live.meeting.roles == {"facilitator": "Anouk", "case-bringer": "Bram"}
        assert screen.live.meeting.community == "CoP Inclusion"


async def test_cancelling_a_filled_in_setup_asks_first(data: Path, clock: FakeClock) -> None:
    app = make_app(data, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("n")
        await pilot.press(*"Group A")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)  # a confirmation is showing
        await pilot.press("escape")  # "cancel" the discard
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)


async def test_every_kind_is_captured_and_stored_before_it_shows(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    lines = {
        "q: Who else was there?": Capture.QUESTION,
        "f: It was the last lesson": Capture.FACT,
        "p: Ask the pupil privately @chantal": Capture.POSITION,
        "d: We keep this case for next time": Capture.DECISION,
        "a: Call the mentor @bram 2026-12-01": Capture.ACTION,
        "r: I recognise this": Capture.REFLECTION,
        "l: Quiet pupils need to be seen": Capture.LEARNING,
        "n: # not a heading **and** <b>not bold</b> 👀 שלום": Capture.NOTE,
    }
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        for line in lines:
            await type_line(pilot, line)
        shown = meeting_screen(app).query_one(EntryList)
        assert shown.option_count == len(lines)
    stored = Store(data).load(meeting_id).entries
    assert [e.kind for e in stored] == list(lines.values())
    by_kind = {e.kind: e for e in stored}
    assert by_kind[Capture.POSITION].author == "Chantal"
    action = by_kind[Capture.ACTION]
    assert action.owner == "Bram" and action.due is not None and action.due.isoformat() == \
        "2026-12-01"
    assert by_kind[Capture.NOTE].text == "# not a heading **and** <b>not bold</b> 👀 שלום"


async def test_edit_move_delete_and_undo(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: first")
        await type_line(pilot, "n: second")
        screen = meeting_screen(app)
        await pilot.press("up")  # into the entries, on the last one
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one("TextArea").text = "second, edited"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Store(data).load(meeting_id).entries[-1].text == "second, edited"

        screen.query_one(EntryList).focus()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("down", "enter")
        await pilot.pause()
        moved = next(e for e in Store(data).load(meeting_id).entries if e.text == "second, edited")
        assert moved.step == screen.live.steps[1].key
        assert [e.text for e in screen.live.entries_of()] == ["first"]

        screen.query_one(EntryList).focus()
        screen.query_one(EntryList).highlighted = 0
        await pilot.press("delete")
        await pilot.pause()
        assert [e.text for e in Store(data).load(meeting_id).entries] == ["second, edited"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert sorted(e.text for e in Store(data).load(meeting_id).entries) == [
            "first", "second, edited"]


async def test_timer_pause_extend_warning_and_overtime(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        timer = screen.query_one(PhaseTimer)
        planned = screen.live.step.phase.seconds
        clock.advance(60)
        await pilot.press("ctrl+r")  # pause
        clock.advance(3600)
        await pilot.pause(0.3)
        assert timer.has_class("-paused")
        assert screen.live.timer().elapsed == 60
        await pilot.press("ctrl+r", "ctrl+g", "ctrl+g")
        assert screen.live.timer().planned == planned + 120
        clock.advance(planned + 120 - 60 - 30)
        await pilot.pause(0.3)
        assert timer.has_class("-warning") and not timer.has_class("-overtime")
        clock.advance(95)
        await pilot.pause(0.3)
        assert timer.has_class("-overtime")
        assert str(timer.query_one(Digits).value).startswith("+")
        assert "OVERTIME" in str(timer.query_one("#timer-caption").render())
    stored = Store(data).load(meeting_id).meeting
    assert stored.runs[0].extra_seconds == 120 and len(stored.runs[0].pauses) == 1


async def test_incident_method_walks_every_phase_with_turns_and_ends(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        seen_round = False
        for index in range(len(screen.live.steps)):
            assert screen.live.step_index == index
            title = str(screen.query_one("#phase-title").render())
            assert title == screen.live.step.phase.title
            if screen.live.step.phase.input is InputMode.ROUND:
                turn = screen.live.turn()
                assert turn is not None
                if "Bram" not in turn.order:  # a round where the case-bringer is silent
                    seen_round = True
                    first = turn.current
                    await pilot.press("ctrl+t")
                    await pilot.press("ctrl+o")
                    turn = screen.live.turn()
                    assert turn is not None and turn.index == 2 and turn.current != first
            clock.advance(60)
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert seen_round
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, EndMeetingDialog)
        await pilot.click("#confirm")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    stored = Store(data).load(meeting_id).meeting
    assert stored.status is Status.ENDED
    assert len({run.step for run in stored.runs}) == 10


async def test_ending_early_says_so_in_the_one_end_dialog(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, EndMeetingDialog)
        said = " ".join(str(static.render()) for static in app.screen.query(Static))
        assert "phase 1 of 10" in said and "left out" in said
        await pilot.press("escape")  # back: nothing ended
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and not app.screen.live.ended
        await pilot.press("f10", "enter")  # the default is the ending it was opened for
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert Store(data).load(meeting_id).meeting.status is Status.ENDED


async def test_troika_gives_each_participant_the_client_seat(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock, "troika", ["Anouk", "Bram", "Chantal"])
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        clients = []
        while not screen.live.is_last_step:
            await pilot.press("ctrl+n")
            await pilot.pause()
            clients.append(screen.live.case_bringer())
            number = str(screen.query_one("#phase-number").render())
            assert f"client: {screen.live.case_bringer()}" in number
        assert set(clients) == {"Anouk", "Bram", "Chantal"}


async def test_resume_after_teardown_returns_to_phase_entries_timer_and_draft(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        await pilot.press("ctrl+n", "ctrl+n")
        await type_line(pilot, "q: kept")
        clock.advance(125)
        await pilot.press(*"half a thought")
        await pilot.pause(0.8)  # the draft is saved within a second
    # The app is gone as if the terminal closed; a new one resumes.
    clock.advance(30)
    assert Store(data).list_meetings()[0].status == Status.IN_PROGRESS.value
    again = make_app(data, clock)
    async with again.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        assert screen.live.step_index == 2
        assert [e.text for e in screen.live.entries_of()] == ["kept"]
        assert screen.live.timer().elapsed == 155
        assert screen.query_one("#capture", Input).value == "half a thought"


async def test_projector_view_shows_the_room_s_view_and_typing_goes_on_masked(
        data: Path, clock: FakeClock) -> None:
    from kring.sessions.model.meeting import Case
    from kring.tui.widgets.projector import ProjectorView

    meeting_id = stored_meeting(data, clock)
    store = Store(data)
    record = store.load(meeting_id)
    record.meeting.case = Case("Why Zoë stopped asking", "Zoë sits at the back.")
    record.meeting.protected_names = ["Zoë"]
    store.save_meeting(record.meeting)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await pilot.press("f5")
        await pilot.pause()
        assert screen.has_class("-projector")
        for hidden in ("#stepper-pane", "#instructions", "#entries", "#case"):
            assert screen.query_one(hidden).region.area == 0, hidden
        room = screen.query_one(ProjectorView)
        assert room.region.area > 0 and room.view is not None
        assert room.view.number == 1 and "Zoë" not in " ".join(room.view.texts)
        capture = screen.query_one("#capture", Input)
        assert capture.region.area > 0 and screen.focused is capture
        await pilot.press(*"!Zoë drinks", "enter")  # private, with a protected name
        await pilot.press(*"q: half a")
        await pilot.pause()
        wall = app.export_screenshot()
        assert "Zoë" not in wall and "drinks" not in wall and "half a" not in wall
        assert [e.text for e in screen.live.entries] == ["Zoë drinks"]
        assert screen.live.entries[0].private
        await pilot.press("f8")  # the names to protect would show on the wall: not now
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("f5")
        await pilot.pause()
        assert not screen.has_class("-projector") and not capture.password
        assert capture.value == "q: half a"  # nothing typed was lost
        assert screen.query_one(EntryList).option_count == 1


async def test_help_lists_every_described_key_of_the_meeting(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(record=True, width=120, file=io.StringIO())
        for static in app.screen.query(Static):
            console.print(static.content)
        rendered = console.export_text()
        for binding in MeetingScreen.BINDINGS:
            assert binding.description in rendered, binding.description
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_typing_never_triggers_a_command(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        text = "nbtorgyqdpmk? +-=[]"  # every letter a command key elsewhere
        await pilot.press(*text)
        await pilot.pause()
        assert screen.query_one("#capture", Input).value == text
        assert screen.live.step_index == 0 and not screen.has_class("-projector")


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
async def test_the_meeting_screen_works_at_every_size(
        data: Path, clock: FakeClock, size: tuple[int, int]) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=size) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        for visible in ("#phase-title", "#banner", "#timer", "#capture"):
            assert screen.query_one(visible).region.area > 0, (visible, size)
        assert screen.has_class("-narrow") == (size[0] < 70)
        await type_line(pilot, "q: still works")
        assert screen.live.entries_of()[-1].text == "still works"


async def test_a_damaged_line_is_reported_and_the_rest_of_the_meeting_still_opens(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    store = Store(data)
    (log,) = data.glob(f"devices/*/meetings/{meeting_id}.jsonl")
    with log.open("ab") as file:
        file.write(b'{"_meta": {"kind": "mee\x00\x00\n')
    record = store.load(meeting_id)
    store.save_meeting(record.meeting)  # a change after the damage still lands and reads
    app = make_app(data, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        problems = str(home.query_one("#problems").render())
        assert meeting_id in problems and "could not be read" in problems
    assert [m.id for m in Store(data).list_meetings()] == [meeting_id]
    assert b"\x00\x00" in log.read_bytes()  # kept as it was: never rewritten


async def test_communities_are_edited_in_the_app(data: Path, clock: FakeClock) -> None:
    from kring.tui.screens.communities import CommunitiesScreen

    app = make_app(data, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CommunitiesScreen)
        screen.query_one("#new-community", Input).focus()
        await pilot.press(*"Team West", "enter")
        screen.query_one("#new-member", Input).focus()
        await pilot.press(*"Özlem", "enter", *"Dev", "enter")
        await pilot.pause()
        assert Store(data).communities()[0].members == ["Özlem", "Dev"]
        screen.query_one("#member-list").focus()
        await pilot.press("d")  # the first member is highlighted
        await pilot.pause()
    assert Store(data).communities()[0].members == ["Dev"]


async def test_minutes_so_far_preview_export_and_minutes_on_ending(
        data: Path, clock: FakeClock) -> None:
    from textual.widgets import MarkdownViewer

    from kring.tui.screens.minutes import MinutesScreen

    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: # a note that looks like a heading")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, MinutesScreen)
        assert app.screen.query_one(MarkdownViewer).document.source.count(
            "a note that looks like a heading") == 1
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(list((data / "minutes").glob("*.md"))) == 1
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f10")
        await pilot.pause()
        await pilot.click("#confirm")  # ending early, as the dialog says
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    written = sorted((data / "minutes").glob("*.md"))
    assert len(written) == 1  # the minutes so far were rewritten as the meeting's minutes
    assert "a note that looks like a heading" in written[-1].read_text(encoding="utf-8")


async def test_home_is_styled_by_its_own_stylesheet(data: Path, clock: FakeClock) -> None:
    stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        meetings = app.screen.query_one("#meetings")
        assert meetings.region.height > 10  # home.tcss gives the list the screen's height


async def test_another_windows_entries_show_within_a_second(
        data: Path, clock: FakeClock) -> None:
    from kring.sessions.meeting.live import LiveMeeting

    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        # A second window: its own Store on the same folder, as a second process would have.
        other_store = Store(data)
        record = other_store.load(meeting_id)
        other = LiveMeeting(record.meeting, record.entries, other_store, clock)
        other.add_entry("typed in the other window")
        await pilot.pause(1.3)
        assert [e.text for e in screen.live.entries_of()] == ["typed in the other window"]
        assert screen.query_one(EntryList).option_count == 1


async def test_a_line_without_a_name_is_the_speakers_and_shows_who(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        while "Bram" in screen.live.speaking_order() or screen.live.turn() is None:
            await pilot.press("ctrl+n")
        speaker = screen.live.speaker()
        await type_line(pilot, "what did the pupil say?")
        entry = screen.live.entries_of()[-1]
        assert entry.author == speaker
        shown = screen.query_one(EntryList).get_option_at_index(0).prompt
        assert f" · {speaker}  what did the pupil say?" in str(shown)
    assert Store(data).load(meeting_id).entries[-1].author == speaker


async def test_typing_in_the_entry_list_types_and_never_changes_an_entry(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: keep me")
        await pilot.press("up")  # into the entries, on the one just typed
        assert isinstance(screen.focused, EntryList)
        await pilot.press(*"good kmd")  # every letter an action key in lists elsewhere
        await pilot.pause()
        assert screen.query_one("#capture", Input).value == "good kmd"
        assert screen.focused is screen.query_one("#capture")
        await pilot.press("up", "escape")  # Esc from the entries: back to the capture line
        assert screen.focused is screen.query_one("#capture")
        assert [e.text for e in screen.live.entries_of()] == ["keep me"]
        assert isinstance(app.screen, MeetingScreen)
    assert [e.text for e in Store(data).load(meeting_id).entries] == ["keep me"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_last_line_of_a_long_entry_shows_at_once(
        data: Path, clock: FakeClock, size: tuple[int, int]) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    # Wide characters and tabs are where Textual's own count of a row's lines fell short.
    words = ["lorem", "👀", "ipsum", "中文", "dolor\tsit", "amet,", "שלום", "é"]
    long = " ".join(words[i % len(words)] for i in range(640)) + " THE-LAST-WORDS"
    async with app.run_test(size=size) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: short")
        await type_line(pilot, "n: " + long)
        await pilot.pause()
        entries = screen.query_one(EntryList)
        assert len(long) > 2500
        assert entries.max_scroll_y > 0 and entries.scroll_y == entries.max_scroll_y
        assert "THE-LAST-WORDS" in app.export_screenshot().replace("&#160;", " ")
        # Every row is exactly as tall as the lines it draws.
        for index in range(entries.option_count):
            drawn = entries._get_option_render(entries.get_option_at_index(index),
                                               entries.get_visual_style("option-list--option"))
            assert len(drawn) == entries._heights[index]


async def test_the_capture_hint_reads_right_for_every_kind(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        seen = set()
        while True:
            placeholder = screen.query_one("#capture", Input).placeholder
            seen.add(placeholder.split(" and press Enter")[0])
            if screen.live.is_last_step:
                break
            await pilot.press("ctrl+n")
        assert {"Type a note", "Type a question", "Type advice", "Type a fact"} <= seen
        assert not any("{" in hint for hint in seen)


async def test_setup_asks_title_summary_and_focus_question_together(
        data: Path, clock: FakeClock) -> None:
    from textual.widgets import TextArea

    app = make_app(data, clock)
    async with app.run_test(size=(100, 50)) as pilot:
        setup = await open_setup(pilot)
        setup.query_one("#community", Input).value = "CoP Inclusion"
        setup.query_one("#participant", Input).focus()
        for name in PEOPLE:
            await pilot.press(*name, "enter")
        await pilot.pause()
        setup.query_one("#role-facilitator", Select).value = "Anouk"
        setup.query_one("#role-case-bringer", Select).value = "Bram"
        setup.query_one("#case-title", Input).value = "The quiet pupil"
        setup.query_one("#intake", TextArea).text = "Since October she says nothing."
        setup.query_one("#focus-question", Input).value = "How do I reach her?"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = meeting_screen(app)
        case = screen.live.meeting.case
        assert (case.title, case.summary, case.focus_question) == (
            "The quiet pupil", "Since October she says nothing.", "How do I reach her?")
        heading = str(screen.query_one("#case").query_one("CollapsibleTitle").render())
        assert "The quiet pupil" in heading and "How do I reach her?" in heading


async def test_f3_edits_the_whole_case_in_one_form(data: Path, clock: FakeClock) -> None:
    from textual.widgets import TextArea

    from kring.tui.screens.dialogs import CaseDialog, ConfirmDialog

    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        assert "not filled in yet" in str(screen.query_one("CollapsibleTitle").render())
        await pilot.press("f3")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CaseDialog)
        dialog.query_one("#case-title", Input).value = "Lesson three"
        dialog.query_one("#case-summary", TextArea).text = "A fight after the break."
        dialog.query_one("#case-focus", TextArea).text = "What could I have done?"
        await pilot.press("escape")  # changed: Esc asks before throwing them away
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no: back to the form, all three still there
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert "What could I have done?" in str(screen.query_one("CollapsibleTitle").render())
    case = Store(data).load(meeting_id).meeting.case
    assert (case.title, case.summary, case.focus_question) == (
        "Lesson three", "A fight after the break.", "What could I have done?")


async def test_the_end_dialog_starts_on_ending_and_f10_twice_ends(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        while not screen.live.is_last_step:
            await pilot.press("ctrl+n")
        await pilot.press("f10")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, EndMeetingDialog)
        assert dialog.focused is dialog.query_one("#confirm")
        assert "F10" in str(dialog.query_one("#confirm").label)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert Store(data).load(meeting_id).meeting.status is Status.ENDED


async def test_leaving_and_quitting_a_meeting_ask_first(data: Path, clock: FakeClock) -> None:
    from kring.tui.screens.dialogs import ConfirmDialog

    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        await pilot.press(*"half a")
        for key in ("escape", "ctrl+q"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog), key
            await pilot.press("escape")  # no: the meeting, with what was typed
            await pilot.pause()
            assert app.screen is screen and app.is_running
            assert screen.query_one("#capture", Input).value == "half a"
        await pilot.press("escape", "enter")  # leave: Enter on the default answer
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await open_meeting(pilot, meeting_id)
        await pilot.press("ctrl+q", "ctrl+q")  # quit: ctrl+q twice
        await pilot.pause()
        assert not app.is_running
    assert Store(data).load(meeting_id).meeting.status is Status.IN_PROGRESS


async def test_an_ended_meeting_opens_read_only_and_is_amended_on_purpose(
        data: Path, clock: FakeClock) -> None:
    from kring.tui.screens.dialogs import ConfirmDialog

    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(pilot, meeting_id)
        await type_line(pilot, "n: during the meeting")
        await pilot.press("f10", "f10")  # end: the action points and "the rest is left out"
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        clock.advance(3600)
        screen = await open_meeting(pilot, meeting_id)
        assert screen.has_class("-ended")
        assert "ended" in str(screen.query_one("#phase-number").render())
        assert "F9" in screen.query_one("#capture", Input).placeholder
        await type_line(pilot, "n: too late")  # refused, and the text is kept
        assert screen.query_one("#capture", Input).value == "n: too late"
        assert [e.text for e in screen.live.entries] == ["during the meeting"]
        await pilot.press("up", "delete")  # no deleting either
        await pilot.pause()
        assert len(screen.live.entries) == 1
        await pilot.press("escape", "f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")
        await pilot.pause()
        assert screen.live.amending and not screen.has_class("-ended")
        screen.query_one("#capture", Input).value = ""
        await type_line(pilot, "n: added afterwards")
        await pilot.press("f10")  # done: the minutes are written again
        await pilot.pause()
        assert not screen.live.amending and screen.has_class("-ended")
    stored = Store(data).load(meeting_id)
    assert stored.meeting.status is Status.ENDED
    assert len(stored.meeting.amended_at) == 1
    assert [e.text for e in stored.entries] == ["during the meeting", "added afterwards"]
    minutes = sorted((data / "minutes").glob("*.md"))
    assert minutes and "added afterwards" in minutes[-1].read_text(encoding="utf-8")


async def test_keys_that_cannot_act_in_a_phase_say_why(data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = make_app(data, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        said: list[str] = []
        # The parts of the screen say it, through the app, as the screen does.
        app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
        await pilot.press("ctrl+b")  # the first phase has none before it
        await pilot.press("ctrl+n")  # the case-bringer sketches the incident: Bram alone
        await pilot.pause()
        assert screen.live.turn() is None
        await pilot.press("ctrl+t", "ctrl+o")
        await pilot.pause()
        assert said[0] == "This is the first phase."
        assert said[1:] == ["Only Bram speaks in this phase: there is no next speaker."] * 2
        assert screen.live.step_index == 1
