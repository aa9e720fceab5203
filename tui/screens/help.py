"""Help: every key of the screen underneath, read from its bindings, so it is never out of
date; the keys of the lists on it that take the focus (their ``HELP`` names them), read from
theirs; and the capture line's prefixes, read from the parser's own table. The prose names
no key: a key named in a sentence once drifted from the binding it described."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from kring.sessions.i18n import N_, _
from kring.sessions.meeting.capture import PREFIXES
from kring.sessions.model.labels import capture_label
from kring.tui.keys import TranslatedBindings, class_bindings, kring_bindings
from kring.tui.widgets.capture import CaptureLine


def key_table(screen: Screen) -> Table:
    table = Table(show_header=True, box=None, padding=(0, 2))
    table.add_column(_("Key"), style="bold", no_wrap=True)
    table.add_column(_("What it does"))
    # Every key of an action ("esc/f4"), not only the first: the one a person knows may
    # be the second.
    keys: dict[tuple[int, str], list[str]] = defaultdict(list)
    for active in screen.active_bindings.values():
        keys[id(active.node), active.binding.action].append(
            screen.app.get_key_display(active.binding))
    for active in kring_bindings(screen):
        names = keys[id(active.node), active.binding.action]
        table.add_row("/".join(dict.fromkeys(names)), active.binding.description)
    return table


def widget_tables(screen: Screen) -> list[tuple[str, Table]]:
    """For each kind of widget on ``screen`` that says where it is (``HELP``), its keys: what
    focusing it offers beyond the screen's."""
    tables: list[tuple[str, Table]] = []
    seen: set[type] = set()
    for widget in screen.query("*"):
        kind = type(widget)
        title = getattr(kind, "HELP", None)
        if title is None or kind in seen:
            continue
        seen.add(kind)
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in widget_bindings(kind):
            names = [screen.app.get_key_display(one) for one in Binding.make_bindings([binding])]
            table.add_row("/".join(names), _(binding.description))
        tables.append((_(title), table))
    return tables


def widget_bindings(kind: type) -> list[Binding]:
    """The described bindings Kring's classes in ``kind``'s ancestry declare."""
    return [binding for binding in class_bindings(kind) if binding.description]


def prefix_table() -> Table:
    words: dict[str, list[str]] = defaultdict(list)
    for word, kind in PREFIXES.items():
        words[capture_label(kind)].append(f"{word}:")
    table = Table(show_header=True, box=None, padding=(0, 2))
    table.add_column(_("Start a line with"), style="bold")
    table.add_column(_("to capture a"))
    for label, prefixes in words.items():
        table.add_row(" ".join(prefixes), label)
    return table


class HelpScreen(TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", N_("Close help"))]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(_("Keys (also in the command palette, ctrl+p)"), classes="help-title")
            with VerticalScroll():
                yield Static(key_table(self.under))
                for title, table in widget_tables(self.under):
                    yield Label(title, classes="help-title")
                    yield Static(table)
                if self.under.query(CaptureLine):  # only where there is one to type in
                    yield Label(_("The capture line"), classes="help-title")
                    yield Static(Text(_(
                        "Type and press Enter: the phase decides the kind. A prefix chooses "
                        "another. @name says who said it; for an action point, who will do "
                        "it, and a date at the end says by when (2026-12-01, +7d, friday, "
                        "next week). Start with ! to keep an entry private to the "
                        "facilitator.")))
                    yield Static(prefix_table())
            yield Label(_("esc closes"), classes="help-footer")
