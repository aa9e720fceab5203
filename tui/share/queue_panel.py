"""What the room sent, waiting for the facilitator: one line each, revealed (Enter) or
discarded (Delete), or discarded at once: all one phone sent (x) or everything waiting
(shift+Delete), which ctrl+z undoes. Hidden on the projector view: it shows what nobody has
let in yet."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from kring.sessions.i18n import N_, _
from kring.sessions.model.labels import capture_label
from kring.sessions.share.queue import Contribution
from kring.tui.plain_text import plain_text


class QueuePanel(OptionList):
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
        """The facilitator revealed or discarded a contribution; ``reveal`` says which."""

        def __init__(self, item_id: str, reveal: bool) -> None:
            super().__init__()
            self.item_id = item_id
            self.reveal = reveal

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

    def show_items(self, items: list[Contribution]) -> None:
        if [i.id for i in items] == [i.id for i in self.items]:
            return
        highlighted = self.highlighted
        self.items = list(items)
        self.clear_options()
        self.add_options([Option(self._row(item), id=item.id) for item in items])
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)
        self.border_title = _("From the room: {n} waiting (Enter reveals, Delete discards, "
                              "x all from that phone)").format(n=len(items))
        self.set_class(bool(items), "-waiting")

    @staticmethod
    def _row(item: Contribution) -> Text:
        # Drawn the moment it arrives, before anyone revealed it: the last guard (the server
        # made it plain already) against a phone's escape codes reaching this terminal.
        who = item.author or _("anonymous")
        return plain_text((f"{capture_label(item.kind)} · {who}: ", "bold"), item.text,
                          one_line=True)

    def _chosen(self) -> Contribution | None:
        index = self.highlighted
        return self.items[index] if index is not None and index < len(self.items) else None

    def action_reveal(self) -> None:
        item = self._chosen()
        if item is not None:
            self.post_message(self.Decided(item.id, reveal=True))

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
