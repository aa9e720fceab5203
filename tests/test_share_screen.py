"""Sharing from the meeting screen (F12): this computer or the room's network, a QR code and
URL per kind, revoking, a vote opened and closed into the minutes, the queue kept off the
projector view, and sharing that stops with the meeting."""

from __future__ import annotations

from pathlib import Path

import aiohttp
from textual.pilot import Pilot
from textual.widgets import Button, Static

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import Contribution, ShareLog
from kring.sessions.store.facade import Store
from kring.tui.app import KringApp, create_app
from kring.tui.share.dialog import ShareDialog
from kring.tui.share.qr import qr_lines
from kring.tui.share.queue_panel import QueuePanel
from tests.support.meeting_app import open_meeting
from tests.support.share import CATALOG, held


def screen_text(app: object) -> str:
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


def test_a_qr_code_is_two_modules_a_line_in_half_blocks() -> None:
    lines = qr_lines("http://192.168.1.20:8123/v/" + "A" * 32)
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert len(lines) * 2 >= len(lines[0]) - 1  # square, two rows a line


async def test_f12_shares_on_this_computer_and_shows_a_code_per_kind(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(140, 50)) as pilot:
        meeting = await open_meeting(pilot, live.meeting.id)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ShareDialog)
        await pilot.click("#share-local")
        await pilot.pause(0.3)
        server = meeting.share.share_server
        assert server is not None and server.address == "127.0.0.1"
        shown = screen_text(app)
        for kind in AccessKind:
            assert server.url(kind) in shown
        async with aiohttp.ClientSession() as session, \
                session.get(server.url(AccessKind.VIEW)) as response:
            assert response.status == 200
        old = server.url(AccessKind.CONTRIBUTE)
        await pilot.click("#revoke-contribute")
        await pilot.pause(0.3)
        assert server.url(AccessKind.CONTRIBUTE) != old
        assert server.url(AccessKind.CONTRIBUTE) in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # On the wall, only what the room is meant to scan.
        await pilot.press("f5")
        await pilot.press("f12")
        await pilot.pause(0.3)
        shown = screen_text(app)
        assert server.url(AccessKind.VIEW) in shown
        assert server.url(AccessKind.SCRIBE) not in shown
        assert not app.screen.query("#revoke-scribe")
        await pilot.click("#share-stop")
        await pilot.pause(0.3)
        assert meeting.share.share_server is None
        async with aiohttp.ClientSession() as session:
            try:
                async with session.get(server.url(AccessKind.VIEW)) as response:
                    refused = response.status >= 400
            except aiohttp.ClientConnectionError:
                refused = True
        assert refused


async def test_the_queue_waits_under_the_line_and_never_on_the_wall(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    for number, text in enumerate(["What did Zoë say?", "What did you try?"]):
        log.submit(Contribution(f"item{number:08d}", text, Capture.QUESTION,
                                "Dev" if number else None, live.step.key, clock.now()))
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.5)
        queue = screen.query_one(QueuePanel)
        assert "What did Zoë say?" in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert "What did Zoë say?" not in screen_text(app)
        assert "From the room" not in screen_text(app)
        await pilot.press("f5")
        await pilot.press("down")
        await pilot.press("delete")  # the first is discarded
        await pilot.pause()
        await pilot.press("enter")  # the second revealed: Dev's question
        await pilot.pause()
        assert not queue.has_class("-waiting")
    entries = [e for e in Store(data).load(live.meeting.id).entries if not e.private]
    assert [(e.text, e.author, e.kind) for e in entries] == [
        ("What did you try?", "Dev", Capture.QUESTION)]


def deciding(data: Path, clock: FakeClock) -> LiveMeeting:
    """A meeting in a phase that decides, with two entries to vote on."""
    live = held(data, clock, phase="positions")
    live.add_entry("Ask the mentor", Capture.POSITION)
    live.add_entry("Call the parents", Capture.POSITION)
    return live


