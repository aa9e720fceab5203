"""What one phone may hold and do (issue 22, invariant 2), in the domain, with the clock in
the test's hand: sessions per address, streams per session and address, a write budget that
refills, sessions that end when idle; a vote taken back and its counts hidden; a queue whose
discards, one phone's or all, come back with undo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kring.sessions.model.kinds import Capture
from kring.sessions.share.access import Access, AccessKind, Limits
from kring.sessions.share.journal import Journal
from kring.sessions.share.queue import (
    MAX_WAITING_ADDRESS,
    MAX_WAITING_EACH,
    Contribution,
    ShareError,
    ShareLog,
)
from kring.sessions.share.votes import VoteOption, VoteRound

AT = datetime(2026, 12, 6, 10, tzinfo=UTC)


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_address_opens_only_so_many_sessions_and_another_address_still_gets_in() -> None:
    access = Access(limits=Limits(sessions_per_address=3))
    opened = [access.open_session(AccessKind.CONTRIBUTE, "10.0.0.5") for _n in range(5)]
    assert all(opened[:3]) and opened[3:] == [None, None]
    assert access.open_session(AccessKind.CONTRIBUTE, "10.0.0.6") is not None
    assert access.sessions(AccessKind.CONTRIBUTE) == 4


def test_a_session_is_known_by_a_public_id_that_is_not_its_secret() -> None:
    access = Access()
    secret = access.open_session(AccessKind.CONTRIBUTE, "10.0.0.5")
    session = access.session(secret)
    assert session is not None and session.public and session.public != secret
    assert secret not in session.public


def test_an_idle_session_ends_and_one_holding_a_stream_does_not() -> None:
    ticks = Ticks()
    access = Access(limits=Limits(idle=60), now=ticks)
    idle = access.open_session(AccessKind.VIEW, "a")
    streaming = access.open_session(AccessKind.VIEW, "b")
    held = access.session(streaming)
    assert held is not None and access.connect(AccessKind.VIEW, held)
    ticks.now += 61
    assert access.session(idle) is None
    assert access.session(streaming) is not None
    access.disconnect(AccessKind.VIEW, held)
    ticks.now += 30
    assert access.session(streaming) is not None  # the stream counted as being seen
    ticks.now += 61
    assert access.session(streaming) is None


def test_the_oldest_idle_session_makes_room_when_all_are_taken() -> None:
    ticks = Ticks()
    access = Access(limits=Limits(sessions=2, sessions_per_address=9), now=ticks)
    first = access.open_session(AccessKind.VIEW, "a")
    ticks.now += 1
    second = access.open_session(AccessKind.VIEW, "b")
    ticks.now += 1
    third = access.open_session(AccessKind.VIEW, "c")
    assert third is not None
    assert access.session(first) is None and access.session(second) is not None


def test_streams_are_capped_per_session_and_per_address_and_freed_when_they_end() -> None:
    access = Access(limits=Limits(streams_per_session=2, streams_per_address=3))
    one = access.session(access.open_session(AccessKind.VIEW, "a"))
    two = access.session(access.open_session(AccessKind.VIEW, "a"))
    other = access.session(access.open_session(AccessKind.VIEW, "b"))
    assert one and two and other
    assert access.connect(AccessKind.VIEW, one) and access.connect(AccessKind.VIEW, one)
    assert not access.connect(AccessKind.VIEW, one)  # the session's two
    assert access.connect(AccessKind.VIEW, two)
    assert not access.connect(AccessKind.VIEW, two)  # the address's three
    assert access.connect(AccessKind.VIEW, other)  # another device still gets in
    access.disconnect(AccessKind.VIEW, one)
    assert access.connect(AccessKind.VIEW, two)
    assert access.connected(AccessKind.VIEW) == 4


def test_writes_spend_a_budget_that_refills_per_session_and_per_address() -> None:
    ticks = Ticks()
    access = Access(limits=Limits(burst=3, per_minute=6, address_burst=4,
                                  address_per_minute=60), now=ticks)
    one = access.session(access.open_session(AccessKind.CONTRIBUTE, "a"))
    two = access.session(access.open_session(AccessKind.CONTRIBUTE, "a"))
    assert one and two
    assert [access.may_write(one) for _n in range(5)] == [True, True, True, False, False]
    assert access.may_write(two)  # the address's fourth
    assert not access.may_write(two)  # the address's budget is spent
    ticks.now += 10  # one write a session refilled, and ten for the address
    assert access.may_write(one) and not access.may_write(one)


def _vote() -> VoteRound:
    options = tuple(VoteOption(f"entry{n}", f"Option {n}") for n in range(3))
    return VoteRound("vote1", "s1", 2, options, AT)


def test_a_vote_taken_back_counts_no_more_and_frees_the_vote() -> None:
    vote = _vote()
    assert vote.ballot("p1", "entry0") and vote.ballot("p1", "entry1")
    assert not vote.ballot("p1", "entry2")  # both used
    assert vote.take_back("p1", "entry0")
    assert not vote.take_back("p1", "entry0")  # nothing left to take back
    assert vote.ballot("p1", "entry2")
    assert dict((o.entry_id, n) for o, n in vote.counts()) == {
        "entry0": 0, "entry1": 1, "entry2": 1}
    vote.closed = True
    assert not vote.take_back("p1", "entry1")


def test_the_journal_replays_take_backs_and_hidden_counts(tmp_path: Path) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    log.open(_vote())
    assert log.ballot("p1", "entry0") and log.ballot("p2", "entry0")
    assert log.take_back("p1", "entry0") and not log.take_back("p1", "entry0")
    assert log.hide_counts(True)
    again = ShareLog(Journal(tmp_path / "j.jsonl"))  # another process reading it
    vote = again.open_vote
    assert vote is not None and vote.hidden and vote.voters() == 1
    assert dict((o.entry_id, n) for o, n in vote.counts())["entry0"] == 1


def test_the_page_shows_no_count_while_counts_are_hidden(tmp_path: Path) -> None:
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.share.page import page_state
    from tests.support.share import held

    clock = FakeClock(AT)
    live = held(tmp_path / "data", clock, phase="positions")
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    log.open(_vote())
    log.ballot("p1", "entry1")
    shown = page_state(live, log, clock.now())["vote"]
    assert [o["votes"] for o in shown["options"]] == [0, 1, 0] and shown["voters"] == 1
    log.hide_counts(True)
    hidden = page_state(live, log, clock.now())["vote"]
    assert hidden["hidden"] and [o["votes"] for o in hidden["options"]] == [None] * 3


def _item(n: int, source: str | None) -> Contribution:
    return Contribution(f"item{n:08d}", f"Question {n}", Capture.QUESTION, None, "s1", AT,
                        source=source)


def test_one_session_and_one_address_have_only_so_much_waiting(tmp_path: Path) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    for n in range(MAX_WAITING_EACH):
        assert log.submit(_item(n, "phone1"), frozenset({"phone1", "phone2", "phone3"}))
    refused = None
    try:
        log.submit(_item(99, "phone1"))
    except ShareError as error:
        refused = error.message
    assert refused is not None and "waiting" in refused
    neighbours = frozenset({"phone1", "phone2", "phone3"})
    for n in range(MAX_WAITING_ADDRESS - MAX_WAITING_EACH):
        assert log.submit(_item(100 + n, "phone2"), neighbours)
    try:
        log.submit(_item(200, "phone3"), neighbours)
        raise AssertionError("the address's share was full")
    except ShareError:
        pass
    assert log.submit(_item(300, "elsewhere"))  # another device is not held up


def test_discarding_one_phone_s_items_or_all_comes_back_with_undo_in_place(
        tmp_path: Path) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    for n, source in enumerate(["a", "b", "a", "c", "a"]):
        log.submit(_item(n, source))
    phone = log.discard_all("a")
    assert len(phone.ids) == 3 and [i.source for i in log.waiting] == ["b", "c"]
    everything = log.discard_all()
    assert log.waiting == []
    assert log.restore(everything) == 2
    assert log.restore(phone) == 3
    # Where they came, and so for another process reading the journal.
    expected = [f"item{n:08d}" for n in range(5)]
    assert [i.id for i in log.waiting] == expected
    assert [i.id for i in ShareLog(Journal(tmp_path / "j.jsonl")).waiting] == expected


def test_a_restore_never_brings_back_what_was_revealed_meanwhile(tmp_path: Path) -> None:
    log = ShareLog(Journal(tmp_path / "j.jsonl"))
    log.submit(_item(1, "a"))
    discarded = log.discard_all()
    # Another window revealed it (the record a reveal writes), then the undo comes.
    log.journal.append({"type": "resolved", "id": "item00000001", "how": "revealed",
                        "entry": "e1"})
    log.refresh()
    assert log.restore(discarded) == 0 and log.waiting == []
