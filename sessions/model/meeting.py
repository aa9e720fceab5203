"""A meeting and what is captured in it, as plain data that round-trips through JSON.

The live behaviour (moving through phases, the timer, turns) is in
``sessions/meeting/live.py``; this module only holds the records and their
(de)serialisation, which the store writes to disk.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any
from typing import Protocol as Interface

from kring.sessions.model.kinds import Capture
from kring.sessions.model.status import Status
from kring.sessions.model.votes import VoteResult

SCHEMA_VERSION = 1


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"
    CARRIED_ON = "carried-on"  # reviewed and still to do: counts as open


class PseudonymStyle(StrEnum):
    """How protected names show in the minutes, the journal and every export."""

    LETTERS = "letters"  # "Pupil A", "Pupil B", ... in the order the names were listed
    INITIALS = "initials"  # "J." for Jan, "J.J." for Jan Jansen


def new_id() -> str:
    """A short random id; 48 bits is plenty for the meetings of one data folder."""
    return secrets.token_hex(6)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _style(value: Any) -> PseudonymStyle:
    # A style this Kring does not know (a newer one's, or a typo in a hand-edited file) still
    # hides the names: falling back beats refusing the file or, worse, showing real names.
    try:
        return PseudonymStyle(value)
    except ValueError:
        return PseudonymStyle.LETTERS


@dataclass(frozen=True, slots=True)
class StatusChange:
    """An action point's status set in a meeting (usually the review that opens a later one)."""

    status: ActionStatus
    on: date
    meeting_id: str  # the meeting in which it was changed
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status.value, "on": self.on.isoformat(),
                "meeting_id": self.meeting_id, "comment": self.comment}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatusChange:
        return cls(status=ActionStatus(data["status"]), on=date.fromisoformat(data["on"]),
                   meeting_id=str(data["meeting_id"]), comment=str(data.get("comment") or ""))


@dataclass(slots=True)
class Entry:
    """One thing captured: a question, a fact, an action point, ..."""

    id: str
    kind: Capture
    text: str
    step: str  # the Step.key of the phase it belongs to
    created_at: datetime
    author: str | None = None  # the participant it is attributed to (@name)
    owner: str | None = None  # action points: who will do it
    due: date | None = None  # action points: by when
    private: bool = False  # for the facilitator only; never in minutes or exports
    updated_at: datetime | None = None
    status: ActionStatus = ActionStatus.OPEN  # action points: where they stand
    history: list[StatusChange] = field(default_factory=list)  # action points: oldest first
    score: int | None = None  # evaluations: 1 (poor) to 5 (very good)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "text": self.text,
            "step": self.step,
            "created_at": _iso(self.created_at),
            "author": self.author,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "private": self.private,
            "updated_at": _iso(self.updated_at),
            "status": self.status.value,
        }
        # Only when there is one: an entry of scalars alone is copied shallowly on every
        # commit (sessions/storage.py), and almost no entry ever has a history.
        if self.history:
            data["history"] = [change.to_dict() for change in self.history]
        if self.score is not None:
            data["score"] = self.score
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        # Opening a meeting of 20,000 entries makes 20,000 of these: looked up in tables (a
        # value not in them still gets the enum's own ValueError), no calls for what is empty.
        created = _moment(data["created_at"])
        assert created is not None
        kind, status = data["kind"], data.get("status") or ActionStatus.OPEN
        due, updated, history = data.get("due"), data.get("updated_at"), data.get("history")
        return cls(
            id=data["id"],
            kind=_CAPTURES.get(kind) or Capture(kind),
            text=data["text"],
            step=data["step"],
            created_at=created,
            author=data.get("author"),
            owner=data.get("owner"),
            due=date.fromisoformat(due) if due else None,
            private=bool(data.get("private", False)),
            updated_at=_moment(updated) if updated else None,
            status=_ACTION_STATUSES.get(status) or ActionStatus(status),
            history=[StatusChange.from_dict(change) for change in history] if history else [],
            score=score_on_scale(data.get("score")),
        )


def _plan(value: Any) -> dict[str, int]:
    # Only whole seconds, none below nothing: a hand-edited value is no plan rather than a
    # timer that counts from minus ten minutes.
    if not isinstance(value, dict):
        return {}
    return {str(key): seconds for key, seconds in value.items()
            if type(seconds) is int and 0 <= seconds <= 24 * 3600}


MIN_SCORE, MAX_SCORE = 1, 5


