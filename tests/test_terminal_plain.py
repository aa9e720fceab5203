"""Text from outside never steers the terminal (issue 22, invariant 1): what another laptop
wrote into the data folder (a community's name, a member's, an entry with escape codes) is
shown in the real `kring`, in tmux, and the bytes the app wrote to the terminal carry none of
its escape sequences; the screen shows U+FFFD where they were. The Pilot tests below check each
kind of widget that shows such text."""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import Clock, FakeClock, SystemClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Case, Entry, new_id
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.plain import plain, plain_line
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR
from kring.tui.app import create_app
from kring.tui.plain_text import made_plain, plain_content, plain_text
from kring.tui.screens.communities import CommunitiesScreen
from kring.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, EndMeetingDialog, TextDialog
from kring.tui.screens.home import HomeScreen
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.screens.review import ReviewScreen
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_setup
from tests.support.terminal import KRING, TMUX, TMUX_ENV, Terminal

HOSTILE = "Look\x1b]0;owned\x07 here\x1b]52;c;aGk=\x07 \x1b[2J\x1b[8mhidden \u202etxt.exe"
NAME = "Zoë\x1b]0;x\x07"  # a member's name, and the community's
COMMUNITY = "CoP\x1b]0;x\x07"
TITLE = "Case\x1b]0;x\x07 title"
FORBIDDEN = [b"\x1b]0;owned", b"\x1b]52;", b"\x1b]0;x", b"\x1b[8m", "\u202e".encode()]
# What the screen shows of them: what sessions/plain.py makes of them, whatever that is.
SHOWN_NAME, SHOWN_COMMUNITY = plain_line(NAME), plain_line(COMMUNITY)
SHOWN_TITLE = plain_line(TITLE)
SHOWN_LOOK = plain_line("Look\x1b]0;owned\x07 here")
SHOWN_ACT = plain_line("Act\x1b]52;c;aGk=\x07")


def hostile_meeting(data: Path, clock: Clock | None = None) -> str:
    """A meeting as another laptop might have synced it: every name and text steers."""
    clock = clock or SystemClock()
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    participants = ["Anouk", NAME, "Chantal"]
    plan = MeetingPlan(found.protocol, community=COMMUNITY, participants=participants)
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: NAME}
    plan.case = Case(title=TITLE, summary=HOSTILE, focus_question=HOSTILE)
    meeting = plan.create(clock)
    step = found.protocol.steps(participants)[0].key
    now = clock.now()
    entries = [
        Entry(id=new_id(), kind=Capture.NOTE, text=HOSTILE, step=step, created_at=now,
              author=NAME),
        Entry(id=new_id(), kind=Capture.ACTION, text="Act\x1b]52;c;aGk=\x07", step=step,
              created_at=now, owner=NAME, due=date(2030, 1, 1)),
    ]
    store = Store(data)
    store.create_meeting(meeting, entries)
    store.save_community(Community(meeting.community, ["Anouk", NAME]))
    return meeting.id


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """`kring` in tmux on a data folder with a hostile meeting; every byte it writes to the
    terminal is recorded (tmux pipe-pane) from before its first frame."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    hostile_meeting(tmp_path / "data")
    stream = tmp_path / "stream.bin"
    name = f"kring-plain-{os.getpid()}"
    env = (f"KRING_DATA={tmp_path / 'data'} KRING_CONFIG={tmp_path / 'config'} "
           f"KRING_STATE={tmp_path / 'state'} TERM=xterm-256color")
    # The app waits for the recording to start: its first frame is recorded too.
    subprocess.run([TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
                    f"sleep 1; env {TMUX_ENV} {env} {KRING}"], check=True)
    try:
        subprocess.run([TMUX, "pipe-pane", "-o", "-t", name, f"cat >> {stream}"], check=True)
        yield Terminal(name), stream
    finally:
        subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


@pytest.mark.e2e
def test_names_and_entries_from_outside_reach_the_terminal_as_plain_text(
        recorded: tuple[Terminal, Path]) -> None:
    terminal, stream = recorded
    home = terminal.wait_for("in progress")
    assert SHOWN_COMMUNITY in home  # the community's name, shown plain
    terminal.keys("Enter")
    meeting = terminal.wait_for("Phase 1 of")
    terminal.wait_for(SHOWN_LOOK)
    meeting = terminal.screen()
    assert SHOWN_ACT in meeting and SHOWN_NAME in meeting  # the entry's author
    # The communities screen: the name in the list and the member in the roster.
    terminal.keys("Escape")
    terminal.wait_for("Leave the meeting?")
    terminal.keys("Enter")
    terminal.wait_for("in progress")
    communities = ""
    for _attempt in range(20):  # the home screen takes keys once it has the focus again
        terminal.keys("c")
        time.sleep(0.5)
        communities = terminal.screen()
        if "Members of" in communities:
            break
    assert SHOWN_NAME in communities
    time.sleep(0.5)  # the last frame written
    written = stream.read_bytes()
    assert len(written) > 1000, "nothing was recorded"
    for sequence in FORBIDDEN:
        assert sequence not in written, f"{sequence!r} reached the terminal"


# -- each kind of widget, with Pilot: what Textual draws holds no control character ----------

STEERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def drawn(app: App[object]) -> str:
    """Every character Textual would write for the screen on top, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_plain(app: App[object], *shown: str) -> str:
    screen = drawn(app)
    steering = {hex(ord(char)) for line in screen.split("\n") for char in STEERS.findall(line)}
    assert not steering, f"{steering} drawn on {type(app.screen).__name__}:\n{screen}"
    for text in shown:
        assert text in screen, f"{text!r} not on {type(app.screen).__name__}:\n{screen}"
    return screen



