"""The Kring application and the one factory the command line and the tests both use."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from sessions.catalog import Catalog
from sessions.i18n import _


class KringApp(App[None]):
    TITLE = "Kring"
    CSS_PATH = "app.tcss"
    BINDINGS = [("q", "quit", _("Quit"))]

    def __init__(self, data: Path, catalog: Catalog) -> None:
        super().__init__()
        self.data = data
        self.catalog = catalog

    def compose(self) -> ComposeResult:
        yield Header()
        names = "\n".join(f"• {e.protocol.name} ({e.protocol.language})"
                          for e in self.catalog.listed())
        yield Static(_("Protocols") + "\n\n" + names, id="protocols")
        yield Footer()


def create_app(data: Path, catalog: Catalog) -> KringApp:
    return KringApp(data, catalog)
