"""The review of open action points from the community's earlier meetings: each is marked
done, carried on or dropped (with a comment if wanted), and the review goes into these
minutes. Opens by itself in a protocol's review phase; F7 opens it in any meeting."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from kring.sessions.care.followup import mark, open_actions_for_review
from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _
from kring.sessions.model.action_points import ActionItem
from kring.sessions.model.dates import long_date
from kring.sessions.model.labels import status_label
from kring.sessions.model.meeting import ActionStatus
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import Part, PlainNotify, plain_text
from kring.tui.screens.dialogs import TextDialog

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp


class ReviewScreen(PlainNotify, TranslatedBindings, ModalScreen[None]):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("d", "mark('done')", N_("Done")),
        Binding("c", "mark('carried-on')", N_("Carried on")),
        Binding("x", "mark('dropped')", N_("Dropped")),
        Binding("o", "mark('open')", N_("Undo")),
        Binding("n", "comment", N_("Comment")),
        Binding("escape,f7", "dismiss", N_("Back to the meeting")),
        # The app's F1 (a modal screen's footer shows only its own keys).
        Binding("f1", "app.help", N_("Help")),
    ]

    app: KringApp

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__()
        self.live = live
        self.items: list[ActionItem] = []

    @property
    def today(self) -> date:
        return self.live.clock.now().astimezone().date()

    def compose(self) -> ComposeResult:
        with Vertical(id="review-box"):
            yield Label(_("Open action points from earlier meetings"), classes="review-title")
            yield OptionList(id="review-list")
            yield Label("", id="review-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def load(self, keep: int | None = None) -> None:
        self.items = open_actions_for_review(self.app.store, self.live.meeting.community,
                                             self.live.meeting)
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(Option(self._describe(item)) for item in self.items)
        empty = self.query_one("#review-empty", Label)
        empty.display = not self.items
        empty.update(plain_text(_("Nothing to review: no open action points from earlier "
                                  "meetings of {community}.").format(
            community=self.live.meeting.community)))
        if self.items:
            listing.highlighted = min(keep or 0, len(self.items) - 1)

    def _describe(self, item: ActionItem) -> Text:
        """One row; owners, texts and comments from earlier meetings are shown plain."""
        entry, today = item.entry, self.today
        change = item.change_in(self.live.meeting.id)
        mark_ = status_label(change.status) if change else _("to review")
        parts: list[Part] = [(f"[{mark_}] ", "bold" if change else "dim"),
                             (f"{entry.owner or _('no owner yet')}: ", "bold"), entry.text]
        details = [_("raised {days} days ago").format(days=item.age_days(today))]
        if entry.due:
            details.append(_("due {date}").format(date=long_date(entry.due, self.app.language)))
        if change and change.comment:
            details.append(f"“{change.comment}”")
        parts.append(("  (" + ", ".join(details) + ")", "dim"))
        if item.overdue(today) and not change:
            parts.append(("  " + _("overdue"), "bold red"))
        return plain_text(*parts)

    def _selected(self) -> tuple[int, ActionItem] | None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.items):
            return None
        return index, self.items[index]

    def action_mark(self, status: str, comment: str = "") -> None:
        selected = self._selected()
        if selected is None:
            return
        index, item = selected
        try:
            mark(self.app.store, item, ActionStatus(status), in_meeting=self.live.meeting,
                 on=self.today, comment=comment)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        self.load(keep=index + (0 if status == ActionStatus.OPEN else 1))

    def action_comment(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        index, item = selected
        change = item.change_in(self.live.meeting.id)
        status = change.status if change else ActionStatus.CARRIED_ON

        def done(text: str | None) -> None:
            if text is not None:
                self.query_one(OptionList).highlighted = index
                self.action_mark(status.value, text.strip())

        self.app.push_screen(TextDialog(_("Comment"), change.comment if change else ""), done)
