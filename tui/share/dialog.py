"""The facilitator's sharing dialog (F12 in the meeting screen): start sharing on this
computer only or on the room's network, then a QR code and URL per kind of access, how many
devices each has connected, revoking a kind, the vote, whether contributions carry names
(before sharing or during it), and stopping.

A code is drawn only whole, as many side by side as fit the terminal (a camera cannot read a
cut one); in the place of the others a line says which key (1, 2, 3) shows it large, alone on
the screen (qr_screen.py). Every URL is written out in full either way.

On the projector view (F5) the scribe's code and URL are left out: the wall shows only what
the room is meant to scan."""

from __future__ import annotations

from typing import Protocol as Interface

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, Static

from kring.sessions.i18n import N_, _
from kring.sessions.share.access import AccessKind
from kring.sessions.share.naming import Naming
from kring.tui.keys import TranslatedBindings
from kring.tui.share.qr import qr_size, qr_text
from kring.tui.share.qr_screen import QrScreen
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
    @property
    def offer_minutes(self) -> bool: ...
    def set_offer_minutes(self, offer: bool) -> None: ...
    async def start_sharing(self, address: str) -> None: ...
    async def stop_sharing(self) -> None: ...
    async def revoke_access(self, kind: AccessKind) -> None: ...
    def toggle_vote(self) -> None: ...


def devices(server: ShareServer, kind: AccessKind) -> str:
    return _("{n} connected").format(n=server.connected(kind))


HIDDEN_WIDTH = 24  # the least the column of codes not shown gets (its min-width in the .tcss)
GAP = 2  # columns between one code's column and the next (.share-kind's margin-right)


class ShareCodes(VerticalScroll):
    """A column per kind of access, side by side: its code, how many devices it has, revoking
    it. Only the first ``shown`` codes are drawn, as many as the dialog found room for whole
    (ShareDialog.fit_codes); the others are in a column of their own beside them, each with
    the key that shows it large. None is drawn before the dialog has measured, so a cut code is
    not shown even while the dialog opens."""

    shown: reactive[int] = reactive(0, recompose=True)

    def __init__(self, server: ShareServer, kinds: list[AccessKind]) -> None:
        super().__init__(classes="share-codes")
        self.server = server
        self.kinds = kinds

    def compose(self) -> ComposeResult:
        with Horizontal(classes="share-row"):
            for kind in self.kinds[:self.shown]:
                with Vertical(classes="share-kind"):
                    yield Label(_(kind.label), classes="share-kind-title")
                    yield Static(qr_text(self.server.url(kind)), classes="share-qr",
                                 id=f"qr-{kind.value}")
                    yield from self._devices_and_revoke(kind)
            if self.shown < len(self.kinds):
                with Vertical(classes="share-hidden"):
                    for number, kind in enumerate(self.kinds, 1):
                        if number > self.shown:
                            # Its name and the key on one line: two lines a kind, so the
                            # three fit even the 80×24 terminal's dialog.
                            line = Content.from_markup(
                                "[b]$kind[/b]: $small", kind=_(kind.label),
                                small=_("too small to scan here, press {key} to show it "
                                        "large").format(key=number))
                            yield Static(line, classes="share-too-small",
                                         id=f"small-{kind.value}")
                            yield from self._devices_and_revoke(kind)

    def _devices_and_revoke(self, kind: AccessKind) -> ComposeResult:
        with Horizontal(classes="share-devices"):
            yield Label(devices(self.server, kind), id=f"devices-{kind.value}")
            yield Button(_("Revoke"), id=f"revoke-{kind.value}", variant="warning",
                         classes="share-revoke", compact=True)

    def fitting(self, width: int, height: int) -> int:
        """How many codes, the first ones, fit whole in ``width`` columns and ``height`` lines
        beside the column of those that do not."""
        if not self.kinds:
            return 0
        sizes = [qr_size(self.server.url(kind)) for kind in self.kinds]
        code_width = max(size[0] for size in sizes)
        code_height = max(size[1] for size in sizes)
        if code_height + 2 > height:  # its title above, its devices and Revoke below
            return 0
        for count in range(len(self.kinds), 0, -1):
            hidden = HIDDEN_WIDTH if count < len(self.kinds) else 0
            if count * (code_width + GAP) + hidden <= width:
                return count
        return 0


