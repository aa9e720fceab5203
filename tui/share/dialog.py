"""The facilitator's sharing dialog (F12 in the meeting screen): start sharing on this
computer only or on the room's network, then a QR code and URL per kind of access, how many
devices each has connected, revoking a kind, the vote, whether contributions carry names
(before sharing or during it), and stopping.

On the projector view (F5) the scribe's code and URL are left out: the wall shows only what
the room is meant to scan."""

from __future__ import annotations

from typing import Protocol as Interface

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from kring.sessions.i18n import N_, _
from kring.sessions.share.access import AccessKind
from kring.sessions.share.naming import Naming
from kring.tui.keys import TranslatedBindings
from kring.tui.share.qr import qr_text
from kring.tui.share.server import ShareServer


class Sharer(Interface):
    """What the dialog asks of the meeting's share panel (tui/share/panel.py)."""

    @property
    def share_server(self) -> ShareServer | None: ...
    @property
    def vote_open(self) -> bool: ...
    @property
    def counts_hidden(self) -> bool: ...
    def vote_turnout(self) -> str | None: ...
    def toggle_counts(self) -> None: ...
    @property
    def naming(self) -> Naming: ...
    def set_naming(self, naming: Naming) -> None: ...
    async def start_sharing(self, address: str) -> None: ...
    async def stop_sharing(self) -> None: ...
    async def revoke_access(self, kind: AccessKind) -> None: ...
    def toggle_vote(self) -> None: ...


class ShareDialog(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, sharer: Sharer, *, projected: bool, lan: str | None) -> None:
        super().__init__(classes="dialog")
        self.sharer = sharer
        self.projected = projected
        self.lan = lan  # this computer's address on the room's network, if it has one

    @property
    def kinds(self) -> list[AccessKind]:
        if self.projected:
            return [AccessKind.VIEW, AccessKind.CONTRIBUTE]
        return list(AccessKind)

    def compose(self) -> ComposeResult:
        server = self.sharer.share_server
        with Vertical(classes="dialog-box share-box"):
            if server is None:
                yield from self._offer()
            else:
                yield from self._sharing(server)

    def _offer(self) -> ComposeResult:
        yield Label(_("Share this meeting with the room's devices"), classes="dialog-title")
        yield Static(_("Phones and laptops get a view of the phase and the time, a page to "
                       "send questions, reflections and advice, and a note-taker the meeting "
                       "screen. Each has its own secret URL; sharing stops when the meeting "
                       "ends. It is plain HTTP: anyone on the same network who has a URL can "
                       "use it, so show each only to whom it is for."), classes="share-intro")
        yield from self._naming()
        with Horizontal(classes="dialog-buttons"):
            lan = Button(_("On the room's network ({address})").format(
                address=self.lan) if self.lan else _("No room network found"),
                id="share-lan", variant="primary", disabled=self.lan is None)
            yield lan
            yield Button(_("This computer only"), id="share-local")
            yield Button(_("Cancel (esc)"), id="share-close")

    def _sharing(self, server: ShareServer) -> ComposeResult:
        yield Label(_("Sharing on {address}").format(address=server.address),
                    classes="dialog-title")
        with VerticalScroll(classes="share-codes"):
            with Horizontal(classes="share-row"):
                for kind in self.kinds:
                    with Vertical(classes="share-kind"):
                        yield Label(_(kind.label), classes="share-kind-title")
                        yield Static(qr_text(server.url(kind)), classes="share-qr")
                        yield Label(self._devices(server, kind), id=f"devices-{kind.value}")
                        yield Button(_("Revoke"), id=f"revoke-{kind.value}",
                                     variant="warning", classes="share-revoke")
            # Whole, one a line: read aloud, typed, or copied from here.
            for kind in self.kinds:
                yield Static(f"{_(kind.label)}: {server.url(kind)}", markup=False,
                             classes="share-url")
        yield from self._naming()
        if self.sharer.vote_open:
            yield Static(self.sharer.vote_turnout() or "", id="share-turnout", markup=False)
        with Horizontal(classes="dialog-buttons"):
            yield Button(_("Close the vote") if self.sharer.vote_open else _("Open a vote"),
                         id="share-vote")
            if self.sharer.vote_open:
                yield Button(_("Show the counts") if self.sharer.counts_hidden
                             else _("Hide the counts"), id="share-counts")
            yield Button(_("Stop sharing"), id="share-stop", variant="error")
            yield Button(_("Close (esc)"), id="share-close")

    def _naming(self) -> ComposeResult:
        with Horizontal(classes="share-naming"):
            yield Label(_("Contributions:"), classes="share-naming-label")
            yield Select([(_(naming.label), naming.value) for naming in Naming],
                         value=self.sharer.naming.value, allow_blank=False,
                         id="share-naming")
        # "Named only" asks for a name; it cannot know who holds the phone: said plainly.
        note = Static(_("Names are chosen by each person on their phone, not checked."),
                      id="share-naming-note", classes="share-note")
        note.display = self.sharer.naming is Naming.NAMED
        yield note

    @on(Select.Changed, "#share-naming")
    def naming_changed(self, event: Select.Changed) -> None:
        naming = Naming(str(event.value))
        if naming is not self.sharer.naming:  # the first Changed is the value it was given
            self.sharer.set_naming(naming)
        self.query_one("#share-naming-note").display = naming is Naming.NAMED

    @staticmethod
    def _devices(server: ShareServer, kind: AccessKind) -> str:
        return _("{n} connected").format(n=server.connected(kind))

    def on_mount(self) -> None:
        self.set_interval(1.0, self.show_devices)

    def show_devices(self) -> None:
        server = self.sharer.share_server
        if server is None:
            return
        for kind in self.kinds:
            for label in self.query(f"#devices-{kind.value}").results(Label):
                label.update(self._devices(server, kind))
        for turnout in self.query("#share-turnout").results(Static):
            turnout.update(self.sharer.vote_turnout() or "")

    @on(Button.Pressed, "#share-local")
    async def share_here(self) -> None:
        await self.sharer.start_sharing("127.0.0.1")
        await self.recompose()

    @on(Button.Pressed, "#share-lan")
    async def share_lan(self) -> None:
        if self.lan is not None:
            await self.sharer.start_sharing(self.lan)
            await self.recompose()

    @on(Button.Pressed, "#share-stop")
    async def stop(self) -> None:
        await self.sharer.stop_sharing()
        self.dismiss(None)

    @on(Button.Pressed, "#share-vote")
    async def vote(self) -> None:
        self.sharer.toggle_vote()
        await self.recompose()

    @on(Button.Pressed, "#share-counts")
    async def counts(self) -> None:
        self.sharer.toggle_counts()
        await self.recompose()

    @on(Button.Pressed, ".share-revoke")
    async def revoke(self, event: Button.Pressed) -> None:
        kind = AccessKind(str(event.button.id).removeprefix("revoke-"))
        await self.sharer.revoke_access(kind)
        await self.recompose()

    @on(Button.Pressed, "#share-close")
    def action_close(self) -> None:
        self.dismiss(None)