async def vote_opened_in_f12(app: KringApp, pilot: Pilot[None], live: LiveMeeting
                             ) -> ShareLog:
    """The meeting opened, shared on this computer from F12, and a vote opened there."""
    meeting = await open_meeting(pilot, live.meeting.id)
    await pilot.press("f12")
    await pilot.click("#share-local")
    await pilot.pause(0.3)
    await pilot.click("#share-vote")
    await pilot.pause(0.3)
    log = meeting.share.share_log()
    assert log is not None and log.open_vote is not None
    return log


async def test_a_vote_opened_in_the_dialog_goes_into_the_minutes(
        data: Path, clock: FakeClock) -> None:
    from kring.sessions.documents.minutes import render_markdown

    live = deciding(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(140, 50)) as pilot:
        log = await vote_opened_in_f12(app, pilot, live)
        assert str(app.screen.query_one("#share-vote", Button).label) == "Close the vote"
        options = [o.entry_id for o in log.open_vote.options]
        log.ballot("phone-1", options[1])
        log.ballot("phone-2", options[1])
        await pilot.click("#share-vote")
        await pilot.pause(0.3)
        assert log.open_vote is None
    stored = Store(data).load(live.meeting.id)
    assert stored.meeting.votes[0].voters == 2
    assert "**2** Call the parents" in render_markdown(stored.meeting, stored.entries)


async def test_sharing_stops_when_the_meeting_ends_unless_the_minutes_are_offered(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(140, 50)) as pilot:
        meeting = await open_meeting(pilot, live.meeting.id)
        await meeting.share.start_sharing("127.0.0.1")
        assert meeting.share.share_server is not None
        meeting.share.set_offer_minutes(False)  # the facilitator turned the offer off
        meeting.live.end()
        await pilot.pause(1.2)  # noticed within the screen's second
        assert meeting.share.share_server is None
        await pilot.press("f12")
        await pilot.pause()
        assert not isinstance(app.screen, ShareDialog)  # nothing left to share
        assert str(app.screen.query_one("#capture-hint", Static).render()) is not None


async def test_the_dialog_chooses_whether_contributions_carry_names(
        data: Path, clock: FakeClock) -> None:
    from textual.widgets import Select

    from kring.sessions.share.naming import Naming

    live = held(data, clock, phase="questions")
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(140, 50)) as pilot:
        meeting = await open_meeting(pilot, live.meeting.id)
        await pilot.press("f12")
        await pilot.pause()
        choice = app.screen.query_one("#share-naming", Select)
        assert choice.value == "any" and meeting.share.naming is Naming.ANY
        # Chosen with the keyboard before sharing: the server starts with it.
        await pilot.click("#share-naming")
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert meeting.share.naming is Naming.ANONYMOUS
        await pilot.click("#share-local")
        await pilot.pause(0.3)
        server = meeting.share.share_server
        assert server is not None and server.naming is Naming.ANONYMOUS
        choice = app.screen.query_one("#share-naming", Select)
        assert choice.value == "anonymous"  # the sharing view shows what holds
        choice.value = "named"  # changed while sharing: the server follows at once
        await pilot.pause()
        assert server.naming is Naming.NAMED and server.feed is not None
        assert server.feed.state["naming"] == "named"
        await pilot.click("#share-stop")
        await pilot.pause(0.3)


async def test_all_of_one_phone_or_everything_is_discarded_at_once_and_ctrl_z_brings_it_back(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    for number, source in enumerate(["flood", "flood", "friend", "flood"]):
        log.submit(Contribution(f"item{number:08d}", f"Question {number} from {source}",
                                Capture.QUESTION, None, live.step.key, clock.now(),
                                source=source))
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.5)
        queue = screen.query_one(QueuePanel)
        queue.focus()
        await pilot.press("x")  # the first row's phone: all three of "flood"
        await pilot.pause()
        assert [item.source for item in queue.items] == ["friend"]
        await pilot.press("shift+delete")
        await pilot.pause()
        assert queue.items == [] and not queue.has_class("-waiting")
        await pilot.press("ctrl+z")  # the last discard first
        await pilot.pause()
        assert [item.source for item in queue.items] == ["friend"]
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert [item.text for item in queue.items] == [
            "Question 0 from flood", "Question 1 from flood", "Question 2 from friend",
            "Question 3 from flood"]
    # In the journal: another window (or the app after a crash) sees them waiting.
    assert len(ShareLog(Journal(journal_path(live.meeting.id))).waiting) == 4


