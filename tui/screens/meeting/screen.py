"""The meeting screen: the protocol, live. What the room sees projected and where the
note-taker captures, without ever leaving it.

It is made of parts that own their state and tell it what happened by messages: the phase
and the course of the meeting (``PhasePanel``, with the entries of the phase,
``MeetingEntries``), the capture line with its draft (``CaptureBar``), and the meeting
shared with the room's devices (``SharePanel``, tui/share/panel.py). The screen holds the
keys (they work wherever the focus is), hands each to the part it concerns, and keeps what
spans parts: the projector view, ctrl+z, and the way out (closing.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Footer

from kring.sessions.i18n import N_, _
from kring.sessions.meeting.room import room_view
from kring.sessions.meeting.setup import split_names
from kring.sessions.model.meeting import Case, Entry
from kring.sessions.model.protocol import PhaseKind
from kring.sessions.share.queue import Discarded
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify
from kring.tui.screens.dialogs import CaseDialog, TextDialog
from kring.tui.screens.meeting.capture_bar import CaptureBar
from kring.tui.screens.meeting.closing import (
    AmendDialog,
    LeaveDialog,
    close_when_saved,
    end_when_confirmed,
)
from kring.tui.screens.meeting.coach_bar import CoachBar
from kring.tui.screens.meeting.entries import MeetingEntries
from kring.tui.screens.meeting.guard_bar import GuardBar
from kring.tui.screens.meeting.phase_panel import PhasePanel
from kring.tui.share.panel import SharePanel
from kring.tui.widgets.capture import CaptureLine
from kring.tui.widgets.entries import EntryList
from kring.tui.widgets.projector import ProjectorView

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.store.drafts import DraftSlot
    from kring.sessions.store.watching import DataChange
    from kring.tui.app import KringApp

TICK = 0.25
# Another window's or laptop's changes show as soon as the data folder's watch hears of them
# (tui/watching.py); this look at the logs is for folders that tell nothing (a network
# mount) and retries refused saves as often.
SYNC = 1.0

# The keys of the meeting's course: an ended meeting's phases and times are history, also
# while it is amended.
COURSE = {"next_phase", "previous_phase", "skip_phase", "next_turn", "pass_turn",
          "toggle_pause", "add_minute", "remove_minute"}
# What changes the record: an ended meeting offers it again only while it is amended.
RECORD = {"case_details", "protected_names", "review"}


class MeetingScreen(PlainNotify, TranslatedBindings, Screen[None]):
    """Every key stays on offer in every phase: one that cannot act there says why (never a
    silent or hidden key). Names, titles and texts from outside (a phone, another laptop, a
    template) are shown plain, toasts included."""

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
        # What ctrl+z takes back, the latest last: a deleted entry, or contributions
        # discarded from the room's queue at once.
        self._undo: list[Entry | Discarded] = []
        self._held: list[str] = []  # warnings held back while projected, shown after

    def compose(self) -> ComposeResult:
        yield PhasePanel(self.live, id="body")
        yield ProjectorView(id="room")
        yield GuardBar(self.live)
        yield CoachBar(self.live)
        yield CaptureBar(self.live, self.draft)
        yield SharePanel(self.live)
        yield Footer()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The footer offers only what works now: an ended meeting shows F9 (amend) instead
        of the course's keys; while amended, F10 finishes. Pressed anyway, a key not offered
        still says why it cannot act (F1 lists every key)."""
        bindings = super().active_bindings
        live = self.live
        if not live.ended:
            return bindings
        hidden = COURSE | (set() if live.amending else RECORD | {"end_meeting"})
        shares = self.query(SharePanel)  # asked before the parts are composed too
        if not shares or shares.first().share_server is None:
            hidden.add("share")
        offered = {"amend"} if not live.amending else set()
        return {key: active._replace(binding=replace(active.binding, show=False))
                if active.binding.action in hidden and active.binding.show
                else active._replace(binding=replace(active.binding, show=True))
                if active.binding.action in offered and not active.binding.show
                else active
                for key, active in bindings.items()}

    @property
    def phase(self) -> PhasePanel:
        return self.query_one(PhasePanel)

    @property
    def capture(self) -> CaptureBar:
        return self.query_one(CaptureBar)

    @property
    def share(self) -> SharePanel:
        return self.query_one(SharePanel)

    def on_resize(self) -> None:
        # Below 70 columns the stepper would squeeze the phase itself: the phase wins.
        self.set_class(self.size.width < 70, "-narrow")

    def on_mount(self) -> None:
        # What the data folder refuses is kept in this window's drafts too (the state folder),
        # and what a window that was stopped meanwhile kept there is taken back in first.
        taken_in = self.live.keep_unsaved_in(self.draft.unsaved, self.app.store.import_rescued)
        self.live.start()
        self.show_phase()
        self.share.refresh_queue()  # what the room sent before a crash or a restart waits
        self._open_review_phase()
        if taken_in:
            self.notify(_("The changes that were not saved yet when Kring stopped are back."))
        self.set_interval(TICK, self.tick)
        self.set_interval(SYNC, self.sync)
        self.app.data_watch.changed.subscribe(self, self._data_changed)
        self.capture.show_saving()
        if self.live.ended:
            self.set_class(True, "-ended")
            self.notify(_("This meeting has ended and is shown read-only. F9 amends it."))

    # -- showing the state -------------------------------------------------------------------

    @property
    def guard(self) -> GuardBar:
        return self.query_one(GuardBar)

    @property
    def coach(self) -> CoachBar:
        return self.query_one(CoachBar)

    def show_phase(self) -> None:
        """Everything that changes when the phase does (or another window changed it)."""
        self.phase.show_phase()
        self.guard.look()  # what another window typed or changed is looked at too
        self.share.poke()  # the phones hear of it now
        self.capture.show_placeholder()
        self.refresh_bindings()
        self.show_room()

    def show_state(self) -> None:
        """Whether the meeting can be changed: after it ended, and when an amendment starts
        or finishes."""
        self.set_class(not self.live.editable, "-ended")
        self.show_phase()

    def tick(self) -> None:
        self.phase.show_time()
        self.show_room()

    def _data_changed(self, change: DataChange) -> None:
        if change.concerns(self.live.meeting.id):
            self.sync()

    def sync(self) -> None:
        had_unsaved = self.live.unsaved
        if self.live.sync():
            self.show_phase()
        self.capture.retry()
        if had_unsaved:
            self.capture.show_saving()
            if not self.live.unsaved:
                self.notify(_("Saved again: nothing was lost."))

    @on(PhasePanel.PhaseChanged)
    def _phase_changed(self, event: PhasePanel.PhaseChanged) -> None:
        self.share.poke()
        self.capture.show_placeholder()
        self.capture.show_saving()
        self.refresh_bindings()
        self.show_room()
        self.coach.look()
        if event.onward:
            self._open_review_phase()

    @on(PhasePanel.TurnChanged)
    def _turn_changed(self) -> None:
        self.share.poke()
        self.capture.show_saving()

    @on(PhasePanel.TimeChanged)
    def _time_changed(self) -> None:
        self.show_room()

    @on(CoachBar.TimeTakenBack)
    def _replanned(self) -> None:
        self.phase.show_time()
        self.show_room()

    # -- capture -----------------------------------------------------------------------------

    @on(CaptureLine.Committed, "#capture")
    def _commit(self, event: CaptureLine.Committed) -> None:
        # The capture line has already moved on (keys typed after Enter may be in it): the
        # line to commit is the event's, and the capture line is never cleared from here.
        result = self.live.add_line(event.text, language=self.app.language)
        if result.entry is None:
            event.input.give_back(event.text)
            for problem in result.problems:
                self.warn(problem)
            return
        self.phase.entries.add_entry(result.entry)
        self.guard.look()
        self.coach.nudge(result.entry)
        self.capture.save_draft()  # the committed line leaves the draft; what follows stays
        for problem in result.problems:
            self.warn(problem)

    def on_key(self, event: Key) -> None:
        if not isinstance(self.focused, CaptureLine):
            return
        # Up from the capture line goes to the entries, as in a chat: to edit what was typed.
        if event.key == "up":
            entries = self.phase.entries
            if entries.option_count:
                entries.focus()
                entries.highlighted = entries.option_count - 1
                event.stop()
        # Down goes to what the room sent, waiting below the line (never on the wall).
        elif event.key == "down":
            queue = self.share.queue
            if queue.option_count and not self.projected:
                queue.focus()
                event.stop()

    @on(EntryList.TypingRequested)
    def _back_to_typing(self, event: EntryList.TypingRequested) -> None:
        line = self.capture.line
        line.focus()
        if event.text:
            line.insert_text_at_cursor(event.text)

    @on(SharePanel.Left)
    def _back_to_capture(self) -> None:
        self.capture.line.focus()

    # -- entries and ctrl+z ------------------------------------------------------------------

    @on(MeetingEntries.Changed)
    def _entries_changed(self) -> None:
        self.capture.show_saving()
        self.guard.look()

    # -- the privacy guard -------------------------------------------------------------------

    @on(GuardBar.Found)
    def _found(self, event: GuardBar.Found) -> None:
        self.phase.entries.show_findings(event.findings)
        self.share.queue.show_findings(event.findings, event.looked, event.state)

    @on(SharePanel.Waiting)
    def _waiting(self, event: SharePanel.Waiting) -> None:
        self.guard.look_at_waiting({item.id: item.text for item in event.items})

    @on(MeetingEntries.Guarded)
    def _guarded(self, event: MeetingEntries.Guarded) -> None:
        if event.dismissed:
            from kring.sessions.errors import StoreError
            from kring.sessions.store.rosters import dismiss_words

            try:
                dismiss_words(self.app.store, self.live.meeting.community, event.dismissed)
            except StoreError as error:
                self.notify(error.message, severity="error")
            self.guard.dismiss_words(event.dismissed)  # gone from this meeting either way
        else:
            self.capture.show_saving()
            self.guard.look()

    @on(MeetingEntries.Deleted)
    def _entry_deleted(self, event: MeetingEntries.Deleted) -> None:
        self._undo.append(event.entry)

    @on(SharePanel.ManyDiscarded)
    def _contributions_discarded(self, event: SharePanel.ManyDiscarded) -> None:
        self._undo.append(event.discarded)

    @on(SharePanel.Revealed)
    def _revealed(self, event: SharePanel.Revealed) -> None:
        self.phase.entries.show_revealed(event.entry)
        self.capture.show_saving()
        self.guard.look()  # a name protected on the way in changes what is found elsewhere

    def action_undo_delete(self) -> None:
        if not self._undo:
            self.notify(_("Nothing to undo."))
            return
        latest = self._undo[-1]
        if isinstance(latest, Discarded):
            # The queue is not the meeting: it can be undone after the meeting ended.
            self._undo.pop()
            self.share.restore(latest)
        elif self.phase.entries.restore(latest):
            self._undo.pop()

    # -- the facilitator's keys: the course of the meeting -----------------------------------

    def action_next_phase(self) -> None:
        self.phase.next_phase()

    def action_previous_phase(self) -> None:
        self.phase.previous_phase()

    def action_skip_phase(self) -> None:
        self.phase.skip_phase()

    def action_next_turn(self) -> None:
        self.phase.give_turn(passes=False)

    def action_pass_turn(self) -> None:
        self.phase.give_turn(passes=True)

    def action_toggle_pause(self) -> None:
        self.phase.toggle_pause()

    def action_add_minute(self) -> None:
        self.phase.change_time(1)

    def action_remove_minute(self) -> None:
        self.phase.change_time(-1)

    # -- the projector view (F5) -------------------------------------------------------------
    # The facilitator's own window as the room's screen: what the projector window shows (a
    # ProjectorView of room_view: pseudonyms only, no entries at all), while the capture line
    # keeps working below it, masked, so neither a real name nor a private line reaches the
    # wall. Anything that would show names the room should not read waits until F5 again.

    @property
    def projected(self) -> bool:
        return self.has_class("-projector")

    def action_toggle_projector(self) -> None:
        projected = not self.projected
        self.set_class(projected, "-projector")
        line = self.capture.line
        line.password = projected  # typing goes on, unreadable on the wall
        line.focus()
        if projected:
            self.show_room()
            # A toast still up may quote a line or name a name ("Protected: Jayden"): the
            # wall starts without them.
            self.app.clear_notifications()
            self.notify(_("Projector view: what you type is hidden and still saved. "
                          "F5 shows it again."))
        else:
            held, self._held = self._held, []
            for problem in held:
                self.notify(problem, severity="warning")

    def show_room(self) -> None:
        """What the room sees, now; on every tick while projected."""
        if self.projected:
            self.query_one(ProjectorView).show(room_view(self.live, self.live.clock.now()))

    def warn(self, problem: str) -> None:
        """A warning about a typed line: it quotes the line, so on the wall it waits."""
        if self.projected:
            self._held.append(problem)
            self.notify(_("A warning waits until F5 turns the projector view off."),
                        severity="warning")
        else:
            self.notify(problem, severity="warning")

    def not_while_projected(self) -> bool:
        """True (and said) when a dialog would show the room names it must not read."""
        if not self.projected:
            return False
        self.notify(_("This shows names the room should not read: F5 turns the projector "
                      "view off first."))
        return True

    # -- the meeting's details ---------------------------------------------------------------

    def _read_only(self) -> bool:
        if self.live.editable:
            return False
        self.notify(_("This meeting has ended: F9 amends it."))
        return True

    def action_prompt_cards(self) -> None:
        prompts = self.live.step.phase.prompts
        if not prompts:
            self.notify(_("This phase has no prompt cards."))
            return
        text = "\n".join(f"- {p}" for p in prompts)
        self.app.push_screen(TextDialog(_("Prompt cards"), text, read_only=True))

    def action_case_details(self) -> None:
        """Title, summary and focus question in one form: one Esc never leaves some of them
        asked and the rest not (the minutes once said "Focus question: not recorded")."""
        if self.not_while_projected() or self._read_only():
            return
        before = self.live.meeting.case

        def done(case: Case | None) -> None:
            if case is None:
                return
            changes = {key: getattr(case, key) for key in ("title", "summary", "focus_question")
                       if getattr(case, key) != getattr(before, key)}
            if changes:
                self.live.update_details(**changes)
            self.phase.show_case()

        self.app.push_screen(CaseDialog(before), done)

    def action_protected_names(self) -> None:
        # Ended: the minutes change with them, which is an amendment.
        if self.not_while_projected() or self._read_only():
            return

        def done(text: str | None) -> None:
            if text is None:
                return
            self.live.protect_names(split_names(text.replace("\n", ",")))
            self.guard.look()
            self.notify(_("The minutes will show pseudonyms for: {names}").format(
                names=", ".join(self.live.meeting.protected_names) or "—"))

        self.app.push_screen(TextDialog(
            _("Names to protect (pupils, parents), separated by commas"),
            ", ".join(self.live.meeting.protected_names)), done)

    def action_review(self) -> None:
        from kring.tui.screens.review import ReviewScreen

        # Ended: a review is recorded in these minutes.
        if self.not_while_projected() or self._read_only():
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

        self.app.push_screen(MinutesScreen(self.live, lambda: self.guard.verdict))

    def action_share(self) -> None:
        from kring.tui.share.dialog import ShareDialog
        from kring.tui.share.network import lan_address

        if getattr(self.app, "scribe", False):  # a note-taker's browser (tui/share/scribe_screen)
            self.notify(_("Only the facilitator's Kring can share the meeting."))
            return
        if self.share.share_server is None and self.live.ended:
            self.notify(_("This meeting has ended: there is nothing to share."))
            return
        self.app.push_screen(ShareDialog(self.share, projected=self.projected,
                                         lan=lan_address()))

    # -- the way out -------------------------------------------------------------------------

    def action_leave(self) -> None:
        if self.projected:
            self.action_toggle_projector()
            return
        if not isinstance(self.focused, CaptureLine):
            self.capture.line.focus()
            return
        self.ask_to_close(lambda: self.dismiss(None))

    def ask_to_close(self, close: Callable[[], object], *, quitting: bool = False) -> None:
        """Esc (leave) and ctrl+q (quit, from the app) ask first; ctrl+q while the question
        is asked answers yes. An ended meeting that is only being read closes at once."""
        if isinstance(self.app.screen, LeaveDialog):
            self.app.screen.dismiss(True)
            return
        if self.live.amending:  # leaving an amendment finishes it: the minutes are rewritten
            self.finish_amendment()
        self.capture.save_draft()
        if self.live.ended:
            close_when_saved(self.app, self.live, close)
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                close_when_saved(self.app, self.live, close)

        self.app.push_screen(LeaveDialog(quitting=quitting), chosen)

    def action_amend(self) -> None:
        live = self.live
        if not live.ended:
            self.notify(_("The meeting is still in progress: everything can still be changed."))
            return
        if live.amending:
            self.notify(_("Amending: F10 or Esc when done writes the minutes again."))
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                live.amend()
                self.show_state()
                self.notify(_("Amending: F10 or Esc when done writes the minutes again."))

        self.app.push_screen(AmendDialog(), confirmed)

    def finish_amendment(self) -> None:
        self.live.finish_amendment()
        self.capture.save_draft()
        self.app.write_minutes(self.live, self.guard.verdict)
        self.show_state()
        self.notify(_("Amendment done: the minutes were written again."))

    def action_end_meeting(self) -> None:
        if self.live.amending:
            self.finish_amendment()
            return
        if self.live.ended:
            self.notify(_("This meeting has ended: F9 amends it."))
            return

        def end() -> None:
            self.live.end()
            self.app.notify(_("The meeting has ended."))
            self.app.write_minutes(self.live, self.guard.verdict)
            if self.share.share_server is not None and self.share.offer_minutes:
                # The room takes its minutes now: the screen stays, sharing with it, until
                # the facilitator stops sharing (F12) or leaves (Esc).
                self.show_state()
                self.share.poke()
                self.share.refresh_offer()
                return
            self.dismiss(None)

        end_when_confirmed(self.app, self.live, end, self.guard.unprotected())
