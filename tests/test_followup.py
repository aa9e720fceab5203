"""Action points carry over from meeting to meeting until they are done or dropped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.care.followup import StatusFilter, actions, mark, open_actions_for_review
from kring.sessions.documents.actions import action_rows, actions_markdown, review_markdown
from kring.sessions.errors import NotFoundError
from kring.sessions.model.action_points import ActionItem
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import (
    ActionStatus,
    Case,
    Entry,
    Meeting,
    PseudonymStyle,
    ReviewNote,
    StatusChange,
)
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = protocol_to_data(load_protocol(ROOT / "templates" / "en" / "incident-short.toml"))
TEAM = "Team 4B"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", FakeClock(datetime(2026, 9, 1, 9, 0, tzinfo=UTC)))


def held(store: Store, meeting_id: str, day: date, community: str = TEAM,
         **changes: object) -> Meeting:
    made = Meeting(id=meeting_id, community=community, date=day, protocol=PROTOCOL,
                   created_at=datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC),
                   participants=["Anna", "Bram", "Zoë de Vries"],
                   case=Case(title=f"Case of {meeting_id}"))
    for key, value in changes.items():
        setattr(made, key, value)
    store.create_meeting(made)
    return made


def action(store: Store, meeting: Meeting, entry_id: str, text: str, *, owner: str | None,
           due: date | None = None, private: bool = False, minute: int = 0) -> Entry:
    made = Entry(id=entry_id, kind=Capture.ACTION, text=text, step="evaluation",
                 created_at=meeting.created_at + timedelta(minutes=minute), owner=owner, due=due,
                 private=private)
    store.apply(meeting.id, AddEntry(made))
    return made


def stored(store: Store, meeting_id: str, entry_id: str) -> Entry:
    return next(e for e in store.load(meeting_id).entries if e.id == entry_id)


# -- carrying over -------------------------------------------------------------------------------


def test_an_action_carries_over_across_three_meetings(store: Store) -> None:
    first = held(store, "m1", date(2026, 10, 1))
    action(store, first, "call", "Call the parents", owner="Bram", due=date(2026, 10, 15))
    action(store, first, "read", "Read the plan", owner="Anna", minute=1)

    second = held(store, "m2", date(2026, 10, 29))
    review = open_actions_for_review(store, TEAM, second)
    assert [item.entry.id for item in review] == ["call", "read"]
    call = review[0]
    assert call.age_days(second.date) == 28
    assert call.overdue(second.date)

    mark(store, call, ActionStatus.CARRIED_ON, in_meeting=second, on=second.date,
         comment="Not reached them yet")
    mark(store, ("m1", "read"), ActionStatus.DONE, in_meeting=second, on=second.date)

    saved = stored(store, "m1", "call")
    assert saved.status is ActionStatus.CARRIED_ON
    assert saved.history == [StatusChange(ActionStatus.CARRIED_ON, date(2026, 10, 29), "m2",
                                          "Not reached them yet")]
    assert stored(store, "m1", "read").status is ActionStatus.DONE
    # The review is in the second meeting, on disk and in the caller's copy alike.
    on_disk = store.load("m2").meeting.reviews
    assert on_disk == second.reviews
    assert [(n.entry_id, n.status, n.comment) for n in on_disk] == [
        ("call", ActionStatus.CARRIED_ON, "Not reached them yet"),
        ("read", ActionStatus.DONE, ""),
    ]
    # Both stay in the second meeting's review list, marked, so the screen can show them.
    again = open_actions_for_review(store, TEAM, second)
    assert [(i.entry.id, i.change_in("m2").status) for i in again] == [  # type: ignore[union-attr]
        ("call", ActionStatus.CARRIED_ON), ("read", ActionStatus.DONE)]

    third = held(store, "m3", date(2026, 11, 26))
    review = open_actions_for_review(store, TEAM, third)
    assert [item.entry.id for item in review] == ["call"]  # carried on: still to do
    assert review[0].age_days(third.date) == 56
    mark(store, review[0], ActionStatus.DONE, in_meeting=third, on=third.date,
         comment="*Finally* done")

    saved = stored(store, "m1", "call")
    assert saved.status is ActionStatus.DONE
    assert [(c.status, c.meeting_id) for c in saved.history] == [
        (ActionStatus.CARRIED_ON, "m2"), (ActionStatus.DONE, "m3")]
    assert actions(store, today=third.date) == []
    assert [i.entry.id for i in actions(store, today=third.date, status="done")] == [
        "call", "read"]

    minutes = review_markdown(store.load("m3").meeting)
    assert minutes.startswith("## Review of action points\n\n")
    assert "**Bram**: Call the parents — *done* (raised 1 October 2026, 56 days before; due " \
           "15 October 2026)" in minutes
    assert "\\*Finally\\* done" in minutes  # typed text is escaped as in the minutes


def test_marking_again_in_the_same_meeting_replaces_and_open_undoes(store: Store) -> None:
    first = held(store, "m1", date(2026, 10, 1))
    action(store, first, "call", "Call the parents", owner="Bram")
    second = held(store, "m2", date(2026, 10, 29))
    mark(store, ("m1", "call"), ActionStatus.DONE, in_meeting=second, on=second.date)
    mark(store, ("m1", "call"), ActionStatus.DROPPED, in_meeting=second, on=second.date)
    saved = stored(store, "m1", "call")
    assert saved.status is ActionStatus.DROPPED and len(saved.history) == 1
    assert [n.status for n in store.load("m2").meeting.reviews] == [ActionStatus.DROPPED]

    action(store, first, "read", "Read the plan", owner="Anna", minute=1)
    mark(store, ("m1", "read"), ActionStatus.DONE, in_meeting=second, on=second.date)
    mark(store, ("m1", "call"), ActionStatus.DONE, in_meeting=second, on=second.date)
    assert [n.entry_id for n in store.load("m2").meeting.reviews] == ["call", "read"]

    undone = mark(store, ("m1", "call"), ActionStatus.OPEN, in_meeting=second, on=second.date)
    assert undone.status is ActionStatus.OPEN and undone.history == []
    assert [n.entry_id for n in store.load("m2").meeting.reviews] == ["read"]
    assert store.load("m2").meeting.reviews == second.reviews
    mark(store, ("m1", "read"), ActionStatus.OPEN, in_meeting=second, on=second.date)
    assert review_markdown(second) == ""


def test_the_review_holds_only_earlier_meetings_of_the_same_community(store: Store) -> None:
    earlier = held(store, "m1", date(2026, 10, 1))
    action(store, earlier, "a1", "Earlier", owner="Anna")
    other = held(store, "m2", date(2026, 10, 2), community="Other team")
    action(store, other, "a2", "Elsewhere", owner="Anna")
    now = held(store, "m3", date(2026, 10, 29))
    action(store, now, "a3", "Raised today", owner="Anna")
    later = held(store, "m4", date(2026, 11, 30))
    action(store, later, "a4", "Later", owner="Anna")
    same_day_after = held(store, "m5", date(2026, 10, 29),
                          created_at=now.created_at + timedelta(hours=1))
    action(store, same_day_after, "a5", "Same day, later", owner="Anna")
    private = action(store, earlier, "a6", "Mine alone", owner="Anna", private=True, minute=5)

    assert [i.entry.id for i in open_actions_for_review(store, "team 4b", now)] == ["a1"]
    with_private = open_actions_for_review(store, TEAM, now, include_private=True)
    assert [i.entry.id for i in with_private] == ["a1", private.id]


def test_marking_refuses_its_own_meeting_and_what_is_gone(store: Store) -> None:
    first = held(store, "m1", date(2026, 10, 1))
    action(store, first, "a1", "Something", owner="Anna")
    with pytest.raises(ValueError):
        mark(store, ("m1", "a1"), ActionStatus.DONE, in_meeting=first, on=first.date)
    second = held(store, "m2", date(2026, 10, 29))
    with pytest.raises(NotFoundError):
        mark(store, ("m1", "nope"), ActionStatus.DONE, in_meeting=second, on=second.date)


def test_the_names_protected_where_an_action_was_raised_stay_hidden_in_its_review(
        store: Store) -> None:
    first = held(store, "m1", date(2026, 10, 1), protected_names=["Daan"])
    action(store, first, "a1", "Talk to Daan's mother", owner="Bram")
    second = held(store, "m2", date(2026, 10, 29), protected_names=["Sem"])
    mark(store, ("m1", "a1"), ActionStatus.DONE, in_meeting=second, on=second.date,
         comment="daan is doing better; so is Sem")
    assert store.load("m2").meeting.protected_names == ["Sem", "Daan"]
    minutes = review_markdown(store.load("m2").meeting)
    assert "Daan" not in minutes and "daan" not in minutes and "Sem" not in minutes
    assert "Talk to Pupil B's mother" in minutes and "Pupil B is doing better; so is Pupil A" \
        in minutes
    assert "Talk to Daan's mother" in review_markdown(second, real_names=True)


# -- listing -------------------------------------------------------------------------------------


@pytest.fixture
def listed(store: Store) -> Store:
    first = held(store, "m1", date(2026, 9, 10))
    action(store, first, "late", "Mail the parents", owner="Bram", due=date(2026, 9, 20))
    action(store, first, "soon", "Plan the talk", owner="Zoë de Vries", due=date(2026, 12, 1),
           minute=1)
    action(store, first, "whenever", "Tidy the shelf", owner=None, minute=2)
    action(store, first, "secret", "Check on the colleague", owner="Bram", private=True,
           minute=3)
    other = held(store, "m2", date(2026, 10, 1), community="Bovenbouw")
    action(store, other, "theirs", "Their action", owner="bram", due=date(2026, 9, 1))
    third = held(store, "m3", date(2026, 10, 29))
    mark(store, ("m1", "soon"), ActionStatus.DONE, in_meeting=third, on=third.date)
    action(store, third, "dropped", "Old idea", owner="Anna")
    fourth = held(store, "m4", date(2026, 11, 20))
    mark(store, ("m3", "dropped"), ActionStatus.DROPPED, in_meeting=fourth, on=fourth.date)
    return store


TODAY = date(2026, 11, 25)


def ids(items: list[ActionItem]) -> list[str]:
    return [item.entry.id for item in items]


def test_actions_filter_by_status(listed: Store) -> None:
    assert ids(actions(listed, today=TODAY)) == ["theirs", "late", "whenever"]
    assert ids(actions(listed, today=TODAY, status=StatusFilter.DONE)) == ["soon"]
    assert sorted(ids(actions(listed, today=TODAY, status="all"))) == [
        "dropped", "late", "soon", "theirs", "whenever"]
    with pytest.raises(ValueError):
        actions(listed, today=TODAY, status="closed")


def test_actions_filter_by_community_and_owner(listed: Store) -> None:
    assert ids(actions(listed, today=TODAY, community="team 4B")) == ["late", "whenever"]
    assert ids(actions(listed, today=TODAY, community="Nobody")) == []
    assert ids(actions(listed, today=TODAY, owner="BRAM")) == ["theirs", "late"]
    assert ids(actions(listed, today=TODAY, owner="zoe", status="all")) == ["soon"]
    assert ids(actions(listed, today=TODAY, owner="Zoe de vries", status="all")) == ["soon"]
    assert ids(actions(listed, today=TODAY, owner="Zo", status="all")) == []
    assert ids(actions(listed, today=TODAY, owner="bram", community="Team 4B")) == ["late"]


def test_overdue_actions_stand_out(listed: Store) -> None:
    items = actions(listed, today=TODAY, status="all")
    rows = {row.text: row for row in action_rows(items, TODAY)}
    assert rows["Mail the parents"].overdue and rows["Their action"].overdue
    assert not rows["Tidy the shelf"].overdue and not rows["Plan the talk"].overdue  # done
    assert rows["Mail the parents"].age_days == 76
    assert rows["Mail the parents"].status == "open"
    assert rows["Old idea"].status == "dropped"
    document = actions_markdown(items, TODAY)
    assert document.startswith("# Action points\n\n*As of 25 November 2026.*\n\n| Status |")
    assert "| **20 September 2026 — overdue** |" in document
    assert "| 1 December 2026 |" in document  # done: past nothing, not overdue


def test_private_actions_never_appear_in_exports(listed: Store) -> None:
    items = actions(listed, today=TODAY, status="all")
    assert "secret" not in ids(items)
    assert "Check on the colleague" not in actions_markdown(items, TODAY)
    assert all(row.text != "Check on the colleague" for row in action_rows(items, TODAY))
    mine = actions(listed, today=TODAY, include_private=True)
    assert "secret" in ids(mine)


def test_exports_hide_protected_names_per_meeting(store: Store) -> None:
    first = held(store, "m1", date(2026, 10, 1), protected_names=["Daan", "Sem"],
                 pseudonym_style=PseudonymStyle.INITIALS)
    action(store, first, "a1", "Ask DAAN and sem how it went", owner="Bram")
    second = held(store, "m2", date(2026, 10, 2), protected_names=["Sem"])
    action(store, second, "a2", "Sem's plan", owner="Anna")
    items = actions(store, today=TODAY)
    document = actions_markdown(items, TODAY)
    assert "Ask D. and S. how it went" in document
    assert "Pupil A's plan" in document
    assert "Daan" not in document and "DAAN" not in document and "Sem" not in document
    rows = action_rows(items, TODAY)
    assert [row.text for row in rows] == ["Ask D. and S. how it went", "Pupil A's plan"]
    real = action_rows(items, TODAY, real_names=True)
    assert real[0].text == "Ask DAAN and sem how it went"


def test_an_empty_list_says_so(store: Store) -> None:
    assert "*No action points.*" in actions_markdown([], TODAY)


# -- the data model ------------------------------------------------------------------------------


def test_old_files_without_the_new_keys_still_load() -> None:
    old_entry = {"id": "e1", "kind": "action", "text": "x", "step": "s",
                 "created_at": "2026-11-25T09:00:00+00:00"}
    loaded = Entry.from_dict(old_entry)
    assert loaded.status is ActionStatus.OPEN and loaded.history == []
    old_meeting = {"id": "m1", "community": "T", "date": "2026-11-25", "protocol": {},
                   "created_at": "2026-11-25T09:00:00+00:00"}
    meeting = Meeting.from_dict(old_meeting)
    assert meeting.protected_names == [] and meeting.reviews == []
    assert meeting.pseudonym_style is PseudonymStyle.LETTERS
    assert Community.from_dict({"name": "T", "members": ["A"]}).retention_days is None


def test_the_new_fields_round_trip() -> None:
    made = Entry(id="e1", kind=Capture.ACTION, text="x", step="s",
                 created_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
                 status=ActionStatus.CARRIED_ON,
                 history=[StatusChange(ActionStatus.CARRIED_ON, date(2026, 11, 25), "m2", "c")])
    assert Entry.from_dict(made.to_dict()) == made
    assert "history" not in Entry.from_dict({**made.to_dict(), "history": []}).to_dict()
    meeting = Meeting(id="m1", community="T", date=date(2026, 11, 25), protocol={},
                      created_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
                      protected_names=["Daan"], pseudonym_style=PseudonymStyle.INITIALS,
                      reviews=[ReviewNote("e1", "m0", date(2026, 10, 1), "x", None, None,
                                          ActionStatus.DONE, date(2026, 11, 25))])
    assert Meeting.from_dict(meeting.to_dict()) == meeting
    assert Meeting.from_dict({**meeting.to_dict(), "pseudonym_style": "future"}
                             ).pseudonym_style is PseudonymStyle.LETTERS
    community = Community("T", ["A"], retention_days=365)
    assert Community.from_dict(community.to_dict()) == community
    for bad in (0, -1, True, "365", 1.5):
        with pytest.raises(TypeError):
            Community.from_dict({"name": "T", "retention_days": bad})
