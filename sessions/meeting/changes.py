"""The changes a live meeting makes to its meeting's header, as data: a phase started, left or
skipped, a pause, time added, the floor passed on, the meeting ended or amended, its details
and protected names; and a vote's result kept. Each is a ``MeetingChange``
(``sessions/store/changes.py``, with the changes to entries): ``Store.apply`` makes it on the
meeting as stored then, and a window whose disk refuses makes it in memory
(``apply_to``) and queues it (``sessions/meeting/saving.py``).

Every value a change needs is in it (the moment it was made, the step it was made in), so it
makes the same change whenever it is applied: at once, or on a retry minutes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kring.sessions.meeting.runs import advance_turn, end_run, open_run, start_run
from kring.sessions.model.meeting import Meeting, Pause
from kring.sessions.model.status import Status
from kring.sessions.model.votes import VoteResult
from kring.sessions.store.changes import MeetingChange


def _at(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class StartPhase(MeetingChange):
    """Start the timer of ``step`` (nothing if it runs): back in a phase, its round goes on."""

    step: str
    at: datetime

    def make(self, meeting: Meeting) -> None:
        start_run(meeting, self.step, self.at)

    def describe(self) -> str:
        return f"start step {self.step} at {_at(self.at)}"


@dataclass(frozen=True)
class GoToPhase(MeetingChange):
    """Leave step ``leave`` (``skip``: recording it was skipped) for the step at ``index``,
    ``step``, whose timer starts."""

    leave: str
    index: int
    step: str
    at: datetime
    skip: bool = False

    def make(self, meeting: Meeting) -> None:
        end_run(meeting, self.leave, self.at, skipped=self.skip)
        meeting.current_step = self.index
        start_run(meeting, self.step, self.at)

    def describe(self) -> str:
        how = "skip" if self.skip else "leave"
        return f"{how} step {self.leave} for step {self.step} at {_at(self.at)}"


@dataclass(frozen=True)
class PausePhase(MeetingChange):
    step: str
    at: datetime

    def make(self, meeting: Meeting) -> None:
        running = open_run(meeting, self.step)
        if running and not (running.pauses and running.pauses[-1].ended_at is None):
            running.pauses.append(Pause(self.at))

    def describe(self) -> str:
        return f"pause step {self.step} at {_at(self.at)}"


@dataclass(frozen=True)
class ResumePhase(MeetingChange):
    step: str
    at: datetime

    def make(self, meeting: Meeting) -> None:
        running = open_run(meeting, self.step)
        if running and running.pauses and running.pauses[-1].ended_at is None:
            running.pauses[-1].ended_at = self.at

    def describe(self) -> str:
        return f"resume step {self.step} at {_at(self.at)}"


@dataclass(frozen=True)
class AddTime(MeetingChange):
    """Add ``minutes`` (negative: take them away) to the step's running phase, never planning
    it below ``floor`` extra seconds (minus the phase's own time: never less than nothing)."""

    step: str
    minutes: int
    floor: int

    def make(self, meeting: Meeting) -> None:
        run = open_run(meeting, self.step)
        if run is not None:
            run.extra_seconds = max(self.floor, run.extra_seconds + 60 * self.minutes)

    def describe(self) -> str:
        return f"add {self.minutes} min to step {self.step}"


@dataclass(frozen=True)
class NextTurn(MeetingChange):
    """Give the floor to the next in ``order``; ``passes``: the one who had it passed."""

    step: str
    order: tuple[str, ...]
    passes: bool = False

    def make(self, meeting: Meeting) -> None:
        run = open_run(meeting, self.step)
        if run is not None:
            advance_turn(run, self.order, self.passes)

    def describe(self) -> str:
        return f"next turn in step {self.step}" + (" (passed)" if self.passes else "")


@dataclass(frozen=True)
class EndMeeting(MeetingChange):
    step: str  # the step it ends in, whose run ends
    at: datetime

    def make(self, meeting: Meeting) -> None:
        end_run(meeting, self.step, self.at)
        meeting.status = Status.ENDED
        meeting.ended_at = self.at

    def describe(self) -> str:
        return f"end the meeting in step {self.step} at {_at(self.at)}"


@dataclass(frozen=True)
class AmendMeeting(MeetingChange):
    """Note that the ended meeting was re-opened for changes (the minutes say so)."""

    at: datetime

    def make(self, meeting: Meeting) -> None:
        meeting.amended_at.append(self.at)

    def describe(self) -> str:
        return f"amend the meeting at {_at(self.at)}"


DETAILS = ("title", "summary", "focus_question", "goal")  # the case's, and the meeting's goal


@dataclass(frozen=True)
class SetDetails(MeetingChange):
    """Set the case's title, summary or focus question, or the meeting's goal (other names in
    ``values`` are ignored)."""

    values: tuple[tuple[str, str], ...]

    def make(self, meeting: Meeting) -> None:
        for key, value in self.values:
            if key == "goal":
                meeting.goal = value
            elif key in DETAILS:
                setattr(meeting.case, key, value)

    def describe(self) -> str:
        return f"set {', '.join(key for key, _ in self.values) or 'nothing'}"


@dataclass(frozen=True)
class ProtectNames(MeetingChange):
    """The names hidden in minutes and exports (pupils, parents), all of them."""

    names: tuple[str, ...]

    def make(self, meeting: Meeting) -> None:
        meeting.protected_names = list(self.names)

    def describe(self) -> str:
        return f"protect {len(self.names)} names"  # which, never: a queue may be logged


@dataclass(frozen=True)
class Replan(MeetingChange):
    """Plan steps anew: step key -> planned seconds (the coach's "take the time back").
    Each is set, not added to, and only these keys: another laptop's plan of another step
    is kept."""

    plan: tuple[tuple[str, int], ...]

    def make(self, meeting: Meeting) -> None:
        meeting.plan.update(dict(self.plan))

    def describe(self) -> str:
        return f"plan {len(self.plan)} steps anew"


@dataclass(frozen=True)
class SetCoach(MeetingChange):
    """The facilitator's coach on or off for this meeting."""

    off: bool

    def make(self, meeting: Meeting) -> None:
        meeting.coach_off = self.off

    def describe(self) -> str:
        return f"coach {'off' if self.off else 'on'}"


@dataclass(frozen=True)
class AddVoteResult(MeetingChange):
    """Keep a closed vote's counts in the meeting (the minutes show them); once, however often
    it is retried."""

    result: VoteResult

    def make(self, meeting: Meeting) -> None:
        if self.result not in meeting.votes:
            meeting.votes.append(self.result)

    def describe(self) -> str:
        return f"keep the result of the vote in step {self.result.step}"


@dataclass(frozen=True)
class TakeInCopy:
    """Take in the copy of its unsaved changes that a stopped window of this meeting left (a
    rescue file, ``Store.import_rescued``), then delete the entries it lists as deleted, which
    a whole copy alone cannot. Not the store's to apply: the window does, with what it was
    given (``SavedMeeting.keep_unsaved_in``). Safe to repeat."""

    path: Path
    deleted: tuple[str, ...] = ()

    def describe(self) -> str:
        gone = f", then delete {len(self.deleted)} entries" if self.deleted else ""
        return f"take in the copy {self.path.name}{gone}"

    def __str__(self) -> str:
        return self.describe()
