"""What the room sent, waiting for the facilitator: one line each, revealed (Enter) or
discarded (Delete), or discarded at once: all one phone sent (x) or everything waiting
(shift+Delete), which ctrl+z undoes. Hidden on the projector view: it shows what nobody has
let in yet.

A phone can send any name, so the privacy guard reads each contribution before it can be
revealed (the meeting screen passes its answers down: ``show_findings``). One where it found
a name is marked ⚑, and Enter asks first: protect the name and reveal, reveal as it is, or
discard. While the guard loads, Enter asks whether to reveal unread; when it is off (or
turned off), the facilitator decides alone, as for a typed line."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kring.sessions.guard.kinds import KINDS
from kring.sessions.guard.meeting import Finding
from kring.sessions.guard.process import GuardState
from kring.sessions.i18n import N_, _
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import MAX_SCORE
from kring.sessions.share.queue import Contribution
from kring.tui.plain_text import Part, PlainNotify, plain_text
from kring.tui.screens.dialogs import ChoiceDialog


class QueuePanel(PlainNotify, OptionList):
    HELP = N_("In what the room sent (down from the capture line)")
    DEFAULT_CSS = """
    QueuePanel {
        display: none;
        height: auto;
        max-height: 8;
        border-title-color: $accent;
    }

    /* :focus too: OptionList's own focused border would win over a type alone. */
    QueuePanel, QueuePanel:focus {
        border: round $accent;
    }

    QueuePanel.-waiting {
        display: block;
    }
    """

    BINDINGS = [
        Binding("enter", "reveal", N_("Reveal (becomes an entry)")),
        Binding("delete", "discard", N_("Discard")),
        Binding("x", "discard_phone", N_("Discard all from this phone")),
        Binding("shift+delete", "discard_all", N_("Discard everything waiting")),
        Binding("escape", "back", N_("Back to typing")),
    ]

    class Decided(Message):
        """The facilitator revealed or discarded a contribution; ``reveal`` says which, and
        ``protect`` the names to protect before it is revealed."""

        def __init__(self, item_id: str, reveal: bool, protect: tuple[str, ...] = ()) -> None:
            super().__init__()
            self.item_id = item_id
            self.reveal = reveal
            self.protect = protect

    class DiscardMany(Message):
        """Discard at once what ``source`` sent, or (None) everything waiting."""

        def __init__(self, source: str | None) -> None:
            super().__init__()
            self.source = source

    class Done(Message):
        """Back to the capture line."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: list[Contribution] = []
        # The privacy guard's answers (the screen's, from its GuardBar): no guard, no reading.
        self.guard: GuardState | None = None
        self.findings: dict[str, list[Finding]] = {}
        self.looked: frozenset[str] = frozenset()

    def show_items(self, items: list[Contribution]) -> bool:
        """Show what waits; False when it is what is shown."""
        if [i.id for i in items] == [i.id for i in self.items]:
            return False
        self.items = list(items)
        self._draw()
        self.border_title = _("From the room: {n} waiting (Enter reveals, Delete discards, "
                              "x all from that phone)").format(n=len(items))
        self.set_class(bool(items), "-waiting")
        return True

    def show_findings(self, findings: dict[str, list[Finding]], looked: frozenset[str],
                      guard: GuardState) -> None:
        mine = {item.id for item in self.items}
        before = {key: self.findings.get(key) for key in mine}
        self.guard, self.looked = guard, looked
        self.findings = {key: found for key, found in findings.items() if key in mine}
        if before != {key: self.findings.get(key) for key in mine}:
            self._draw()

    def _draw(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(self._row(item), id=item.id) for item in self.items])
        if self.items:
            self.highlighted = min(highlighted or 0, len(self.items) - 1)

    def _row(self, item: Contribution) -> Text:
        # Drawn the moment it arrives, before anyone revealed it: the last guard (the server
        # made it plain already) against a phone's escape codes reaching this terminal.
        who = item.author or _("anonymous")
        parts: list[Part] = [(f"{capture_label(item.kind)} · {who}: ", "bold")]
        if item.score is not None:  # an evaluation: "4/5 · what I take with me"
            parts.append((f"{item.score}/{MAX_SCORE}", "bold"))
            if item.text:
                parts.append(" · ")
        parts.append(item.text)
        row = plain_text(*parts, one_line=True)
        if found := self._names(item):
            row.append("  ⚑ " + ", ".join(found), "bold yellow")
        return row

    def _names(self, item: Contribution) -> list[str]:
        return list(dict.fromkeys(f.span.text for f in self.findings.get(item.id, ())))

    def _chosen(self) -> Contribution | None:
        index = self.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def action_reveal(self) -> None:
        item = self._chosen()
        if item is None:
            return
        if self.guard in (None, GuardState.OFF):
            self.post_message(self.Decided(item.id, reveal=True))
        elif item.id not in self.looked:
            if self.guard is GuardState.READY:  # it reads a line in a fraction of a second
                self.notify(_("The privacy guard is still reading this contribution: press "
                              "Enter again in a moment."))
            else:
                self._ask(item, _("The privacy guard has not read this contribution yet "
                                  "(it is loading). Reveal it unread?"), ())
        elif found := self.findings.get(item.id):
            kinds = ", ".join(dict.fromkeys(_(KINDS[f.kind].label) for f in found))
            self._ask(item, _("The privacy guard found {names} ({kinds}) in this "
                              "contribution, and nobody protected it.").format(
                                  names=", ".join(self._names(item)), kinds=kinds),
                      tuple(dict.fromkeys(f.span.text for f in found if f.protectable)))
        else:
            self.post_message(self.Decided(item.id, reveal=True))

    def _ask(self, item: Contribution, question: str, protectable: tuple[str, ...]) -> None:
        """Reveal only once the facilitator has chosen; the answers in the order asked."""
        answers: list[tuple[str, Message | None]] = []
        if protectable:
            answers.append((_("Protect {names}, then reveal").format(
                names=", ".join(protectable)),
                self.Decided(item.id, reveal=True, protect=protectable)))
        answers += [(_("Reveal as it is"), self.Decided(item.id, reveal=True)),
                    (_("Discard it"), self.Decided(item.id, reveal=False)),
                    (_("Not now"), None)]

        def chosen(index: int | None) -> None:
            message = answers[index][1] if index is not None else None
            if message is not None:
                self.post_message(message)

        self.app.push_screen(ChoiceDialog(question, [label for label, _m in answers]),
                             chosen)

    def action_discard(self) -> None:
        item = self._chosen()
        if item is not None:
            self.post_message(self.Decided(item.id, reveal=False))

    def action_discard_phone(self) -> None:
        item = self._chosen()
        if item is not None and item.source is not None:
            self.post_message(self.DiscardMany(item.source))

    def action_discard_all(self) -> None:
        if self.items:
            self.post_message(self.DiscardMany(None))

    def action_back(self) -> None:
        self.post_message(self.Done())
