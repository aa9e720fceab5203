"""The app and ``kring export`` write a meeting's minutes through one writer, fed one record
(``sessions/documents/writing.py``): for the same meeting their files are the same, byte for
byte, under the same names. Driven as people drive them: the app with Textual's Pilot (typed
lines, the end of the meeting, an amendment afterwards), the command line in-process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Case, Entry, new_id
from kring.sessions.model.protocol import Role
from kring.sessions.model.votes import VoteResult
from kring.sessions.protocols.snapshot import meeting_steps
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.cli import main
from kring.tui.screens.home import HomeScreen
from tests.support.catalog import CATALOG
from tests.support.meeting_app import type_line

PEOPLE = ["Anouk", "Bram", "Chantal", "Dev", "Özlem"]


def stored_meeting(data: Path, clock: FakeClock) -> str:
    """A meeting with names to protect, unicode everywhere, two entries from before and a
    closed dot-vote on them."""
    found = CATALOG.find("incident", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="Zorgteam Noord — Ærø", participants=PEOPLE,
                       goal="Zoë weer laten schrijven ✍️",
                       case=Case("Zoë en de lege bladzijde 📄", "Zoë (groep 7) schrijft niets.",
                                 "Wat heeft Zoë nodig?"),
                       protected_names=["Zoë", "Mevrouw Ödegaard"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram",
                  Role.NOTE_TAKER: "Özlem"}
    meeting = plan.create(clock)
    assert meeting.protected_names == ["Zoë", "Mevrouw Ödegaard"]
    step = meeting_steps(meeting)[0].key
    entries = [Entry(id=new_id(), kind=Capture.NOTE, text=text, step=step,
                     created_at=clock.now() + timedelta(seconds=number), author=author)
               for number, (text, author) in enumerate([
                   ("Zoë kijkt naar het raam *— 20 min*", "Bram"),
                   ("Mevrouw Ödegaard belde: «geen idee» 🙂", "Chantal")])]
    meeting.votes.append(VoteResult(step, clock.now(), clock.now() + timedelta(minutes=2),
                                    votes_each=2, voters=4,
                                    counts=[(entries[0].id, 3), (entries[1].id, 5)]))
    Store(data).create_meeting(meeting, entries)
    return meeting.id


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("html", [False, True])
async def test_the_app_and_kring_export_write_the_same_minutes(
        data: Path, clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        html: bool) -> None:
    meeting_id = stored_meeting(data, clock)
    by_app, by_cli = tmp_path / "app", tmp_path / "cli"
    app = create_app(data, CATALOG, clock, minutes=by_app, minutes_html=html)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_meeting(meeting_id)
        await pilot.pause()
        clock.advance(90)
        await type_line(pilot, "n: Zoë zegt: ‘ik weet het niet’ — \\*geen\\* markdown #1")
        clock.advance(40)
        await type_line(pilot, "a: bel Mevrouw Ödegaard @chantal 2026-12-01")
        clock.advance(30)
        await pilot.press("f10", "f10")  # end: the action points and "the rest is left out"
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        ended = files(by_app)
        clock.advance(3600)
        app.open_meeting(meeting_id)  # ended: read-only until amended on purpose
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        await type_line(pilot, "n: achteraf: Zoë schreef één zin ✔")
        await pilot.press("f10")  # done: the minutes are written again
        await pilot.pause()
    amended = files(by_app)
    assert list(amended) == list(ended) and amended != ended
    assert [name.rsplit(".", 1)[1] for name in amended] == (["html", "md"] if html else ["md"])
    markdown = next(text for name, text in amended.items() if name.endswith(".md"))
    text = markdown.decode("utf-8")
    assert "Zoë" not in text and "Ödegaard" not in text  # protected, in the file and its name
    assert "achteraf" in text and "Amended after the meeting" in text and "Votes —" in text

    argv = ["--minutes", str(by_cli), "export", meeting_id[:6]]
    assert main([*argv, "--format", "html"] if html else argv) == 0
    capsys.readouterr()
    assert files(by_cli) == amended
