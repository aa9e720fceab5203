"""The meeting screen: the protocol, live. What the room sees projected and where the
note-taker captures, without ever leaving it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Markdown, Static

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _
from kring.sessions.meeting.capture import parse_capture
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import split_names
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import Capture, PhaseKind
from kring.tui.keys import TranslatedBindings
from kring.tui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    EndMeetingDialog,
    TextDialog,
)
from kring.tui.widgets.banner import SpeakingBanner
from kring.tui.widgets.capture import CaptureLine, MentionSuggester
from kring.tui.widgets.entries import EntryList
from kring.tui.widgets.stepper import PhaseStepper
from kring.tui.widgets.timer import PhaseTimer
from kring.tui.widgets.turns import TurnBar

if TYPE_CHECKING:
    from kring.sessions.store.drafts import DraftSlot
    from kring.tui.app import KringApp

DRAFT_DELAY = 0.5  # seconds after the last keystroke; the promise is "at most one second behind"
TICK = 0.25
SYNC = 1.0  # another window's changes show within a second; refused saves retry as often


def rescue_folder() -> Path:
    """Where unsaved changes go when the data folder refuses them: the home folder is the
    one place a user always finds again."""
    return Path.home()


class MeetingScreen(TranslatedBindings, Screen[None]):
    CSS_PATH = "meeting.tcss"
    AUTO_FOCUS = "CaptureLine"

    # The footer shows what the facilitator needs every minute; the rest is in F1 and ctrl+p.
    BINDINGS = [
        Binding("ctrl+n", "next_phase", N_("Next phase")),
        Binding("ctrl+b", "previous_phase", N_("Previous phase"), show=False),
        Binding("ctrl+t", "next_turn", N_("Next speaker")),
        Binding("ctrl+o", "pass_turn", N_("Speaker passes"), show=False),
        Binding("ctrl+r", "toggle_pause", N_("Pause/resume")),
        Binding("ctrl+g", "add_minute", N_("+1 min"), show=False),
        Binding("ctrl+y", "remove_minute", N_("−1 min"), show=False),
        Binding("f5", "toggle_projector", N_("Projector")),
        Binding("f2", "prompt_cards", N_("Prompt cards"), show=False),
        Binding("f3", "case_details", N_("Case details"), show=False),
        Binding("f4", "minutes", N_("Minutes so far"), show=False),
        Binding("f6", "skip_phase", N_("Skip phase"), show=False),
        Binding("f7", "review", N_("Review action points"), show=False),
        Binding("f8", "protected_names", N_("Names to protect"), show=False),
        Binding("ctrl+z", "undo_delete", N_("Undo delete"), show=False),
        Binding("f10", "end_meeting", N_("End meeting")),
        Binding("escape", "leave", N_("Leave (meeting stays in progress)"), show=False),
    ]

    app: KringApp

    def __init__(self, live: LiveMeeting, draft: DraftSlot) -> None:
        super().__init__()
        self.live = live
        self.draft = draft  # this window's own draft: another window's typing never lands here
        self._draft_timer: Timer | None = None
        self._draft_error: str | None = None
        self._deleted: list[Entry] = []
        self._warned_step: str | None = None

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with VerticalScroll(id="stepper-pane"):
                yield PhaseStepper(id="stepper")
            with Vertical(id="main"):
                with Horizontal(id="phase-head"):
                    with Vertical(id="phase-titles"):
                        yield Label("", id="phase-number")
                        yield Static("", id="phase-title", markup=False)
                        yield SpeakingBanner("", id="banner")
                    yield PhaseTimer(id="timer")
                yield TurnBar("", id="turns")
                yield Markdown("", id="instructions")
                yield EntryList(id="entries")
        yield Label("", id="capture-hint")
        yield CaptureLine(placeholder="", id="capture",
                          suggester=MentionSuggester(self.live.meeting.participants))
        yield Footer()

    def on_resize(self) -> None:
        # Below 70 columns the stepper would squeeze the phase itself: the phase wins.
        self.set_class(self.size.width < 70, "-narrow")

    def on_mount(self) -> None:
        self.live.start()
        self.refresh_phase()
        self._open_review_phase()
        if self.draft.recovered:
            self.query_one(CaptureLine).value = self.draft.recovered
            self.notify(_("The text you were typing before has been restored."))
        self.set_interval(TICK, self.tick)
        self.set_interval(SYNC, self.sync)
        self._report_unsaved()

    def on_unmount(self) -> None:
        self.draft.close()

    # -- showing the state -------------------------------------------------------------------

    def refresh_phase(self) -> None:
        """Everything that changes when the phase does; entries are replaced, not appended."""
        live = self.live
        step, phase = live.step, live.step.phase
        self.query_one("#phase-number", Label).update(
            _("Phase {n} of {total}").format(n=live.step_index + 1, total=len(live.steps))
            + (_(" · round {r} of {rounds}, client: {client}").format(
                r=step.round, rounds=step.rounds, client=step.client)
               if step.client else ""))
        self.query_one("#phase-title", Static).update(phase.title)
        self.query_one(SpeakingBanner).show(live)
        self.query_one(PhaseStepper).show(live)
        self.query_one("#instructions", Markdown).update(phase.instructions)
        self.query_one(EntryList).show_entries(live.entries_of())
        self.refresh_turn()
        self.refresh_hint()
        self.refresh_bindings()
        self.tick()

    def refresh_turn(self) -> None:
        self.query_one(TurnBar).show(self.live.turn())

    def refresh_hint(self) -> None:
        kind = capture_label(self.live.step.phase.default_capture)
        self.query_one(CaptureLine).placeholder = _(
            "Type a {kind} and press Enter · q: a: d: n: … for other kinds · @name · F1 help"
        ).format(kind=kind)

    def tick(self) -> None:
        live = self.live
        state = live.timer()
        elapsed, planned = live.meeting_time()
        self.query_one(PhaseTimer).show(state, elapsed, planned)
        if state.warning and self._warned_step != live.step.key and not state.paused:
            self._warned_step = live.step.key
            if self.app.bell_enabled:
                self.app.bell()

    def sync(self) -> None:
        had_unsaved = self.live.unsaved
        if self.live.sync():
            self.refresh_phase()
        if self._draft_error is not None:
            self._save_draft()
        if had_unsaved:
            self._report_unsaved()
            if not self.live.unsaved:
                self.notify(_("Saved again: nothing was lost."))

    def _report_unsaved(self) -> None:
        hint = self.query_one("#capture-hint", Label)
        if self.live.unsaved:
            hint.update(_("⚠ Not saved yet ({count} changes kept in memory): {why}. "
                          "Retrying…").format(count=self.live.unsaved, why=self.live.last_error))
            hint.add_class("-error")
        elif self._draft_error is not None:
            hint.update(_("⚠ The text being typed is not saved yet: {why}. Retrying…").format(
                why=self._draft_error))
            hint.add_class("-error")
        else:
            hint.update("")
            hint.remove_class("-error")

    # -- capture -----------------------------------------------------------------------------

    @on(CaptureLine.Committed, "#capture")
    def commit_capture(self, event: CaptureLine.Committed) -> None:
        # The capture line has already moved on (keys typed after Enter may be in it): the
        # line to commit is the event's, and the capture line is never cleared from here.
        line = event.text.strip()
        parsed = parse_capture(line, default=self.live.step.phase.default_capture,
                               roster=self.live.meeting.participants,
                               today=self._today())
        if not parsed.text:
            event.input.give_back(event.text)
            self.notify(_("Nothing to save: type some text after the prefix."), severity="warning")
            return
        entry = self.live.add_entry(parsed.text, parsed.kind, author=parsed.author,
                                    owner=parsed.owner, due=parsed.due, private=parsed.private)
        self.query_one(EntryList).add_entry(entry)
        self._save_draft()  # the committed line leaves the draft; what follows it stays
        self._report_unsaved()
        for problem in parsed.problems:
            self.notify(problem, severity="warning")

    @on(Input.Changed, "#capture")
    def schedule_draft(self, event: Input.Changed) -> None:
        # At most DRAFT_DELAY after the first unsaved key, however long the typing goes on:
        # a timer restarted on every key would never fire for a fast typist.
        if self._draft_timer is None:
            self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def _save_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        text = self.query_one(CaptureLine).value
        try:
            self.draft.save(text)
        except StoreError as error:
            # The text is still in the capture line; the next key or sync tries again.
            self._draft_error = error.message
        else:
            self._draft_error = None
        self._report_unsaved()

    # -- entries -----------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        # Up from the capture line goes to the entries, as in a chat: to edit what was typed.
        if event.key == "up" and isinstance(self.focused, CaptureLine):
            entries = self.query_one(EntryList)
            if entries.option_count:
                entries.focus()
                entries.highlighted = entries.option_count - 1
                event.stop()

    @on(EntryList.TypingRequested)
    def back_to_typing(self) -> None:
        self.query_one(CaptureLine).focus()

    @on(EntryList.EditRequested)
    def edit_entry(self, event: EntryList.EditRequested) -> None:
        entry = event.entry

        def done(text: str | None) -> None:
            if text is None or text.strip() == entry.text:
                return
            if not text.strip():
                self.notify(_("An entry cannot be empty; delete it instead."), severity="warning")
                return
            changed = self.live.edit_entry(entry.id, text=text.strip())
            self._after_entry_change(changed)

        self.app.push_screen(TextDialog(_("Edit {kind}").format(kind=capture_label(entry.kind)),
                                        entry.text), done)

    @on(EntryList.KindChangeRequested)
    def change_kind(self, event: EntryList.KindChangeRequested) -> None:
        entry = event.entry
        kinds = list(Capture)

        def done(index: int | None) -> None:
            if index is not None:
                self._after_entry_change(self.live.edit_entry(entry.id, kind=kinds[index]))

        self.app.push_screen(ChoiceDialog(_("What kind of entry is this?"),
                                          [capture_label(k) for k in kinds],
                                          kinds.index(entry.kind)), done)

    @on(EntryList.MoveRequested)
    def move_entry(self, event: EntryList.MoveRequested) -> None:
        entry = event.entry
        steps = self.live.steps

        def done(index: int | None) -> None:
            if index is None or steps[index].key == entry.step:
                return
            self.live.move_entry(entry.id, steps[index])
            self.query_one(EntryList).show_entries(self.live.entries_of())
            self.notify(_("Moved to “{phase}”.").format(phase=steps[index].phase.title))
            self._report_unsaved()

        titles = [f"{i + 1}. {s.phase.title}" + (f" ({s.client})" if s.client else "")
                  for i, s in enumerate(steps)]
        self.app.push_screen(ChoiceDialog(_("Move to which phase?"), titles,
                                          self.live.step_index), done)

    @on(EntryList.DeleteRequested)
    def delete_entry(self, event: EntryList.DeleteRequested) -> None:
        deleted = self.live.delete_entry(event.entry.id)
        if deleted is not None:
            self._deleted.append(deleted)
            self.query_one(EntryList).show_entries(self.live.entries_of())
            self.notify(_("Deleted. Press ctrl+z to undo."))
            self._report_unsaved()

    def action_undo_delete(self) -> None:
        if not self._deleted:
            self.notify(_("Nothing to undo."))
            return
        entry = self._deleted.pop()
        self.live.restore_entry(entry)
        self.query_one(EntryList).show_entries(self.live.entries_of())
        self.notify(_("Restored."))
        self._report_unsaved()

    def _after_entry_change(self, changed: Entry | None) -> None:
        if changed is not None:
            self.query_one(EntryList).show_entries(self.live.entries_of(), highlight=changed.id)
        self._report_unsaved()

    # -- the facilitator's keys --------------------------------------------------------------

    def action_next_phase(self) -> None:
        if self.live.is_last_step:
            self.notify(_("This is the last phase. F10 ends the meeting."))
            return
        self.live.next_phase()
        self.refresh_phase()
        self._report_unsaved()
        self._open_review_phase()

    def action_previous_phase(self) -> None:
        if self.live.step_index == 0:
            return
        self.live.previous_phase()
        self.refresh_phase()
        self._report_unsaved()

    def action_skip_phase(self) -> None:
        if self.live.is_last_step:
            return
        self.live.skip_phase()
        self.refresh_phase()

    def action_next_turn(self) -> None:
        if self.live.turn() is None:
            self.notify(_("This phase is not held in turns."))
            return
        self.live.next_turn()
        self.refresh_turn()

    def action_pass_turn(self) -> None:
        if self.live.turn() is None:
            self.notify(_("This phase is not held in turns."))
            return
        self.live.next_turn(passes=True)
        self.refresh_turn()

    def action_toggle_pause(self) -> None:
        self.live.toggle_pause()
        self.tick()

    def action_add_minute(self) -> None:
        self.live.add_minutes(1)
        self.tick()

    def action_remove_minute(self) -> None:
        self.live.add_minutes(-1)
        self.tick()

    def action_protected_names(self) -> None:
        def done(text: str | None) -> None:
            if text is None:
                return
            self.live.protect_names(split_names(text.replace("\n", ",")))
            self.notify(_("The minutes will show pseudonyms for: {names}").format(
                names=", ".join(self.live.meeting.protected_names) or "—"))

        self.app.push_screen(TextDialog(
            _("Names to protect (pupils, parents), separated by commas"),
            ", ".join(self.live.meeting.protected_names)), done)

    def action_review(self) -> None:
        from kring.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.live))

    def _open_review_phase(self) -> None:
        # A protocol's review phase is the review: it opens by itself when there is something
        # to review, and otherwise says there is not.
        if self.live.step.phase.kind is not PhaseKind.ACTION_REVIEW or self.live.ended:
            return
        from kring.sessions.care.followup import open_actions_for_review

        meeting = self.live.meeting
        if open_actions_for_review(self.app.store, meeting.community, meeting):
            self.call_after_refresh(self.action_review)
        else:
            self.notify(_("No open action points from earlier meetings of {community}.")
                        .format(community=meeting.community))

    def action_minutes(self) -> None:
        from kring.tui.screens.minutes import MinutesScreen

        self.app.push_screen(MinutesScreen(self.live))

    def action_toggle_projector(self) -> None:
        self.toggle_class("-projector")
        if not self.has_class("-projector"):
            self.query_one(CaptureLine).focus()

    def action_prompt_cards(self) -> None:
        prompts = self.live.step.phase.prompts
        if not prompts:
            self.notify(_("This phase has no prompt cards."))
            return
        text = "\n".join(f"- {p}" for p in prompts)
        self.app.push_screen(TextDialog(_("Prompt cards"), text, read_only=True))

    def action_case_details(self) -> None:
        case = self.live.meeting.case
        fields = [("title", _("Case title"), case.title),
                  ("summary", _("Case summary"), case.summary),
                  ("focus_question", _("The case-bringer's focus question"),
                   case.focus_question)]

        def ask(index: int) -> None:
            if index >= len(fields):
                return
            key, label, value = fields[index]

            def done(text: str | None) -> None:
                if text is None:
                    return
                if text.strip() != value:
                    self.live.update_details(**{key: text.strip()})
                ask(index + 1)

            self.app.push_screen(TextDialog(label, value), done)

        ask(0)

    def action_leave(self) -> None:
        if self.has_class("-projector"):
            self.action_toggle_projector()
            return
        if not isinstance(self.focused, CaptureLine):
            self.query_one(CaptureLine).focus()
            return
        self.close_safely(lambda: self.dismiss(None))

    def close_safely(self, close: Callable[[], None]) -> None:
        """Run ``close`` (leave or quit) only once nothing typed would be lost: changes the
        disk refused are retried once more, and if they still wait, the facilitator chooses
        between staying and writing them to a file in the home folder first."""
        self._save_draft()
        if not self.live.unsaved or self.live.retry_saves():
            close()
            return
        folder = rescue_folder()

        def chosen(rescue: bool | None) -> None:
            if not rescue:
                return
            try:
                path = self.live.rescue(folder)
            except StoreError as error:
                self.notify(error.message, severity="error", timeout=15)
                return
            self.app.notify(_("The unsaved changes were written to {path}. `kring doctor` "
                              "tells how to bring them back.").format(path=path), timeout=20)
            close()

        self.app.push_screen(ConfirmDialog(
            _("{count} changes are not saved yet: {why}. Closing now would lose them. Write "
              "the whole meeting to a file in {folder} first?").format(
                count=self.live.unsaved, why=self.live.last_error, folder=folder),
            _("Write it there and close")), chosen)

    def action_end_meeting(self) -> None:
        actions = [e for e in self.live.entries if e.kind is Capture.ACTION]

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.live.end()
                self.app.notify(_("The meeting has ended."))
                self.app.write_minutes(self.live)
                self.dismiss(None)

        def reviewed(ok: bool | None) -> None:
            if not ok:
                return
            if self.live.is_last_step:
                confirmed(True)
            else:
                self.app.push_screen(ConfirmDialog(
                    _("End the meeting now, at phase {n} of {total}? The phases still to "
                      "come are left out.").format(n=self.live.step_index + 1,
                                                   total=len(self.live.steps)),
                    _("End meeting")), confirmed)

        self.app.push_screen(EndMeetingDialog(actions, today=self._today()), reviewed)

    def _today(self) -> date:
        return self.live.clock.now().astimezone().date()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"next_turn", "pass_turn"}:
            return self.live.turn() is not None or None
        return True
