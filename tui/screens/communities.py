"""Communities and their rosters, edited in the app: the groups on the left, the chosen
group's members on the right. Names may come from another laptop: every one is shown plain
(``tui/plain_text.py``), its id keeps the name as stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _
from kring.sessions.store import rosters
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.widgets.line import LineInput

if TYPE_CHECKING:
    from kring.tui.app import KringApp


class MemberList(OptionList):
    """The chosen community's members; removing one is asked of the screen, which owns the
    rosters."""

    class RemoveRequested(Message):
        def __init__(self, members: MemberList, member: str) -> None:
            super().__init__()
            self.members = members
            self.member = member

        @property
        def control(self) -> MemberList:
            return self.members

    BINDINGS = [Binding("delete,d", "remove_member", N_("Remove member"))]

    def action_remove_member(self) -> None:
        if self.highlighted is not None:
            member = self.get_option_at_index(self.highlighted).id or ""
            self.post_message(self.RemoveRequested(self, member))


class CommunitiesScreen(PlainNotify, TranslatedBindings, Screen[None]):
    CSS_PATH = "communities.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", N_("Back")),
                Binding("i", "insights", N_("Insights"))]

    app: KringApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="community-pane"):
                yield Label(_("Communities"), classes="pane-title")
                yield OptionList(id="community-list")
                yield LineInput(placeholder=_("new community: a name, then Enter"),
                            id="new-community")
            with Vertical(id="member-pane"):
                yield Label("", id="members-title", classes="pane-title")
                yield MemberList(id="member-list")
                yield LineInput(placeholder=_("add a member: a name, then Enter"),
                                id="new-member")
        yield Footer()

    def on_mount(self) -> None:
        self.show_communities()

    @property
    def selected(self) -> str | None:
        listing = self.query_one("#community-list", OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def show_communities(self, select: str | None = None) -> None:
        listing = self.query_one("#community-list", OptionList)
        communities = self.app.store.communities()
        listing.clear_options()
        listing.add_options(Option(plain_text(c.name, one_line=True), id=c.name)
                            for c in communities)
        names = [c.name for c in communities]
        if names:
            listing.highlighted = names.index(select) if select in names else 0
        self.show_members()

    @on(OptionList.OptionHighlighted, "#community-list")
    def show_members(self) -> None:
        name = self.selected
        found = rosters.find_community(self.app.store, name) if name else None
        title = self.query_one("#members-title", Label)
        members = self.query_one("#member-list", MemberList)
        members.clear_options()
        if found is None:
            title.update(_("No communities yet: type a name on the left."))
            return
        title.update(plain_text(_("Members of {community}").format(community=found.name),
                                one_line=True))
        members.add_options(Option(plain_text(m, one_line=True), id=m) for m in found.members)
        if found.members:
            members.highlighted = 0

    @on(LineInput.Committed, "#new-community")
    def new_community(self, event: LineInput.Committed) -> None:
        name = " ".join(event.text.split())
        if not name:
            return
        created = rosters.remember_roster(self.app.store, name, [])
        self.show_communities(select=created.name)

    @on(LineInput.Committed, "#new-member")
    def new_member(self, event: LineInput.Committed) -> None:
        name, member = self.selected, " ".join(event.text.split())
        if not name:
            event.input.give_back(event.text)
            return
        self._edit(lambda: rosters.add_member(self.app.store, name, member))

    @on(MemberList.RemoveRequested)
    def remove_member(self, event: MemberList.RemoveRequested) -> None:
        name, member = self.selected, event.member
        if name is None:
            return
        self._edit(lambda: rosters.remove_member(self.app.store, name, member))
        self.notify(_("Removed {member}.").format(member=member))

    def action_insights(self) -> None:
        """The chosen community's insights (over every meeting it held)."""
        if self.selected is None:
            self.notify(_("No communities yet: type a name on the left."))
            return
        # Imported here: plotext and the plots need not load with the list of communities.
        from kring.tui.screens.insights import InsightsScreen

        self.app.push_screen(InsightsScreen(self.selected))

    def _edit(self, change: Callable[[], object]) -> None:
        try:
            change()
        except StoreError as error:
            self.notify(error.message, severity="error")
        self.show_members()
