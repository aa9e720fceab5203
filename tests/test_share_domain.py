"""Sharing's domain (sessions/share/): tokens and sessions, the journal that survives crashes,
the queue, dot-votes counted once per participant, and page data that carries nothing the room
must not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Meeting
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.model.votes import VoteResult
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.share.access import TOKEN_BYTES, Access, AccessKind
from kring.sessions.share.journal import Journal, ShareError, journal_path, state_folder
from kring.sessions.share.page import collects, page_state
from kring.sessions.share.queue import MAX_WAITING, Contribution, ShareLog, new_item_id
from kring.sessions.share.votes import VoteRound, vote_options, votes_each, why_no_vote
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

CATALOG = load_catalog(BUILTIN_DIR)


def held(data: Path, clock: FakeClock, protocol: str = "incident") -> LiveMeeting:
    entry = CATALOG.find(protocol, "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal", "Dev"],
                       case=Case("Why Zoë stopped asking", "Zoë sits at the back.", ""))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    meeting.protected_names = ["Zoë"]
    store = Store(data)
    store.create_meeting(meeting)
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    return live


def item(text: str = "What did you try?", clock: FakeClock | None = None,
         author: str | None = None) -> Contribution:
    return Contribution(new_item_id(), text, Capture.QUESTION, author, "questions",
                        (clock or FakeClock()).now())


# -- access ------------------------------------------------------------------------------------


def test_each_kind_has_its_own_long_token_and_only_it_opens_that_kind() -> None:
    access = Access()
    tokens = {kind: access.token(kind) for kind in AccessKind}
    assert len(set(tokens.values())) == 3
    assert all(len(token) >= TOKEN_BYTES * 4 // 3 for token in tokens.values())
    for kind, token in tokens.items():
        assert access.kind_of_token(token) is kind
    assert access.kind_of_token("") is None
    view = tokens[AccessKind.VIEW]
    # One character off (never the same one: a token ends in "x" once in 64 runs).
    assert access.kind_of_token(view[:-1] + ("y" if view.endswith("x") else "x")) is None
    assert access.kind_of_token("é" * 32) is None


def test_revoking_a_kind_ends_its_token_and_sessions_at_once_and_no_other() -> None:
    access = Access()
    old = access.token(AccessKind.CONTRIBUTE)
    phone = access.open_session(AccessKind.CONTRIBUTE)
    wall = access.open_session(AccessKind.VIEW)
    new = access.revoke(AccessKind.CONTRIBUTE)
    assert new != old
    assert access.kind_of_token(old) is None
    assert access.kind_of_token(new) is AccessKind.CONTRIBUTE
    assert access.session_kind(phone) is None
    assert access.session_kind(wall) is AccessKind.VIEW
    assert access.session_kind(None) is None


def test_connections_are_capped_per_kind() -> None:
    access = Access(caps={AccessKind.VIEW: 2, AccessKind.CONTRIBUTE: 1, AccessKind.SCRIBE: 1})
    assert access.connect(AccessKind.VIEW) and access.connect(AccessKind.VIEW)
    assert not access.connect(AccessKind.VIEW)
    assert access.connected(AccessKind.VIEW) == 2
    access.disconnect(AccessKind.VIEW)
    assert access.connect(AccessKind.VIEW)
    assert access.connect(AccessKind.CONTRIBUTE)


# -- the journal -------------------------------------------------------------------------------


def test_the_journal_is_in_the_state_folder_private_and_skips_a_torn_line(
        tmp_path: Path) -> None:
    assert state_folder() == tmp_path / "state"
    path = journal_path("abc123")
    assert path.is_relative_to(tmp_path / "state")
    journal = Journal(path)
    journal.append({"type": "item", "n": 1})
    with path.open("ab") as file:
        file.write(b'{"type": "item", "n": 2')  # a crash in the middle of a line
    assert [r["n"] for r in Journal(path).read_all()] == [1]
    journal.append({"type": "item", "n": 3})  # ends the torn line first
    assert [r["n"] for r in Journal(path).read_all()] == [1, 3]
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    with pytest.raises(ValueError):
        journal_path("../../etc")


def test_read_new_returns_only_what_was_added_since(tmp_path: Path) -> None:
    writer, reader = Journal(tmp_path / "j.jsonl"), Journal(tmp_path / "j.jsonl")
    writer.append({"type": "a"})
    assert [r["type"] for r in reader.read_new()] == ["a"]
    assert reader.read_new() == []
    writer.append({"type": "b"})
    assert [r["type"] for r in reader.read_new()] == ["b"]


def test_a_refusing_disk_is_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ShareError, match="could not be kept"):
        Journal(tmp_path / "file" / "j.jsonl").append({"type": "a"})


# -- the queue ---------------------------------------------------------------------------------


def test_a_contribution_sent_twice_waits_once_and_comes_back_after_a_restart(
        tmp_path: Path) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    sent = item()
    assert log.submit(sent)
    assert not log.submit(sent)
    assert [c.id for c in log.waiting] == [sent.id]
    assert [c.id for c in ShareLog(Journal(tmp_path / "j.jsonl")).waiting] == [sent.id]


def test_the_queue_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_WAITING >= 1000  # the benchmark's 1,000 contributions fit
    monkeypatch.setattr("kring.sessions.share.queue.MAX_WAITING", 5)
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    for _n in range(5):
        log.submit(item())
    with pytest.raises(ShareError, match="too much waiting"):
        log.submit(item())


def test_revealing_makes_a_normal_entry_and_discarding_leaves_none(
        data: Path, clock: FakeClock, tmp_path: Path) -> None:
    live = held(data, clock)
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    kept, dropped = item("What did you try?", author="Dev"), item("Anything else?")
    log.submit(kept)
    log.submit(dropped)
    entry = log.reveal(kept.id, live)
    assert entry is not None and entry.author == "Dev" and entry.kind is Capture.QUESTION
    assert log.discard(dropped.id)
    assert log.waiting == [] and log.reveal(kept.id, live) is None
    stored = Store(data).load(live.meeting.id).entries
    assert [e.text for e in stored] == ["What did you try?"]
    assert ShareLog(Journal(tmp_path / "j.jsonl")).waiting == []
    assert log.forget_if_done() and not (tmp_path / "j.jsonl").exists()


def test_one_revealed_just_before_a_crash_is_not_revealed_twice(
        data: Path, clock: FakeClock, tmp_path: Path) -> None:
    live = held(data, clock)
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    sent = item("What did you try?", clock)
    log.submit(sent)
    clock.advance(5)
    live.add_entry(sent.text, sent.kind)  # the entry is written; the crash comes before
    after = ShareLog(Journal(tmp_path / "j.jsonl"))
    after.settle(Store(data).load(live.meeting.id).entries)
    assert after.waiting == []


# -- votes -------------------------------------------------------------------------------------


def test_a_vote_counts_each_participant_once_per_option_and_at_most_n_times(
        tmp_path: Path, clock: FakeClock) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    from kring.sessions.share.votes import VoteOption

    options = tuple(VoteOption(f"e{n}", f"advice {n}") for n in range(4))
    log.open(VoteRound("v1", "positions", 2, options, clock.now()))
    assert log.ballot("phone-1", "e0")
    assert not log.ballot("phone-1", "e0")  # the same vote again
    assert log.ballot("phone-1", "e1")
    assert not log.ballot("phone-1", "e2")  # votes used up
    assert not log.ballot("phone-2", "not-an-option")
    assert log.ballot("phone-2", "e0")
    other = ShareLog(Journal(tmp_path / "j.jsonl"))  # the other process sees the same
    assert [n for _o, n in other.open_vote.counts()] == [2, 1, 0, 0]  # type: ignore[union-attr]
    result = log.close_vote(clock.now())
    assert result is not None and result.voters == 2 and result.counts[0] == ("e0", 2)
    assert not log.ballot("phone-3", "e3")  # closed


def test_votes_are_offered_where_a_phase_chooses_with_no_private_entry(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    assert why_no_vote(live) is not None  # choosing a case: nothing to choose from yet
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "positions"))
    live.add_entry("Talk to Zoë after class", Capture.POSITION)
    live.add_entry("Call the parents", Capture.POSITION)
    live.add_entry("my own idea", Capture.POSITION, private=True)
    assert why_no_vote(live) is None
    texts = [o.text for o in vote_options(live)]
    assert texts == ["Talk to Pupil A after class", "Call the parents"]
    assert votes_each(2) == 1 and votes_each(10) == 3


def test_meeting_votes_round_trip_and_old_files_load(clock: FakeClock) -> None:
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="C", participants=["A", "B", "C"])
    plan.roles = {Role.FACILITATOR: "A", Role.CASE_BRINGER: "B"}
    meeting = plan.create(clock)
    data = meeting.to_dict()
    assert "votes" not in data  # a meeting without votes writes what it always did
    meeting.votes.append(VoteResult("positions", clock.now(), clock.now(), 2, 3,
                                    [("e1", 3), ("e2", 1)]))
    again = Meeting.from_dict(json.loads(json.dumps(meeting.to_dict())))
    assert again.votes == meeting.votes
    assert Meeting.from_dict(data).votes == []


# -- what pages show ---------------------------------------------------------------------------


def test_collecting_phases_and_the_page_carries_no_private_text_or_protected_name(
        data: Path, clock: FakeClock, tmp_path: Path) -> None:
    live = held(data, clock)
    kinds = {step.phase.id: collects(live) for step in live.steps
             if not live.go_to(live.steps.index(step))}
    assert kinds["write-questions"] is Capture.QUESTION
    assert kinds["questions"] is Capture.QUESTION
    assert kinds["positions"] is Capture.POSITION
    assert kinds["sketch"] is None
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "positions"))
    live.add_entry("Zoë's secret", Capture.POSITION, private=True)
    live.add_entry("Ask Zoë", Capture.POSITION)
    live.add_entry("Ask the mentor", Capture.POSITION)
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    log.open(VoteRound("v", live.step.key, 1, vote_options(live), clock.now()))
    text = json.dumps(page_state(live, log, clock.now()), ensure_ascii=False)
    assert "Zoë" not in text and "secret" not in text
    assert "Pupil A" in text and "Ask the mentor" in text


def test_the_minutes_show_a_step_s_votes_without_private_or_protected_text(
        data: Path, clock: FakeClock, tmp_path: Path) -> None:
    from kring.sessions.documents.minutes import render_markdown

    live = held(data, clock)
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "positions"))
    talk = live.add_entry("Talk to Zoë after class", Capture.POSITION)
    call = live.add_entry("Call the parents", Capture.POSITION)
    secret = live.add_entry("my own idea", Capture.POSITION)
    live.meeting.votes.append(VoteResult(live.step.key, clock.now(), clock.now(), 2, 4,
                                         [(talk.id, 1), (call.id, 3), (secret.id, 2)]))
    live.edit_entry(secret.id, private=True)
    minutes = render_markdown(live.meeting, live.entries)
    votes = minutes.split("### Votes")[1]
    assert "4 voted, 2 votes each." in votes
    assert votes.index("**3** Call the parents") < votes.index("**1** Talk to Pupil A")
    assert "my own idea" not in minutes and "Zoë" not in minutes