async def test_f12_shows_who_voted_beside_who_is_here_and_hides_the_counts(
        data: Path, clock: FakeClock) -> None:
    live = deciding(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(140, 50)) as pilot:
        log = await vote_opened_in_f12(app, pilot, live)
        option = log.open_vote.options[0].entry_id
        for phone in range(6):  # four participants: six voters is a link gone too far
            log.ballot(f"phone{phone}", option)
        await pilot.pause(1.2)  # the dialog looks every second
        turnout = str(app.screen.query_one("#share-turnout", Static).render())
        assert "6 voted · 4 participants" in turnout and "More voters" in turnout
        await pilot.click("#share-counts")
        await pilot.pause(0.3)
        assert log.open_vote is not None and log.open_vote.hidden
        assert str(app.screen.query_one("#share-counts", Button).label) == "Show the counts"


async def test_at_the_end_the_room_takes_its_minutes_until_sharing_stops(
        data: Path, clock: FakeClock) -> None:
    """Issue 27: the view page offers the minutes as the room may read them (no private
    entry, the pupil's pseudonym), the Markdown and the one-page handout, from the moment
    the meeting ends until the facilitator stops sharing; the screen says so meanwhile."""
    import io

    from pypdf import PdfReader

    live = held(data, clock, phase="questions")
    live.add_entry("Call Zoë's mother on Friday", Capture.ACTION, owner="Bram")
    app = create_app(data, CATALOG, clock, minutes=data.parent / "minutes")
    async with app.run_test(size=(140, 50)) as pilot:
        meeting = await open_meeting(pilot, live.meeting.id)
        await meeting.share.start_sharing("127.0.0.1")
        server = meeting.share.share_server
        assert server is not None
        base = server.url(AccessKind.VIEW).split("/v/")[0]
        # unsafe: a cookie from an address (127.0.0.1), which aiohttp's jar refuses by default
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            async with session.get(server.url(AccessKind.VIEW)) as entered:
                assert entered.status == 200  # the session cookie is set
            async with session.get(f"{base}/minutes.md") as early:
                assert early.status == 404  # not before the meeting has ended
            await pilot.press("f10", "f10")
            await pilot.pause(0.5)
            assert app.screen is meeting and meeting.live.ended  # it stays, sharing
            offered = meeting.query_one("#minutes-offered", Static)
            assert offered.display and "phones can take the minutes" in str(offered.render())
            async with session.get(f"{base}/minutes.md") as markdown:
                assert markdown.status == 200
                assert markdown.headers["Content-Type"].startswith("text/markdown")
                assert "attachment" in markdown.headers["Content-Disposition"]
                text = await markdown.text()
            async with session.get(f"{base}/handout.pdf") as handout:
                assert handout.status == 200
                pdf = await handout.read()
            async with aiohttp.ClientSession() as stranger, \
                    stranger.get(f"{base}/handout.pdf") as refused:
                assert refused.status == 401  # a device the room never let in
        assert "Call Pupil A's mother on Friday" in text and "Zoë" not in text
        assert "mother drinks" not in text  # the private entry (held() captures one)
        handout_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "Call Pupil A's mother on Friday" in handout_text and "Zoë" not in handout_text
        await pilot.press("f12")
        await pilot.pause()
        await pilot.click("#share-stop")
        await pilot.pause(0.3)
        assert meeting.share.share_server is None
        assert not meeting.query_one("#minutes-offered", Static).display
