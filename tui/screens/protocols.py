"""Browse the protocols: the list on the left, the chosen one's phases on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList
from textual.widgets.option_list import Option

from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.model.labels import input_label, speakers_label
from kring.sessions.model.protocol import Block, Phase
from kring.sessions.plain import plain
from kring.sessions.protocols.catalog import CatalogEntry, Source
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import plain_text

if TYPE_CHECKING:
    from kring.tui.app import KringApp


def protocol_markdown(entry: CatalogEntry) -> str:
    protocol = entry.protocol
    lines = [f"# {protocol.name}", "", protocol.summary, ""]
    if entry.source is Source.USER:
        lines += [_("*Your own template:* `{path}`").format(path=entry.path), ""]
    total = protocol.planned_minutes(protocol.min_participants)
    lines += [ngettext("**{minutes} minutes** · {count} participant or more",
                       "**{minutes} minutes** · {count} participants or more",
                       protocol.min_participants).format(
        minutes=f"{total:g}", count=protocol.min_participants), ""]

    def phase_lines(phase: Phase, depth: int) -> list[str]:
        indent = "  " * depth
        return [f"{indent}- **{phase.title}** ({phase.minutes:g} min): "
                f"{speakers_label(phase.speakers)}, {input_label(phase.input)}"]

    for item in protocol.items:
        if isinstance(item, Block):
            lines.append(f"- **{item.title}** ({_('for each participant')})")
            for phase in item.phases:
                lines += phase_lines(phase, 1)
        else:
            lines += phase_lines(item, 0)
    return "\n".join(lines)


class ProtocolsScreen(TranslatedBindings, Screen[None]):
    CSS_PATH = "protocols.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back"))]

    app: KringApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield OptionList(*[
                Option(plain_text(f"{e.protocol.name} ({e.protocol.language})", one_line=True),
                       id=str(i))
                for i, e in enumerate(self.entries)], id="protocol-list")
            with VerticalScroll(id="protocol-detail"):
                yield Markdown("")
        yield Footer()

    @property
    def entries(self) -> list[CatalogEntry]:
        return self.app.catalog.listed(prefer=self.app.language)

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionHighlighted)
    def show(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.entries[event.option_index]
        self.query_one(Markdown).update(plain(protocol_markdown(entry)))  # a template's
