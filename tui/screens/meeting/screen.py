"""The meeting screen: the protocol, live. What the room sees projected and where the
note-taker captures, without ever leaving it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Key
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, Markdown, Static

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.labels import capture_hint
from kring.sessions.model.protocol import PhaseKind
from kring.sessions.plain import plain, plain_line
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.screens.meeting.closing import MeetingClosing
from kring.tui.screens.meeting.details import MeetingDetails
from kring.tui.screens.meeting.entries import EntryEditing
from kring.tui.screens.meeting.facilitating import Facilitating
from kring.tui.screens.meeting.projecting import Projecting
from kring.tui.screens.meeting.sharing import Sharing
from kring.tui.share.queue_panel import QueuePanel
from kring.tui.widgets.banner import SpeakingBanner
from kring.tui.widgets.capture import CaptureLine, MentionSuggester
from kring.tui.widgets.case import CasePanel
from kring.tui.widgets.entries import EntryList
from kring.tui.widgets.projector import ProjectorView
from kring.tui.widgets.stepper import PhaseStepper
from kring.tui.widgets.timer import PhaseTimer
from kring.tui.widgets.turns import TurnBar

if TYPE_CHECKING:
    from kring.sessions.store.drafts import DraftSlot
    from kring.tui.app import KringApp

DRAFT_DELAY = 0.5  # seconds after the last keystroke; the promise is "at most one second behind"
TICK = 0.25
SYNC = 1.0  # another window's changes show within a second; refused saves retry as often


class MeetingScreen(PlainNotify, TranslatedBindings, Facilitating, Projecting, Sharing,
                    EntryEditing, MeetingDetails, MeetingClosing):
    """The phase, its timer and turns, and the capture line. The facilitator's keys, what is
    done to a captured entry, the meeting's details and closing the screen are each in a
    module of their own, mixed in here. Every key stays on offer in every phase: one that
    cannot act there says why (never a silent or hidden key). Names, titles and texts from
    outside (a phone, another laptop, a template) are shown plain, toasts included."""

    CSS_PATH = ["meeting.tcss", "../../share/queue_panel.tcss"]
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
        Binding("f9", "amend", N_("Amend the ended meeting"), show=False),
        Binding("f10", "end_meeting", N_("End meeting")),
        Binding("f12", "share", N_("Share with the room's devices"), show=False),
        Binding("escape", "leave", N_("Leave (meeting stays in progress)"), show=False),
    ]

    app: KringApp

    def __init__(self, live: LiveMeeting, draft: DraftSlot) -> None:
        super().__init__()
        self.live = live
        self.draft = draft  # this window's own draft: another window's typing never lands here
        self._draft_timer: Timer | None = None
        self._draft_error: str | None = None
        self._hint_shown: str | None = None  # what the hint under the capture line says
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
                yield CasePanel(id="case")
                yield Markdown("", id="instructions")
                yield EntryList(language=self.app.language, id="entries")
        yield ProjectorView(id="room")
        yield Label("", id="capture-hint")
        yield CaptureLine(placeholder="", id="capture",
                          suggester=MentionSuggester(
                              [plain_line(name) for name in self.live.meeting.participants]))
        yield QueuePanel(id="share-queue")
        yield Footer()

    def on_resize(self) -> None:
        # Below 70 columns the stepper would squeeze the phase itself: the phase wins.
        self.set_class(self.size.width < 70, "-narrow")

    def on_mount(self) -> None:
        # What the data folder refuses is kept in this window's drafts too (the state folder),
        # and what a window that was stopped meanwhile kept there is taken back in first.
        taken_in = self.live.keep_unsaved_in(self.draft.unsaved,
                                                 self.app.store.import_rescued)
        self.live.start()
        self.refresh_phase()
        self.refresh_queue()  # what the room sent before a crash or a restart waits here
        self._open_review_phase()
        if self.draft.recovered:
            self.query_one(CaptureLine).value = self.draft.recovered
            self.notify(_("The text you were typing before has been restored."))
        if taken_in:
            self.notify(_("The changes that were not saved yet when Kring stopped are back."))
        self.set_interval(TICK, self.tick)
        self.set_interval(SYNC, self.sync)
        self._report_unsaved()
        if self.live.ended:
            self.set_class(True, "-ended")
            self.notify(_("This meeting has ended and is shown read-only. F9 amends it."))

    def on_unmount(self) -> None:
        self.draft.close()
        self.stop_sharing_soon()

    # -- showing the state -------------------------------------------------------------------

    def refresh_phase(self) -> None:
        """Everything that changes when the phase does; entries are replaced, not appended."""
        live = self.live
        step, phase = live.step, live.step.phase
        self.query_one("#phase-number", Label).update(plain_text(
            _("Phase {n} of {total}").format(n=live.step_index + 1, total=len(live.steps))
            + (_(" · round {r} of {rounds}, client: {client}").format(
                r=step.round, rounds=step.rounds, client=step.client)
               if step.client else "")
            + self._state_suffix(), one_line=True))
        self.query_one("#phase-title", Static).update(plain(phase.title))
        self.query_one(SpeakingBanner).show(live)
        self.query_one(PhaseStepper).show(live)
        self.query_one("#instructions", Markdown).update(plain(phase.instructions))
        self.query_one(EntryList).show_entries(live.entries_of())
        self.refresh_turn()
        self.show_case()
        self.refresh_hint()
        self.refresh_bindings()
        self.tick()

    def refresh_turn(self) -> None:
        """Also at every phase change (refresh_phase): the phones hear of both from here."""
        self.query_one(TurnBar).show(self.live.turn())
        self.tell_the_room()

    def refresh_hint(self) -> None:
        capture = self.query_one(CaptureLine)
        if not self.live.editable:
            # Typing still lands in the line (and its draft): nothing typed is lost, and Enter
            # says why it is not added.
            capture.placeholder = _("This meeting has ended and is shown read-only. "
                                    "F9 amends it.")
            return
        hint = capture_hint(self.live.step.phase.default_capture)
        capture.placeholder = _(
            "{hint} and press Enter · q: a: d: n: … for other kinds · @name · F1 help"
        ).format(hint=hint)

    def _state_suffix(self) -> str:
        if self.live.amending:
            return _(" · ended, being amended (F10 when done)")
        if self.live.ended:
            return _(" · ended (read-only; F9 amends)")
        return ""

    def show_state(self) -> None:
        """Whether the meeting can be changed: after it ended, and when an amendment starts
        or finishes."""
        self.set_class(not self.live.editable, "-ended")
        self.refresh_phase()

    def tick(self) -> None:
        live = self.live
        state = live.timer()
        elapsed, planned = live.meeting_time()
        self.query_one(PhaseTimer).show(state, elapsed, planned)
        self.show_room()
        if state.warning and self._warned_step != live.step.key and not state.paused:
            self._warned_step = live.step.key
            if self.app.bell_enabled:
                self.app.bell()

    def sync(self) -> None:
        self.share_tick()  # what the room sent shows within a second, as changes do
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
        live = self.live
        if live.unsaved and live.kept:
            text = _("⚠ Not saved yet ({count} changes kept in memory and in the state folder): "
                     "{why}. Retrying…").format(count=live.unsaved, why=live.last_error)
        elif live.unsaved and live.kept_error is not None:
            # Nothing more can be done: stopping Kring now would lose them, so it says so.
            text = _("⚠ Not saved yet ({count} changes kept in memory only: the state folder "
                     "refuses them too, {reason}): {why}. Retrying…").format(
                count=live.unsaved, reason=live.kept_error, why=live.last_error)
        elif live.unsaved:
            text = _("⚠ Not saved yet ({count} changes kept in memory): {why}. "
                     "Retrying…").format(count=live.unsaved, why=live.last_error)
        elif self._draft_error is not None:
            text = _("⚠ The text being typed is not saved yet: {why}. Retrying…").format(
                why=self._draft_error)
        else:
            text = ""
        # Called after every draft save: updating a label lays out the whole screen, a
        # thousand entries included, so only a change of the message is shown.
        if text != self._hint_shown:
            self._hint_shown = text
            hint = self.query_one("#capture-hint", Label)
            hint.update(plain_text(text))  # it quotes the disk's error, a file's name
            hint.set_class(bool(text), "-error")

    # -- capture -----------------------------------------------------------------------------

    @on(CaptureLine.Committed, "#capture")
    def commit_capture(self, event: CaptureLine.Committed) -> None:
        # The capture line has already moved on (keys typed after Enter may be in it): the
        # line to commit is the event's, and the capture line is never cleared from here.
        result = self.live.add_line(event.text, language=self.app.language)
        if result.entry is None:
            event.input.give_back(event.text)
            for problem in result.problems:
                self.warn(problem)
            return
        self.query_one(EntryList).add_entry(result.entry)
        self._save_draft()  # the committed line leaves the draft; what follows it stays
        self._report_unsaved()
        for problem in result.problems:
            self.warn(problem)

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
        # Down goes to what the room sent, waiting below the line (never on the wall).
        elif event.key == "down" and isinstance(self.focused, CaptureLine):
            queue = self.query_one(QueuePanel)
            if queue.option_count and not self.projected:
                queue.focus()
                event.stop()

    def show_revealed(self, entry: object) -> None:
        from kring.sessions.model.meeting import Entry

        if isinstance(entry, Entry) and entry.step == self.live.step.key:
            self.query_one(EntryList).add_entry(entry)
        self._report_unsaved()

    def back_to_capture(self) -> None:
        self.query_one(CaptureLine).focus()

    @on(EntryList.TypingRequested)
    def back_to_typing(self, event: EntryList.TypingRequested) -> None:
        capture = self.query_one(CaptureLine)
        capture.focus()
        if event.text:
            capture.insert_text_at_cursor(event.text)


    def action_review(self) -> None:
        from kring.tui.screens.review import ReviewScreen

        if self.not_while_projected():
            return
        if not self.live.editable:  # a review is recorded in these minutes
            self.notify(_("This meeting has ended: F9 amends it."))
            return

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

    def action_leave(self) -> None:
        if self.projected:
            self.action_toggle_projector()
            return
        if not isinstance(self.focused, CaptureLine):
            self.query_one(CaptureLine).focus()
            return
        self.ask_to_close(lambda: self.dismiss(None))

    def _today(self) -> date:
        return self.live.clock.now().astimezone().date()
