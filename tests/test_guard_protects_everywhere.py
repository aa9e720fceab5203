"""The privacy guard's promise (issue 25), end to end: a name protected by one key is gone from
the projector, the phones, the minutes, the HTML page, the research export and what is carried
to the CoP, including the entries typed before it was protected.

One meeting, with the real spotter in its own process: a pupil nobody protected is named in
the case and in four lines of several kinds, in several forms ("Jayden", "Jayden's",
"JAYDEN"); the guard flags the lines; one ctrl+f on one of them protects the name. Then every
way out of the laptop is read back. Each output is also checked for the rest of the text
around the name, with its pseudonym, so an output that lost the line (or was never written)
fails rather than passes; and before the key, the name is shown to be there (minutes,
projector, phones), so the checks after it can fail.

Two ways the name once still reached the room have tests of their own: the toast that
confirms the key names the name, and was on the wall if F5 came within its seconds; and a vote
open on the phones kept its options as they read when it opened."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import zipfile
from pathlib import Path

import aiohttp
import pytest
from textual.pilot import Pilot

from kring.sessions.documents.export import render_minutes
from kring.sessions.guard.engine import Engine
from kring.sessions.guard.meeting import CASE_SUMMARY, CASE_TITLE
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Case
from kring.sessions.model.privacy import merge_names
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.page import page_state
from kring.sessions.share.queue import ShareLog, new_item_id
from kring.sessions.share.votes import VoteRound, vote_options, votes_each
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import remember_roster
from kring.tui.app import KringApp, create_app
from kring.tui.screens.meeting import MeetingScreen
from kring.tui.widgets.projector import ProjectorView
from tests.support.catalog import CATALOG
from tests.support.cli import run
from tests.support.guard import engine, ready
from tests.support.meeting_app import open_meeting_to_type, stored_meeting, type_line, until
from tests.support.share import held, serving

pytestmark = pytest.mark.slow  # the guard's process loads deduce, and so does the CLI's: seconds

NAME = "Jayden"
PSEUDONYM = "Pupil A"  # the first protected name, labelled in the meeting's language (English)
# The projector and the phones show no entries at all (sessions/meeting/room.py): only the
# case reaches them, so the case names the pupil too. The focus question has the name in
# capitals, a form the spotter does not flag (it misses what is not capitalised as a name)
# but that protecting "Jayden" must still hide.
CASE = Case(f"Waarom {NAME} te laat komt", f"{NAME} komt elke ochtend te laat.",
            f"Hoe krijg ik {NAME.upper()} op tijd?")
# Typed before the name was protected: a note, a possessive, and a learning and an action
# point, which are what `kring carry` takes along (besides the case). Each is flagged with
# "Jayden" alone by the spotter (checked below), so one ctrl+f protects exactly that name.
LINES = [f"{NAME} kwam te laat binnen", f"{NAME}'s moeder belde",
         f"l: {NAME} heeft een vaste plek nodig", f"a: Bel de moeder van {NAME} @bram"]
# The entries those lines make (the prefix and the owner parsed off), and what they must
# read as once the name is protected.
TEXTS = [f"{NAME} kwam te laat binnen", f"{NAME}'s moeder belde",
         f"{NAME} heeft een vaste plek nodig", f"Bel de moeder van {NAME}"]
SHOWN = [text.replace(NAME, PSEUDONYM) for text in TEXTS]
CASE_SHOWN = CASE.title.replace(NAME, PSEUDONYM)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's guard (kring check, carry, research) is the spotter this test process loaded
    once (tests/support/guard.py), as tests/test_guard_cli.py has it: a load is seconds and a
    gigabyte. The app's guard is a process of its own and loads its own."""
    monkeypatch.setattr(Engine, "load", classmethod(lambda cls, state, progress=None: engine()))




def absent(text: str) -> bool:
    """Whether the name is nowhere in ``text``, in any capitalisation."""
    return NAME.lower() not in text.lower()


async def wall(pilot: Pilot[None], screen: MeetingScreen) -> str:
    """What the room reads on the projector view (F5), as the terminal draws it; the view is
    left on. The screenshot is what is on the screen and nothing hidden: toasts too, when the
    app runs with them (``run_test`` leaves them out unless asked)."""
    await pilot.press("f5")
    await pilot.pause()
    assert screen.projected and screen.query_one(ProjectorView).view is not None
    return pilot.app.export_screenshot().replace("&#160;", " ")


async def next_state(stream: aiohttp.ClientResponse) -> str:
    """The next page state the view page's event stream sends (its data as sent: JSON),
    skipping the timer's ticks."""
    while True:
        event = (await stream.content.readuntil(b"\n\n")).decode("utf-8")
        if event.startswith("event: state"):
            return next(line[len("data: "):] for line in event.splitlines()
                        if line.startswith("data: "))


