"""One share code alone on the screen, as large as the terminal allows (a key per code in the
F12 dialog opens it): the way to a code the dialog had no room for, and a code the whole room
can scan from the projector. Its title and URL with it; Escape goes back.

A code is drawn only whole: where even the smallest does not fit, a sentence says how much room
it needs, and the URL is there to type."""

from __future__ import annotations

from math import ceil

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from kring.sessions.i18n import N_, _
from kring.tui.keys import TranslatedBindings
from kring.tui.share.qr import qr_size, qr_text

LARGEST = 4  # columns a module at most: larger, a phone held near has to step back to see it
AROUND = 3  # lines beside the code: its title above, the URL and the way back below


class QrScreen(TranslatedBindings, ModalScreen[None]):
    DEFAULT_CSS = """
    QrScreen {
        align: center middle;
        background: $surface;  /* opaque: nothing else on screen for a camera to find */
    }
    QrScreen #qr-large {
        width: auto;
        max-width: 100%;
        height: auto;
    }
    QrScreen #qr-large-title {
        text-style: bold;
    }
    QrScreen #qr-large > Static {
        width: auto;
        max-width: 100%;
    }
    QrScreen #qr-large-back {
        color: $text-muted;
    }
    """
    BINDINGS = [Binding("escape", "close", N_("Close"))]

    def __init__(self, title: str, url: str) -> None:
        super().__init__()
        self.title_text = title
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical(id="qr-large"):
            yield Label(self.title_text, id="qr-large-title", markup=False)
            yield Static(id="qr-large-code")
            yield Static(id="qr-large-too-small")
            yield Static(self.url, id="qr-large-url", markup=False)
            yield Static(_("Escape: back"), id="qr-large-back")

    def on_mount(self) -> None:
        self.fit(self.app.size)

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size)

    def scale_for(self, size: Size) -> int:
        """The largest scale at which the code, with what is said beside it, fits ``size``
        whole; 0 if not even the smallest does."""
        url_lines = ceil(len(self.url) / max(size.width, 1))
        for scale in range(LARGEST, 0, -1):
            width, height = qr_size(self.url, scale)
            if width <= size.width and height + AROUND - 1 + url_lines <= size.height:
                return scale
        return 0

    def fit(self, size: Size) -> None:
        scale = self.scale_for(size)
        code = self.query_one("#qr-large-code", Static)
        note = self.query_one("#qr-large-too-small", Static)
        code.display = scale > 0
        note.display = scale == 0
        if scale:
            code.update(qr_text(self.url, scale))
        else:
            width, height = qr_size(self.url)
            note.update(_("This terminal is too small to show the whole code: it needs "
                          "{columns} columns and {lines} lines. Make the window larger, or "
                          "type the URL.").format(columns=width, lines=height + AROUND))

    def action_close(self) -> None:
        self.dismiss(None)
