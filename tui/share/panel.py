"""The meeting shared with the room's devices (F12), as a part of the meeting screen: it owns
the share server, the share journal and the vote, and shows what the room sent waiting under
the capture line (its ``QueuePanel``).

The share server runs in the app's own event loop; what the room sends lands in the share
journal (device-local, crash-safe), which this panel reads every second, so contributions
sent to a ``kring share`` running beside the app show here too, and after a crash they are
still waiting. Revealing one goes through the live meeting like a typed line; the queue is
hidden on the projector view. Sharing stops when the screen closes, and when the meeting ends
unless the room is offered its minutes (``minutes.py``: then until the facilitator stops it).

It tells the meeting screen what concerns the rest of the screen by messages: an entry
revealed, contributions discarded (ctrl+z is the screen's: it takes back the latest of
deletions and discards), the queue left."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.meeting.changes import AddVoteResult
from kring.sessions.model.meeting import Entry
from kring.sessions.model.privacy import merge_names
from kring.sessions.model.votes import VoteResult
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.naming import Naming
from kring.sessions.share.queue import Contribution, Discarded, ShareLog, new_item_id
from kring.sessions.share.votes import VoteRound, vote_options, votes_each, why_no_vote
from kring.tui.plain_text import PlainNotify
from kring.tui.share.queue_panel import QueuePanel

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp
    from kring.tui.share.server import ShareServer

SYNC = 1.0  # what the room sent shows within a second, as another window's changes do


class SharePanel(PlainNotify, Widget):
    """The ``Sharer`` the share dialog (tui/share/dialog.py) works with."""

    DEFAULT_CSS = """
    SharePanel {
        height: auto;
    }
    SharePanel #minutes-offered {
        display: none;
        padding: 0 1;
        color: $text-success;
    }
    """

    class Revealed(Message):
        """A contribution became an entry of the meeting."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class ManyDiscarded(Message):
        """Contributions were discarded at once: ``restore(discarded)`` brings them back."""

        def __init__(self, discarded: Discarded) -> None:
            super().__init__()
            self.discarded = discarded

    class Waiting(Message):
        """What waits changed: the privacy guard reads what is new before it is revealed."""

        def __init__(self, items: list[Contribution]) -> None:
            super().__init__()
            self.items = items

    class Left(Message):
        """The facilitator left the queue (Esc), or nothing waits in it any more."""

    app: KringApp

    def __init__(self, live: LiveMeeting, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.live = live
        self._server: ShareServer | None = None
        self._log: ShareLog | None = None
        self._naming = Naming.ANY  # kept while the screen is open: a restart keeps it
        self._offer_minutes = True  # likewise: the room may take the minutes at the end

    def compose(self) -> ComposeResult:
        yield QueuePanel(id="share-queue")
        yield Static("", id="minutes-offered", classes="minutes-offered")

    def on_mount(self) -> None:
        self.refresh_queue()  # what the room sent before a crash or a restart waits here
        self.set_interval(SYNC, self._tick)

    def on_unmount(self) -> None:
        self.stop_soon()

    @property
    def queue(self) -> QueuePanel:
        return self.query_one(QueuePanel)

    # -- the queue ---------------------------------------------------------------------------

    def share_log(self) -> ShareLog | None:
        if self._log is None:
            try:
                self._log = ShareLog(Journal(journal_path(self.live.meeting.id)))
                self._log.settle(self.live.entries)
            except (StoreError, ValueError):
                return None
        return self._log

    def refresh_queue(self) -> None:
        """Take in what the room sent; cheap when nothing did (one stat)."""
        log = self.share_log()
        if log is None:
            return
        log.refresh()
        if self.queue.show_items(log.waiting):
            self.post_message(self.Waiting(log.waiting))

    @on(QueuePanel.Decided)
    def _decide(self, event: QueuePanel.Decided) -> None:
        event.stop()
        log = self.share_log()
        if log is None:
            return
        try:
            if event.reveal:
                if not self.live.editable:
                    self.notify(_("This meeting has ended: nothing can be added unless it is "
                                  "amended."))
                    return
                if event.protect:  # before it shows anywhere: the room never sees the name
                    self.live.protect_names(merge_names(self.live.meeting.protected_names,
                                                        list(event.protect)))
                entry = log.reveal(event.item_id, self.live)
                if entry is not None:
                    self.post_message(self.Revealed(entry))
            else:
                log.discard(event.item_id)
        except StoreError as error:
            self.notify(error.message, severity="error")
        self.refresh_queue()
        if not log.waiting:
            self.post_message(self.Left())

    @on(QueuePanel.DiscardMany)
    def _discard_many(self, event: QueuePanel.DiscardMany) -> None:
        event.stop()
        log = self.share_log()
        if log is None:
            return
        try:
            discarded = log.discard_all(event.source)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        self.post_message(self.ManyDiscarded(discarded))
        self.notify(ngettext("Discarded {n} contribution. Press ctrl+z to undo.",
                             "Discarded {n} contributions. Press ctrl+z to undo.",
                             len(discarded.ids)).format(n=len(discarded.ids)))
        self.refresh_queue()
        if not log.waiting:
            self.post_message(self.Left())

    @on(QueuePanel.Done)
    def _queue_done(self, event: QueuePanel.Done) -> None:
        event.stop()
        self.post_message(self.Left())

    def restore(self, discarded: Discarded) -> None:
        """ctrl+z after a discard: what it took waits again."""
        log = self.share_log()
        if log is None:
            return
        try:
            back = log.restore(discarded)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(ngettext("{n} contribution waits again.",
                             "{n} contributions wait again.", back).format(n=back))
        self.refresh_queue()

    # -- sharing -----------------------------------------------------------------------------

    @property
    def share_server(self) -> ShareServer | None:
        return self._server

    @property
    def naming(self) -> Naming:
        return self._naming

    def set_naming(self, naming: Naming) -> None:
        self._naming = naming
        if self._server is not None:
            self._server.set_naming(naming)
        self.notify({
            Naming.ANY: _("Each participant chooses to sign a contribution or not."),
            Naming.NAMED: _("Contributions now need a name from the roster. Each person "
                            "chooses their own: names are not checked."),
            Naming.ANONYMOUS: _("Contributions are now anonymous: names are not kept."),
        }[naming])

    @property
    def offer_minutes(self) -> bool:
        return self._offer_minutes

    def set_offer_minutes(self, offer: bool) -> None:
        self._offer_minutes = offer
        if self._server is not None:
            self._server.set_offer_minutes(offer)
        self.notify(_("When the meeting ends, the room's phones can take its minutes until "
                      "sharing stops.") if offer
                    else _("The room's phones will not be offered the minutes."))
        self.refresh_offer()
        if not offer and self.live.ended:
            self._tick()  # offered no more: sharing an ended meeting has no more to do

    def refresh_offer(self) -> None:
        """The facilitator sees that the room can take the minutes, for as long as it can."""
        offered = self._server is not None and self._offer_minutes and self.live.ended
        found = self.query("#minutes-offered").results(Static)
        line = next(found, None)
        if line is None:  # the panel is being taken down: nothing left to say it on
            return
        line.update(_("📄 The room's phones can take the minutes now (the Markdown and a "
                      "one-page PDF). F12 stops sharing; leaving the meeting stops it too.")
                    if offered else "")
        line.display = offered

    async def start_sharing(self, address: str) -> None:
        from kring.sessions.share.journal import ShareError
        from kring.tui.share.scribe import scribe_command
        from kring.tui.share.server import ShareServer

        if self._server is not None:
            return
        server = ShareServer(self.app.data, self.live.meeting.id, address=address,
                             clock=self.live.clock, naming=self._naming,
                             offer_minutes=self._offer_minutes,
                             scribe_command=scribe_command(self.app.data, self.live.meeting.id))
        try:
            await server.start()
        except ShareError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        self._server = server
        if server.resumed:
            self.notify(_("Sharing again on the same URLs as before the interruption: the "
                          "codes shown and the phones' pages work again."))

    async def stop_sharing(self) -> None:
        server, self._server = self._server, None
        self.refresh_offer()
        if server is not None:
            await server.stop()
            self.notify(_("Sharing stopped: every URL is dead now."))
        log = self.share_log()
        if log is not None and log.open_vote is None:
            log.forget_if_done()

    async def revoke_access(self, kind: AccessKind) -> None:
        if self._server is not None:
            await self._server.revoke(kind)
            self.notify(_("A new URL for {kind}: the old one no longer works.").format(
                kind=_(kind.label)))

    def stop_soon(self) -> None:
        """From a place that cannot wait (the meeting ended, the screen closes): the app
        stops the server, so it stops even after this panel is gone."""
        server, self._server = self._server, None
        if server is not None:
            self.app.run_worker(server.stop(), exit_on_error=False)
        self.refresh_offer()

    def poke(self) -> None:
        """The meeting changed here: the phones hear it now, not at the feed's next look."""
        if self._server is not None and self._server.feed is not None:
            self._server.feed.poke()

    def _tick(self) -> None:
        if self._server is not None and self.live.ended and not self._offer_minutes:
            self.stop_soon()
            self.notify(_("The meeting has ended: sharing stopped."))
        self.refresh_offer()
        self.refresh_queue()

    # -- votes -------------------------------------------------------------------------------

    @property
    def vote_open(self) -> bool:
        log = self.share_log()
        return log is not None and log.open_vote is not None

    def toggle_vote(self) -> None:
        log = self.share_log()
        if log is None:
            return
        now = self.live.clock.now()
        vote = log.open_vote
        if vote is not None:
            # Into the meeting first: a vote whose result the disk refused stays open.
            if self._keep_result(vote.result(now)):
                log.close_vote(now)
            return
        why = why_no_vote(self.live)
        if why is not None:
            self.notify(why, severity="warning")
            return
        options = vote_options(self.live)
        log.open(VoteRound(new_item_id(), self.live.step.key, votes_each(len(options)),
                           options, now))
        each = votes_each(len(options))
        self.notify(ngettext("The vote is open: each participant has {n} vote on the "
                             "contribute page.",
                             "The vote is open: each participant has {n} votes on the "
                             "contribute page.", each).format(n=each))

    @property
    def counts_hidden(self) -> bool:
        log = self.share_log()
        vote = log.open_vote if log is not None else None
        return vote is not None and vote.hidden

    def toggle_counts(self) -> None:
        """Hide the open vote's running counts from the phones until it closes (so the
        first votes do not steer the rest), or show them again."""
        log = self.share_log()
        if log is None or log.open_vote is None:
            return
        hidden = not log.open_vote.hidden
        try:
            log.hide_counts(hidden)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        self.notify(_("The counts are hidden from the phones until the vote closes.") if hidden
                    else _("The phones show the counts again."))

    def vote_turnout(self) -> str | None:
        """Who voted, beside who is here and how many devices came in to contribute: more
        voters than participants means a link went further than the room."""
        log = self.share_log()
        vote = log.open_vote if log is not None else None
        if vote is None:
            return None
        voters = vote.voters()
        here = len(self.live.meeting.participants)
        devices = (self._server.access.sessions(AccessKind.CONTRIBUTE)
                   if self._server is not None else 0)
        parts = [ngettext("{n} voted", "{n} voted", voters).format(n=voters),
                 ngettext("{n} participant", "{n} participants", here).format(n=here),
                 ngettext("{n} contributing device", "{n} contributing devices",
                          devices).format(n=devices)]
        turnout = " · ".join(parts)
        if voters > here:
            turnout += "\n" + _("More voters than participants: a link may have gone "
                                "further than the room. Revoke Contribute to start again.")
        return turnout

    def _keep_result(self, result: VoteResult) -> bool:
        try:
            self.live.meeting = self.app.store.apply(self.live.meeting.id, AddVoteResult(result))
        except StoreError as error:
            self.notify(error.message, severity="error")
            return False
        self.notify(_("The vote is closed: {n} voted. The result is in the minutes.").format(
            n=result.voters))
        return True