async def test_the_home_list_and_the_meeting_screen_draw_names_and_entries_plain(
        data: Path, clock: FakeClock) -> None:
    hostile_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert_plain(app, SHOWN_COMMUNITY, SHOWN_TITLE)  # MeetingList
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        # EntryList rows (text, author, owner), CasePanel, SpeakingBanner, PhaseStepper.
        screen = assert_plain(app, SHOWN_LOOK, SHOWN_NAME,
                              SHOWN_ACT, SHOWN_TITLE)
        assert plain_line("\u202etxt.exe") in screen  # the bidi override is not obeyed
        await pilot.press("ctrl+t")  # TurnBar: the hostile name's turn may come
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert_plain(app)
        await pilot.press("f5")  # ProjectorView: head, title, rule, names in block letters
        await pilot.pause()
        assert_plain(app, SHOWN_TITLE)
        await pilot.press("f5")
        app.screen.notify("Removed " + NAME)  # toasts (PlainNotify)
        await pilot.pause(0.3)
        assert_plain(app, "Removed " + SHOWN_NAME)


async def test_dialogs_draw_texts_plain(data: Path, clock: FakeClock) -> None:
    hostile_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f10")  # EndMeetingDialog: the action point and its owner
        await pilot.pause()
        assert isinstance(app.screen, EndMeetingDialog)
        assert_plain(app, SHOWN_NAME + ": " + SHOWN_ACT)
        await pilot.press("escape")
        await pilot.pause()
        await app.push_screen(TextDialog("Edit " + NAME, HOSTILE))  # a TextArea
        await pilot.pause()
        assert_plain(app, "Edit " + SHOWN_NAME, SHOWN_LOOK)
        await pilot.press("escape")
        await app.push_screen(ChoiceDialog("Move " + NAME, ["1. " + NAME]))  # an OptionList
        await pilot.pause()
        assert_plain(app, "Move " + SHOWN_NAME, "1. " + SHOWN_NAME)
        await pilot.press("escape")
        await app.push_screen(ConfirmDialog("Leave " + NAME + "?", "Leave"))
        await pilot.pause()
        assert_plain(app, "Leave " + SHOWN_NAME)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("f3")  # CaseDialog: an Input and two TextAreas
        await pilot.pause()
        assert_plain(app, SHOWN_TITLE, SHOWN_LOOK)


async def test_communities_and_setup_draw_names_plain(data: Path, clock: FakeClock) -> None:
    hostile_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CommunitiesScreen)
        assert_plain(app, SHOWN_COMMUNITY, SHOWN_NAME)  # OptionLists and the title
        await pilot.press("escape")
        await pilot.pause()
        setup = await open_setup(pilot)
        setup.current.add_participant(NAME)
        setup.current.add_participant("Anouk")
        setup.show_participants()  # the ParticipantList's Labels, the roles' Selects
        await pilot.pause()
        assert_plain(app, SHOWN_NAME)


async def test_the_review_draws_earlier_action_points_plain(data: Path, clock: FakeClock) -> None:
    hostile_meeting(data, clock)  # its action point is open, owned by the hostile name
    found = CATALOG.find("incident", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community=COMMUNITY,
                       participants=["Anouk", "Chantal", "Dev"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Chantal"}
    clock.advance(days=7)
    plan.date = clock.now().date()
    later = plan.create(clock)
    Store(data).create_meeting(later)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_meeting(later.id)
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert_plain(app, SHOWN_NAME + ": " + SHOWN_ACT)


def test_plain_text_keeps_styles_and_reads_no_markup() -> None:
    text = plain_text(("Now: ", "bold"), "[b]" + NAME, one_line=True)
    assert text.plain == "Now: [b]" + SHOWN_NAME and text.spans[0].style == "bold"
    assert plain_content("a\nb", ("c\x1b", "dim")).plain == "a b" + plain_line("c\x1b")
    styled = Text("x\x1b[2J\ny", style="italic")
    styled.append("z\x1b", style="bold")
    made = made_plain(styled)
    assert made.plain == plain("x\x1b[2J\nyz\x1b") and made.style == "italic"
    assert made.spans[0].style == "bold" and made.plain[made.spans[0].start:] == plain("z\x1b")


async def test_the_share_panel_draws_a_phone_s_waiting_text_plain() -> None:
    """The panel shows a contribution the moment it arrives; even one that reached it raw
    (the server makes it plain first) draws no control character."""
    from datetime import UTC, datetime

    from textual.app import App, ComposeResult

    from kring.sessions.model.protocol import Capture
    from kring.sessions.share.queue import Contribution
    from kring.tui.share.queue_panel import QueuePanel

    class Panel(App[None]):
        def compose(self) -> ComposeResult:
            yield QueuePanel()

    raw = Contribution("item-000001", "hi \x1b]52;c;aGk=\x07 there\u202e\n\x1b[2J",
                       Capture.QUESTION, "Zoë\x1b]0;x\x07", "questions",
                       datetime(2026, 6, 1, tzinfo=UTC))
    async with Panel().run_test() as pilot:
        panel = pilot.app.query_one(QueuePanel)
        panel.show_items([raw])
        await pilot.pause()
        row = panel.get_option_at_index(0).prompt
        shown = row.plain if hasattr(row, "plain") else str(row)
        assert "hi ]52;c;aGk= there [2J" in shown and "Zoë]0;x" in shown
        assert not any(ord(char) < 0x20 or 0x7f <= ord(char) <= 0x9f or char == "\u202e"
                       for char in shown)