def score_on_scale(value: Any) -> int | None:
    """``value`` when it is a whole score on the scale, else None."""
    # A score outside 1-5 (a hand-edited file, a newer Kring's scale) is no score rather than
    # a refused file: the evaluation's line is kept, and no average is bent by it.
    if isinstance(value, int) and not isinstance(value, bool) and MIN_SCORE <= value <= MAX_SCORE:
        return value
    return None


_CAPTURES: dict[str, Capture] = {kind.value: kind for kind in Capture}
_ACTION_STATUSES: dict[str, ActionStatus] = {status.value: status for status in ActionStatus}


@dataclass(slots=True)
class Pause:
    started_at: datetime
    ended_at: datetime | None = None


@dataclass(slots=True)
class PhaseRun:
    """When a step actually ran. Time is kept as timestamps, never as counted ticks, so it
    survives a suspended laptop and a crash."""

    step: str
    started_at: datetime
    ended_at: datetime | None = None
    pauses: list[Pause] = field(default_factory=list)
    extra_seconds: int = 0  # minutes added (or removed, negative) by the facilitator
    skipped: bool = False
    turn: int = 0  # rounds in turns: how many turns have been taken
    passed: list[str] = field(default_factory=list)  # who said "pass" in this run

    def elapsed(self, now: datetime) -> int:
        """Seconds this run has been going (up to ``now`` while it goes), pauses left out."""
        end = self.ended_at or now
        paused = sum(((p.ended_at or end) - p.started_at for p in self.pauses), timedelta())
        return max(0, round((end - self.started_at - paused).total_seconds()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "started_at": _iso(self.started_at),
            "ended_at": _iso(self.ended_at),
            "pauses": [[_iso(p.started_at), _iso(p.ended_at)] for p in self.pauses],
            "extra_seconds": self.extra_seconds,
            "skipped": self.skipped,
            "turn": self.turn,
            "passed": list(self.passed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PhaseRun:
        started = _moment(data["started_at"])
        assert started is not None
        pauses = []
        for begin, end in data.get("pauses", []):
            pause_start = _moment(begin)
            assert pause_start is not None
            pauses.append(Pause(pause_start, _moment(end)))
        return cls(
            step=data["step"],
            started_at=started,
            ended_at=_moment(data.get("ended_at")),
            pauses=pauses,
            extra_seconds=int(data.get("extra_seconds", 0)),
            skipped=bool(data.get("skipped", False)),
            turn=int(data.get("turn", 0)),
            passed=list(data.get("passed", [])),
        )


def settled(runs: list[PhaseRun]) -> list[PhaseRun]:
    """``runs`` with every run that a later one followed ended when that one started. Only a
    merge leaves one open: two laptops that each moved on without seeing the other's move
    both opened a run, and the one that came first would otherwise count up for ever."""
    for run, after in pairwise(runs):
        if run.ended_at is None:
            run.ended_at = max(after.started_at, run.started_at)
    return runs


@dataclass(slots=True)
class Case:
    title: str = ""
    summary: str = ""
    focus_question: str = ""


@dataclass(slots=True)
class ReviewNote:
    """How an earlier meeting's action point was reviewed in this one. Its text, owner and
    dates are copied, so the minutes of this meeting stay whole after that meeting is purged."""

    entry_id: str
    meeting_id: str  # the meeting the action point was raised in
    meeting_date: date
    text: str
    owner: str | None
    due: date | None
    status: ActionStatus  # as set in this review
    on: date
    comment: str = ""
    private: bool = False  # copied from the action point: then never in minutes or exports

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "meeting_id": self.meeting_id,
            "meeting_date": self.meeting_date.isoformat(),
            "text": self.text,
            "owner": self.owner,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status.value,
            "on": self.on.isoformat(),
            "comment": self.comment,
            "private": self.private,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewNote:
        return cls(
            entry_id=str(data["entry_id"]),
            meeting_id=str(data["meeting_id"]),
            meeting_date=date.fromisoformat(data["meeting_date"]),
            text=str(data.get("text") or ""),
            owner=data.get("owner"),
            due=_day(data.get("due")),
            status=ActionStatus(data["status"]),
            on=date.fromisoformat(data["on"]),
            comment=str(data.get("comment") or ""),
            private=bool(data.get("private", False)),
        )


@dataclass(slots=True)
class Meeting:
    id: str
    community: str
    date: date
    protocol: dict[str, Any]  # a snapshot of the protocol's template data, so edits to the
    # template later never change a meeting that used it
    created_at: datetime
    language: str = "en"
    goal: str = ""
    participants: list[str] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # role value -> participant
    case: Case = field(default_factory=Case)
    status: Status = Status.IN_PROGRESS
    current_step: int = 0
    runs: list[PhaseRun] = field(default_factory=list)
    ended_at: datetime | None = None
    # Names of pupils, parents, ... that every export shows as pseudonyms (sessions/privacy.py).
    # Their order fixes the pseudonyms: the first is "Pupil A" for good.
    protected_names: list[str] = field(default_factory=list)
    pseudonym_style: PseudonymStyle = PseudonymStyle.LETTERS
    reviews: list[ReviewNote] = field(default_factory=list)  # earlier action points reviewed
    # When an ended meeting was re-opened for changes, oldest first: the minutes say the
    # record was amended after the meeting, and when. Empty for a meeting never amended.
    amended_at: list[datetime] = field(default_factory=list)
    votes: list[VoteResult] = field(default_factory=list)  # dot-votes held, oldest first
    # Phases planned anew during the meeting (the coach's "take the time back"): step key ->
    # planned seconds, in place of the protocol's. Set, never added to: a retry sets it again.
    plan: dict[str, int] = field(default_factory=dict)
    coach_off: bool = False  # the facilitator switched the coach off for this meeting

    def planned(self, step_key: str, protocol_seconds: int) -> int:
        """A step's planned seconds: as planned anew during the meeting, else the protocol's."""
        return self.plan.get(step_key, protocol_seconds)

    def summary_dict(self) -> dict[str, Any]:
        """What lists of meetings show: small, so an index of them stays cheap."""
        return {
            "id": self.id,
            "community": self.community,
            "date": self.date.isoformat(),
            "case": self.case.title,
            "protocol": self.protocol.get("id", ""),
            "language": self.language,
            "status": self.status.value,
            "created_at": _iso(self.created_at),
        }

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "community": self.community,
            "date": self.date.isoformat(),
            "protocol": self.protocol,
            "created_at": _iso(self.created_at),
            "language": self.language,
            "goal": self.goal,
            "participants": list(self.participants),
            "roles": dict(self.roles),
            "case": {
                "title": self.case.title,
                "summary": self.case.summary,
                "focus_question": self.case.focus_question,
            },
            "status": self.status.value,
            "current_step": self.current_step,
            "runs": [run.to_dict() for run in self.runs],
            "ended_at": _iso(self.ended_at),
            "protected_names": list(self.protected_names),
            "pseudonym_style": self.pseudonym_style.value,
            "reviews": [note.to_dict() for note in self.reviews],
            "amended_at": [_iso(moment) for moment in self.amended_at],
        }
        # Only when there are some: a meeting without votes writes the file it always did.
        if self.votes:
            data["votes"] = [vote.to_dict() for vote in self.votes]
        if self.plan:
            data["plan"] = dict(self.plan)
        if self.coach_off:
            data["coach_off"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Meeting:
        created = _moment(data["created_at"])
        assert created is not None
        case = data.get("case") or {}
        return cls(
            id=data["id"],
            community=data["community"],
            date=date.fromisoformat(data["date"]),
            protocol=data["protocol"],
            created_at=created,
            language=data.get("language", "en"),
            goal=data.get("goal", ""),
            participants=list(data.get("participants", [])),
            roles=dict(data.get("roles", {})),
            case=Case(
                title=case.get("title", ""),
                summary=case.get("summary", ""),
                focus_question=case.get("focus_question", ""),
            ),
            status=Status(data.get("status", Status.IN_PROGRESS)),
            current_step=int(data.get("current_step", 0)),
            runs=settled([PhaseRun.from_dict(run) for run in data.get("runs", [])]),
            ended_at=_moment(data.get("ended_at")),
            protected_names=[str(name) for name in data.get("protected_names") or []],
            pseudonym_style=_style(data.get("pseudonym_style")),
            reviews=[ReviewNote.from_dict(note) for note in data.get("reviews") or []],
            # Files from before amendments existed have no such key: never amended.
            amended_at=[moment for text in data.get("amended_at") or []
                        if (moment := _moment(text)) is not None],
            votes=[VoteResult.from_dict(vote) for vote in data.get("votes") or []],
            plan=_plan(data.get("plan")),
            coach_off=data.get("coach_off") is True,
        )


class MeetingWithEntries(Interface):
    """A meeting with its entries, as attributes: what ``Store.load`` gives
    (``MeetingRecord``), what a live meeting holds (``LiveMeeting``), what the minutes are
    written from (``sessions/documents/writing.py``)."""

    @property
    def meeting(self) -> Meeting: ...

    @property
    def entries(self) -> Sequence[Entry]: ...
