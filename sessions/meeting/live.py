"""A meeting being held: moving through the phases, the timer, turns and captured entries.

``LiveMeeting`` is what the meeting screen drives, and what tests drive without a screen. Every
change is committed to the store before the method returns, so what the UI then shows is on
disk. When the disk refuses (full, read-only), the change is applied in memory, queued, and
retried on the next change or ``retry_saves()``; ``unsaved`` tells the UI how many wait
(``sessions/meeting/saving.py``).

An ended meeting is read-only: ``add_line`` refuses it, and the screen offers no edits, until
``amend`` re-opens it (noted in ``Meeting.amended_at``, so the minutes say so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from kring.sessions.i18n import active_language, translator
from kring.sessions.meeting.capture import parse_capture
from kring.sessions.meeting.changes import (
    AddTime,
    AmendMeeting,
    EndMeeting,
    GoToPhase,
    NextTurn,
    PausePhase,
    ProtectNames,
    Replan,
    ResumePhase,
    SetCoach,
    SetDetails,
    StartPhase,
)
from kring.sessions.meeting.lines import CaptureResult, attribute, floor_holder
from kring.sessions.meeting.recorder import Recorder
from kring.sessions.meeting.saving import SavedMeeting
from kring.sessions.meeting.timing import TimerState, meeting_time, step_elapsed, timer_state
from kring.sessions.meeting.turns import Turn, speaking_order
from kring.sessions.model.clock import Clock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry, Meeting, PhaseRun, new_id
from kring.sessions.model.protocol import InputMode, Protocol, Role, Step
from kring.sessions.model.status import Status
from kring.sessions.plain import plain
from kring.sessions.protocols.snapshot import meeting_steps, snapshot_protocol
from kring.sessions.store.changes import AddEntry, DeleteEntry, EditEntry


class LiveMeeting(SavedMeeting):
    def __init__(self, meeting: Meeting, entries: Sequence[Entry], recorder: Recorder,
                 clock: Clock, protocol: Protocol | None = None) -> None:
        super().__init__(meeting, entries, recorder, clock)
        self.protocol = protocol or snapshot_protocol(meeting)
        self.steps: tuple[Step, ...] = meeting_steps(meeting, self.protocol)
        self.amending = False  # an ended meeting re-opened for changes (``amend``)

    # -- where we are ------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.steps[min(self.meeting.current_step, len(self.steps) - 1)]

    @property
    def step_index(self) -> int:
        return min(self.meeting.current_step, len(self.steps) - 1)

    @property
    def is_last_step(self) -> bool:
        return self.step_index >= len(self.steps) - 1

    @property
    def ended(self) -> bool:
        return self.meeting.status is Status.ENDED

    @property
    def run(self) -> PhaseRun | None:
        """The run of the current step that is still open, if any."""
        runs = self.meeting.runs
        if runs and runs[-1].step == self.step.key and runs[-1].ended_at is None:
            return runs[-1]
        return None

    def done_steps(self) -> set[str]:
        return {run.step for run in self.meeting.runs if run.ended_at is not None}

    def skipped_steps(self) -> set[str]:
        return {run.step for run in self.meeting.runs if run.skipped}

    def person(self, role: Role) -> str | None:
        return self.meeting.roles.get(role.value) or None

    def case_bringer(self, step: Step | None = None) -> str | None:
        """Whoever brings the case in this step: the round's client inside a repeated block."""
        step = step or self.step
        return step.client or self.person(Role.CASE_BRINGER)

    # -- the timer ---------------------------------------------------------------------------

    def timer(self, step: Step | None = None) -> TimerState:
        return timer_state(self.meeting, step or self.step, self.clock.now())

    def meeting_time(self) -> tuple[int, int]:
        """(elapsed, planned) seconds for the whole meeting."""
        return meeting_time(self.meeting, self.steps, self.clock.now())

    def actual_seconds(self, step: Step) -> int:
        return step_elapsed(self.meeting, step, self.clock.now())

    # -- turns -------------------------------------------------------------------------------

    def speaking_order(self, step: Step | None = None) -> tuple[str, ...]:
        """Who takes turns in this step: the rule's speakers, without those it keeps silent."""
        step = step or self.step
        return speaking_order(self.meeting, step, self.case_bringer(step))

    def turn(self) -> Turn | None:
        """The turn state in a phase held in rounds; None for other phases."""
        if self.step.phase.input is not InputMode.ROUND:
            return None
        run = self.run
        return Turn(self.speaking_order(), run.turn if run else 0,
                    tuple(run.passed) if run else ())

    def next_turn(self, passes: bool = False) -> Turn | None:
        """Give the floor to the next speaker; ``passes`` records that the current one passed."""
        turn = self.turn()
        if turn is None or not turn.order or self.run is None:
            return turn
        self._change(NextTurn(self.step.key, turn.order, passes))
        return self.turn()

    def speaker(self) -> str | None:
        """Who has the floor now, if one person does: the speaker whose turn it is in a round,
        or the case-bringer where only they speak. A line typed without @name is theirs."""
        return floor_holder(self.step, self.turn(), self.case_bringer())

    # -- moving through the phases -----------------------------------------------------------

    def start(self) -> None:
        """Start (or, after a resume, keep) the timer of the current step."""
        if self.ended or self.run is not None:
            return
        self._change(StartPhase(self.step.key, self.clock.now()))

    def go_to(self, index: int, skip_current: bool = False) -> None:
        index = max(0, min(index, len(self.steps) - 1))
        if index == self.step_index or self.ended:
            return
        self._change(GoToPhase(self.step.key, index, self.steps[index].key, self.clock.now(),
                               skip=skip_current))

    def next_phase(self) -> None:
        self.go_to(self.step_index + 1)

    def previous_phase(self) -> None:
        self.go_to(self.step_index - 1)

    def skip_phase(self) -> None:
        """Move on, recording that this phase was skipped (in the minutes)."""
        self.go_to(self.step_index + 1, skip_current=True)

    def pause(self) -> None:
        run = self.run
        if run is None or (run.pauses and run.pauses[-1].ended_at is None):
            return
        self._change(PausePhase(self.step.key, self.clock.now()))

    def resume(self) -> None:
        self._change(ResumePhase(self.step.key, self.clock.now()))

    def toggle_pause(self) -> None:
        if self.timer().paused:
            self.resume()
        else:
            self.pause()

    def add_minutes(self, minutes: int) -> None:
        """Add (or, negative, take away) time from the current phase."""
        if self.run is None:
            self.start()
        # Never plan less than nothing.
        planned = self.meeting.planned(self.step.key, self.step.phase.seconds)
        self._change(AddTime(self.step.key, minutes, floor=-planned))

    def replan(self, plan: dict[str, int]) -> None:
        """Plan steps anew (step key -> planned seconds), as ``sessions/coach/replan.py``
        proposes."""
        if plan:
            self._change(Replan(tuple(sorted(plan.items()))))

    def set_coach(self, on: bool) -> None:
        """The facilitator's coach on or off for this meeting (kept with it: every window
        and every later session of it, on this laptop or the note-taker's)."""
        if self.meeting.coach_off == on:
            self._change(SetCoach(off=not on))

    def end(self) -> None:
        if self.ended:
            return
        self._change(EndMeeting(self.step.key, self.clock.now()))

    @property
    def editable(self) -> bool:
        """Entries and details may change: the meeting is in progress, or being amended."""
        return not self.ended or self.amending

    def amend(self) -> None:
        """Re-open an ended meeting for changes. Noted in the meeting at once (so the minutes
        say it was amended, even if this window never finishes); the meeting stays ended."""
        if not self.ended or self.amending:
            return
        self._change(AmendMeeting(self.clock.now()))
        self.amending = True

    def finish_amendment(self) -> None:
        """Back to read-only; whoever amended writes the minutes again."""
        self.amending = False

    def update_details(self, **changes: str) -> None:
        """Change the case's title, summary or focus question, or the meeting's goal."""
        self._change(SetDetails(tuple(changes.items())))

    def protect_names(self, names: list[str]) -> None:
        """The names to hide in minutes and exports (pupils, parents); applies to every entry,
        also those typed before a name was added."""
        self._change(ProtectNames(tuple(names)))

    # -- entries -----------------------------------------------------------------------------

    def entries_of(self, step: Step | None = None) -> list[Entry]:
        key = (step or self.step).key
        return [e for e in self.entries if e.step == key]

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == entry_id), None)

    def add_line(self, line: str, *, language: str | None = None) -> CaptureResult:
        """Capture one typed line as the note-taker types it (``sessions/meeting/lines.py``
        has the rule): read with the phase's kind, the roster and today's date, attributed to
        whoever has the floor when it names no author, then added. ``language`` is that of the
        problems (None: the interface's). Never raises for what was typed."""
        _ = translator(language or active_language()).gettext
        if not self.editable:
            return CaptureResult(None, [_("This meeting has ended: nothing can be added "
                                          "unless it is amended.")])
        # Typed, pasted, or from the note-taker's browser: made plain before anything reads
        # it (sessions/plain.py), so no escape code is ever stored or shown.
        parsed = parse_capture(plain(line), default=self.step.phase.default_capture,
                               roster=self.meeting.participants,
                               today=self.clock.now().astimezone().date(), language=language)
        if not parsed.text and parsed.score is None:  # a score alone is an evaluation
            return CaptureResult(None, [_("Nothing to save: type some text after the prefix."),
                                        *parsed.problems])
        entry = self.add_entry(parsed.text, parsed.kind,
                               author=attribute(parsed, self.speaker()), owner=parsed.owner,
                               due=parsed.due, private=parsed.private, score=parsed.score)
        return CaptureResult(entry, list(parsed.problems))

    def add_entry(self, text: str, kind: Capture | None = None, *, author: str | None = None,
                  owner: str | None = None, due: date | None = None,
                  private: bool = False, score: int | None = None) -> Entry:
        entry = Entry(id=new_id(), kind=kind or self.step.phase.default_capture,
                      text=plain(text), step=self.step.key, created_at=self.clock.now(),
                      author=author,
                      owner=owner, due=due, private=private, score=score)
        self._save(AddEntry(entry))
        self.entries.append(entry)
        self._entries_changed()
        return entry

    def edit_entry(self, entry_id: str, **changes: object) -> Entry | None:
        current = self.entry(entry_id)
        if current is None:
            return None
        # Only the fields changed here go to the store, onto the entry as it is on disk then:
        # another window may have changed another field since this one last synced.
        fields = {**changes, "updated_at": self.clock.now()}
        if isinstance(fields.get("text"), str):
            fields["text"] = plain(str(fields["text"]))
        local = replace(current, **fields)  # type: ignore[arg-type]
        # Deleted in another window meanwhile: the edit brings it back (``local``, whole).
        stored = self._save(EditEntry(entry_id, fields, restore=local))
        changed = stored if isinstance(stored, Entry) else local
        self.entries[self.entries.index(current)] = changed
        self._entries_changed()
        return changed

    def move_entry(self, entry_id: str, step: Step) -> Entry | None:
        return self.edit_entry(entry_id, step=step.key)

    def delete_entry(self, entry_id: str) -> Entry | None:
        """Delete, returning the entry so that ``restore_entry`` can undo it."""
        current = self.entry(entry_id)
        if current is None:
            return None
        self._save(DeleteEntry(entry_id))
        self.entries.remove(current)
        self._entries_changed((current,))
        return current

    def restore_entry(self, entry: Entry) -> None:
        self._save(AddEntry(entry))
        self.entries.append(entry)
        self.entries.sort(key=lambda e: e.created_at)
        self._entries_changed()

    def _reloaded(self) -> None:
        self.steps = meeting_steps(self.meeting, self.protocol)
