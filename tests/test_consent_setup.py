"""Research consent is marked in setup (space on a participant) and saved with the roster
when the meeting starts; what the community already had shows there."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Select

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.consent import Consent, consented_on
from kring.sessions.store.facade import Store
from kring.tui.screens.setup import ParticipantList
from tests.support.meeting_app import make_app, meeting_screen, open_setup


async def test_consent_marked_in_setup_is_saved_when_the_meeting_starts(
        data: Path, clock: FakeClock) -> None:
    today = clock.now().date()
    earlier = Consent("Chantal", granted_on=today - timedelta(days=30))
    Store(data).save_community(Community("CoP Inclusion", ["Anouk", "Bram", "Chantal"],
                                         consents={"Chantal": earlier}))
    app = make_app(data, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        setup = await open_setup(pilot)
        await pilot.press(*"CoP Inclusion", "enter")
        await pilot.pause()
        participants = setup.query_one(ParticipantList)
        rows = [str(item.query_one("Label").render()) for item in participants.children]
        assert ["research consent" in row for row in rows] == [False, False, True]
        participants.focus()
        participants.index = 0  # Anouk gives consent; Chantal withdraws hers
        await pilot.press("space")
        participants.index = 2
        await pilot.press("space")
        await pilot.pause()
        rows = [str(item.query_one("Label").render()) for item in participants.children]
        assert ["research consent" in row for row in rows] == [True, False, False]
        setup.query_one("#role-facilitator", Select).value = "Anouk"
        setup.query_one("#role-case-bringer", Select).value = "Bram"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        meeting_screen(app)
    [community] = Store(data).communities()
    assert consented_on(community.consents, "Anouk", today)
    assert not consented_on(community.consents, "Bram", today)
    assert not consented_on(community.consents, "Chantal", today)
    assert consented_on(community.consents, "Chantal", today - timedelta(days=1))