def written_paths(said: str) -> list[Path]:
    """The files `kring export` says it wrote."""
    return [Path(found) for found in re.findall(r"written to (.+)$", said, re.MULTILINE)]


def meeting_naming_the_pupil(data: Path, clock: FakeClock) -> str:
    """A stored meeting of CoP Inclusion (not started) whose case names the pupil; its id."""
    meeting_id = stored_meeting(data, clock)
    store = Store(data)
    record = store.load(meeting_id)
    record.meeting.case = CASE
    store.save_meeting(record.meeting)
    # The community and its roster, as the setup screen records them: consent is given per
    # member of a community, and the research export is of a community.
    remember_roster(store, record.meeting.community, record.meeting.participants)
    return meeting_id


async def typed_and_flagged(pilot: Pilot[None], meeting_id: str,
                            lines: list[str]) -> MeetingScreen:
    """The meeting opened, the guard ready, ``lines`` typed, and every one of them flagged
    with the name alone, as the case's title and summary are: nobody protected it yet."""
    app = pilot.app
    assert isinstance(app, KringApp)
    screen = await open_meeting_to_type(pilot, meeting_id)
    await until(pilot, lambda: ready(app), 300)  # minutes if its lists are being built
    for line in lines:
        await type_line(pilot, line)
    entries = screen.phase.entries
    # Found by where: an entry's id, or a part of the case.
    flagged = [CASE_TITLE, CASE_SUMMARY, *(entry.id for entry in screen.live.entries)]
    assert len(flagged) == 2 + len(lines)
    await until(pilot, lambda: entries.flags == dict.fromkeys(flagged, (NAME,)), 10)
    return screen