class ShareDialog(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "dialog.tcss"
    BINDINGS = [Binding("escape", "close", N_("Close")),
                # One key a code, in the order they are shown: the way to a code that found
                # no room here, and to a larger one for the whole room.
                Binding("1", "large('view')", N_("Show the view code large")),
                Binding("2", "large('contribute')", N_("Show the contribute code large")),
                Binding("3", "large('scribe')", N_("Show the scribe code large"))]

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
        box = Vertical(classes="dialog-box share-box")
        if server is not None:
            # In the border, not a line of its own: two lines more for the codes.
            box.border_title = _("Sharing on {address}").format(address=server.address)
        with box:
            if server is None:
                yield from self._offer()
            else:
                yield from self._sharing(server)

    def _offer(self) -> ComposeResult:
        yield Label(_("Share this meeting with the room's devices"), classes="dialog-title")
        yield Static(_("Phones and laptops get a view of the phase and the time, a page to "
                       "send questions, reflections and advice, and a note-taker the meeting "
                       "screen. Each has its own secret URL; sharing stops when you stop it or "
                       "leave the meeting. It is plain HTTP: anyone on the same network who "
                       "has a URL can use it, so show each only to whom it is for."),
                     classes="share-intro")
        yield from self._naming()
        with Horizontal(classes="dialog-buttons"):
            lan = Button(_("On the room's network ({address})").format(
                address=self.lan) if self.lan else _("No room network found"),
                id="share-lan", variant="primary", disabled=self.lan is None)
            yield lan
            yield Button(_("This computer only"), id="share-local")
            yield Button(_("Cancel (esc)"), id="share-close")

    def _sharing(self, server: ShareServer) -> ComposeResult:
        yield ShareCodes(server, self.kinds)
        # Whole, one a line: read aloud, typed, or copied from here, shown or not.
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
        yield Checkbox(_("When the meeting ends, offer the room its minutes (the Markdown and "
                         "a one-page PDF, as the room may read them) until sharing stops"),
                       self.sharer.offer_minutes, id="share-minutes")

    @on(Checkbox.Changed, "#share-minutes")
    def offer_changed(self, event: Checkbox.Changed) -> None:
        if event.value is not self.sharer.offer_minutes:
            self.sharer.set_offer_minutes(event.value)

    @on(Select.Changed, "#share-naming")
    def naming_changed(self, event: Select.Changed) -> None:
        naming = Naming(str(event.value))
        if naming is not self.sharer.naming:  # the first Changed is the value it was given
            self.sharer.set_naming(naming)
        self.query_one("#share-naming-note").display = naming is Naming.NAMED
        self.call_after_refresh(self.fit_codes)  # the note takes lines from the codes

    def on_mount(self) -> None:
        self.set_interval(1.0, self.show_devices)
        self.call_after_refresh(self.fit_codes)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_codes)

    def on_screen_resume(self) -> None:
        # Back from a code shown large, the terminal perhaps resized meanwhile.
        self.call_after_refresh(self.fit_codes)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self.fit_codes)

    def fit_codes(self) -> None:
        """Show as many codes as fit whole in the room the dialog leaves them at this size of
        the terminal, the others replaced by a line. Measured from what else the dialog holds,
        whose height does not depend on the codes, so showing them changes nothing measured
        here; the codes' area is then held to that room, so nothing else is pushed out."""
        codes = next(iter(self.query(ShareCodes).results(ShareCodes)), None)
        if codes is None:
            return
        if not codes.region:  # not laid out (under another screen): measured on its return
            return
        box = self.query_one(".share-box")
        limit = box.styles.max_height
        highest = (int(limit.resolve(self.app.size, self.app.size)) if limit is not None
                   else self.app.size.height)
        others = [child for child in box.children if child is not codes and child.display]
        above = codes.region.y - box.content_region.y
        below = max((child.region.bottom + child.styles.margin.bottom for child in others
                     if child.region.y >= codes.region.bottom), default=codes.region.bottom)
        room = highest - box.styles.gutter.height - above - (below - codes.region.bottom)
        codes.styles.max_height = max(room, 1)
        # The scroll bar's gutter is kept (scrollbar-gutter: stable): the width is the same
        # whether the column of codes not shown scrolls or not.
        codes.shown = codes.fitting(codes.scrollable_content_region.width, room)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "large":
            return (self.sharer.share_server is not None
                    and AccessKind(str(parameters[0])) in self.kinds)
        return True

    def action_large(self, kind: str) -> None:
        server = self.sharer.share_server
        if server is not None and AccessKind(kind) in self.kinds:
            access = AccessKind(kind)
            self.app.push_screen(QrScreen(_(access.label), server.url(access)))

    def show_devices(self) -> None:
        server = self.sharer.share_server
        if server is None:
            return
        for kind in self.kinds:
            for label in self.query(f"#devices-{kind.value}").results(Label):
                label.update(devices(server, kind))
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