async def test_a_name_protected_with_one_key_is_gone_from_everything_that_leaves(
        data: Path, clock: FakeClock, isolated_folders: Path, loaded: None,
        capsys: pytest.CaptureFixture[str]) -> None:
    meeting_id = meeting_naming_the_pupil(data, clock)
    app = create_app(data, CATALOG, clock, guard=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await typed_and_flagged(pilot, meeting_id, LINES)
        entries = screen.phase.entries
        assert [entry.text for entry in screen.live.entries] == TEXTS

        # Before the key: the name is in the minutes, on the wall and on the phones, so the
        # same checks after it show the key took it away (and could have failed).
        before = render_minutes(Store(data), meeting_id, "md").text
        assert all(text in before for text in TEXTS)
        assert NAME in await wall(pilot, screen)
        await pilot.press("f5")  # the note-taker's own view again
        await pilot.pause()

        # The phones, through the real share server in this event loop: a view page's event
        # stream, opened before the key and kept open, as a phone in the room keeps it.
        async with serving(data, screen.live) as server, \
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
            base = f"http://127.0.0.1:{server.port}"
            async with session.get(server.url(AccessKind.VIEW)) as response:
                assert response.status == 200
            async with session.get(base + "/events/view") as stream:
                sent = await next_state(stream)
                first = json.loads(sent)
                assert first["case"] == CASE.title and NAME.upper() in first["focus"]

                # The key: on the newest entry, in the list above the capture line.
                await pilot.press("up", "ctrl+f")
                await until(pilot, lambda: not entries.flags, 5)
                assert screen.live.meeting.protected_names == [NAME]
                assert Store(data).load(meeting_id).meeting.protected_names == [NAME]

                # The phone hears of it within the feed's poll, without reloading; one that
                # hears nothing more keeps what it has, and the checks below say what.
                with contextlib.suppress(TimeoutError):
                    while NAME in json.loads(sent)["case"]:
                        sent = await asyncio.wait_for(next_state(stream), 10)
            state = json.loads(sent)
            assert absent(sent), sent
            assert state["case"] == CASE_SHOWN
            assert state["focus"] == f"Hoe krijg ik {PSEUDONYM} op tijd?"
            # The contribute page comes with the phase as it is now (tui/share/handlers.py).
            async with session.get(server.url(AccessKind.CONTRIBUTE)) as response:
                assert response.status == 200
            async with session.get(base + "/contribute") as response:
                page = await response.text()
            assert response.status == 200 and absent(page), page

        # The projector view: the case with its pseudonym, the name nowhere on the wall.
        await pilot.press("escape")
        shown = await wall(pilot, screen)
        assert absent(shown), re.findall(r"(?i)[^>]*jayden[^<]*", shown)
        assert CASE_SHOWN in shown
        await pilot.press("f5")
        await pilot.pause()

    # Everything written from the meeting, by the command line on the same data folder: the
    # protection is in the meeting's log, so every command sees it.

    # The guard itself: nothing left to look at, so carry and research need no
    # --accept-findings (a finding would make them exit 3 and write nothing).
    code, out, err = run(capsys, "check", meeting_id)
    assert code == 0 and "Nothing found" in out, out + err

    # The minutes, as Markdown and as the HTML page beside it.
    code, out, err = run(capsys, "export", meeting_id, "--format", "html")
    assert code == 0, err
    paths = written_paths(out)
    assert sorted(path.suffix for path in paths) == [".html", ".md"], out
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert absent(text), path
        # The HTML page escapes the apostrophe of "Pupil A's": the other lines say enough.
        assert all(line in text for line in [CASE_SHOWN, SHOWN[0], SHOWN[2], SHOWN[3]]), path
    markdown = next(path for path in paths if path.suffix == ".md").read_text(encoding="utf-8")
    assert SHOWN[1] in markdown and f"Hoe krijg ik {PSEUDONYM} op tijd?" in markdown

    # The research export, as CSV (one row an entry) and as a REFI-QDA project (the minutes as
    # its text sources), for members who consented long ago. It carries the entries only, not
    # the case: the entries typed before the key are what it can leak.
    for person in ("Anouk", "Bram", "Chantal", "Dev"):
        code, _out, err = run(capsys, "consent", "CoP Inclusion", person, "grant",
                              "--date", "2020-01-01")
        assert code == 0, err
    export = isolated_folders / "research.csv"
    code, out, err = run(capsys, "research", "CoP Inclusion", "--format", "csv",
                         "--out", str(export))
    assert code == 0, out + err
    rows = export.read_text(encoding="utf-8")
    manifest = export.with_name(export.name + ".manifest.json").read_text(encoding="utf-8")
    assert absent(rows) and absent(manifest), rows
    assert all(line in rows for line in SHOWN), rows
    project = isolated_folders / "research.qdpx"
    code, out, err = run(capsys, "research", "CoP Inclusion", "--format", "qdpx",
                         "--out", str(project))
    assert code == 0, out + err
    with zipfile.ZipFile(io.BytesIO(project.read_bytes())) as archive:
        inside = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert absent(inside)
    assert all(line in inside for line in SHOWN)

    # Carried to the CoP (another community's folder): the case, the learning and the action
    # point, every byte of what was written there.
    cop = isolated_folders / "cop-data"
    code, out, err = run(capsys, "carry", meeting_id, "--to", "CoP Zuid", "--to-data", str(cop),
                         "--consent-of", "Bram")
    assert code == 0, out + err
    carried = b"".join(path.read_bytes() for path in sorted(cop.rglob("*"))
                       if path.is_file()).decode("utf-8", errors="replace")
    assert absent(carried)
    shared = Store(cop).load(meeting_id)
    assert shared.meeting.case.title == CASE_SHOWN
    assert sorted(entry.text for entry in shared.entries) == sorted(SHOWN[2:])


def test_each_line_is_flagged_with_the_name_alone() -> None:
    """What the test above leans on: the spotter finds "Jayden" (and only that) in every entry
    and in the case's title and summary, and misses "JAYDEN", which must be hidden anyway."""
    spot = engine().spot
    for line in [*TEXTS, CASE.title, CASE.summary]:
        assert [span.text for span in spot(line)] == [NAME], line
    assert spot(CASE.focus_question) == []


async def test_the_toast_that_confirms_the_key_is_not_on_the_wall(
        data: Path, clock: FakeClock) -> None:
    meeting_id = meeting_naming_the_pupil(data, clock)
    app = create_app(data, CATALOG, clock, guard=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await typed_and_flagged(pilot, meeting_id, LINES[:1])
        await pilot.press("up", "ctrl+f")
        await until(pilot, lambda: not screen.phase.entries.flags, 5)
        # The toast names the name (for the note-taker) and is still up: the control.
        assert any(NAME in n.message for n in app._notifications)
        await pilot.press("escape")  # back to the capture line, then the room's view
        shown = await wall(pilot, screen)
        assert CASE_SHOWN in shown  # the wall is up, with the case as the room may read it
        assert absent(shown), re.findall(r"(?i)[^>]*jayden[^<]*", shown)


def test_a_vote_open_when_the_name_is_protected_shows_the_phones_its_pseudonym(
        data: Path, clock: FakeClock) -> None:
    """The phones' side of a vote, as the share server builds it (tui/share/feed.py sends
    ``page_state``): advice naming the pupil, a vote opened on it as F12 opens one
    (tui/share/panel.py), then the name protected as ctrl+f protects it."""
    live = held(data, clock, phase="positions")
    for text in (f"Bel de moeder van {NAME}", f"Geef {NAME} een vaste plek"):
        live.add_entry(text, Capture.POSITION)
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    options = vote_options(live)
    log.open(VoteRound(new_item_id(), live.step.key, votes_each(len(options)), options,
                       clock.now()))
    before = page_state(live, log, clock.now())["vote"]
    assert before is not None and NAME in json.dumps(before)  # the name, before the key

    live.protect_names(merge_names(live.meeting.protected_names, [NAME]))
    sent = json.dumps(page_state(live, log, clock.now()), ensure_ascii=False)
    assert absent(sent), sent
