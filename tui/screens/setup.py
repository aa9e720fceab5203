"""Setting a meeting up in a minute: group, protocol, who is there and in which role.

Names (a community's members, synced from another laptop) and templates may hold anything:
what this screen shows of them is made plain (``tui/plain_text.py``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
    TextArea,
)

from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.meeting.setup import MeetingPlan, role_label, split_names
from kring.sessions.model.meeting import Case, Meeting
from kring.sessions.model.protocol import Block, Need, Protocol, Role
from kring.sessions.plain import plain_line
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, made_plain, plain_text
from kring.tui.screens.dialogs import ConfirmDialog
from kring.tui.widgets.line import LineInput

if TYPE_CHECKING:
    from kring.tui.app import KringApp


class ParticipantList(ListView):
    """The participants, in order. The screen owns the plan and hands the names down; what
    is asked of a name goes up as a message."""

    HELP = N_("In the list of participants (under the field their names are typed in)")

    class NameMessage(Message):
        """Something asked of one participant, by name."""

        def __init__(self, participants: ParticipantList, name: str) -> None:
            super().__init__()
            self.participants = participants
            self.name = name

        @property
        def control(self) -> ParticipantList:
            return self.participants

    class RemoveRequested(NameMessage):
        """Take ``name`` off the list."""

    class MoveRequested(NameMessage):
        """Move ``name`` ``offset`` places (-1 up, 1 down)."""

        def __init__(self, participants: ParticipantList, name: str, offset: int) -> None:
            super().__init__(participants, name)
            self.offset = offset

    class ConsentToggled(NameMessage):
        """Research consent for ``name`` is to be given, or withdrawn, from today."""

    BINDINGS = [
        Binding("delete", "remove_participant", N_("Remove")),  # never a letter: names are typed
        Binding("space", "toggle_consent", N_("Research consent")),
        Binding("shift+up", "move_participant(-1)", N_("Move up")),
        Binding("shift+down", "move_participant(1)", N_("Move down")),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names: list[str] = []

    def show_names(self, names: list[str], highlight: str | None = None,
                   consenting: frozenset[str] = frozenset()) -> None:
        """Replace the rows; the cursor stays on ``highlight``, or where it was. Names in
        ``consenting`` are marked as giving research consent."""
        index = names.index(highlight) if highlight in names else self.index
        self.names = list(names)
        self.clear()
        mark = "  ✓ " + _("research consent")
        self.extend(ListItem(Label(plain_text(name + (mark if name in consenting else ""),
                                              one_line=True)))
                    for name in names)
        if index is not None and names:
            self.index = min(index, len(names) - 1)

    def _highlighted(self) -> str | None:
        index = self.index
        return self.names[index] if index is not None and index < len(self.names) else None

    def action_remove_participant(self) -> None:
        if (name := self._highlighted()) is not None:
            self.post_message(self.RemoveRequested(self, name))

    def action_toggle_consent(self) -> None:
        if (name := self._highlighted()) is not None:
            self.post_message(self.ConsentToggled(self, name))

    def action_move_participant(self, offset: int) -> None:
        if (name := self._highlighted()) is not None:
            self.post_message(self.MoveRequested(self, name, offset))


class SetupScreen(PlainNotify, TranslatedBindings, Screen[Meeting | None]):
    CSS_PATH = "setup.tcss"
    AUTO_FOCUS = "#community"

    BINDINGS = [
        Binding("ctrl+s", "start", N_("Start meeting")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    app: KringApp

    def __init__(self) -> None:
        super().__init__()
        self.protocols: list[Protocol] = []
        self.plan: MeetingPlan | None = None

    def compose(self) -> ComposeResult:
        app = self.app
        self.protocols = [e.protocol for e in app.catalog.listed(prefer=app.language)]
        communities = [plain_line(c.name) for c in app.store.communities()]
        with VerticalScroll(id="setup"):
            yield Label(_("New meeting"), classes="title")
            with Horizontal(classes="row"):
                yield Label(_("Community or group"), classes="field")
                yield Input(id="community", compact=True,
                            placeholder=_("e.g. CoP Passend onderwijs"),
                            suggester=SuggestFromList(communities, case_sensitive=False))
            with Horizontal(classes="row"):
                yield Label(_("Date"), classes="field")
                today = app.clock.now().astimezone().date()
                yield Input(today.isoformat(), id="date", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Goal of the meeting"), classes="field")
                yield Input(id="goal", compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Protocol"), classes="field")
                yield Select([(plain_text(f"{p.name} ({p.language}, "
                                          f"{p.planned_minutes():g} min)", one_line=True), i)
                              for i, p in enumerate(self.protocols)],
                             value=0, allow_blank=False, id="protocol", compact=True)
            yield Static("", id="preview")
            with Horizontal(classes="row"):
                yield Label(_("Participants"), classes="field")
                yield LineInput(id="participant", compact=True, placeholder=_("a name, then Enter"))
            yield ParticipantList(id="participants")
            yield Vertical(id="roles")
            # The case as the case-bringer brings it in: what it is, in short, and what they
            # ask of the group. All optional here; F3 edits all three during the meeting.
            with Horizontal(classes="row"):
                yield Label(_("Case title"), classes="field")
                yield Input(id="case-title", compact=True,
                            placeholder=_("optional: also possible later"))
            with Horizontal(classes="row"):
                yield Label(_("Case summary"), classes="field")
                yield TextArea(id="intake", soft_wrap=True, compact=True)
            with Horizontal(classes="row"):
                yield Label(_("Focus question"), classes="field")
                yield Input(id="focus-question", compact=True, placeholder=_(
                    "what the case-bringer asks of the group"))
            with Horizontal(classes="row"):
                yield Label(_("Names to protect"), classes="field")
                yield Input(id="protected", compact=True, placeholder=_(
                    "pupils, parents: comma-separated; the minutes show pseudonyms"))
            yield Static("", id="setup-problems")
            with Horizontal(id="setup-buttons"):
                yield Button(_("Start meeting (ctrl+s)"), variant="primary", id="start")
                yield Button(_("Cancel (esc)"), id="cancel")
        yield Footer()

    async def on_mount(self) -> None:
        # person key -> (name, consent): saved with the roster when the meeting starts.
        self.consent_changes: dict[str, tuple[str, bool]] = {}
        self.plan = MeetingPlan(self.protocols[0])
        await self.show_protocol()

    # -- keeping the plan and the form in step -----------------------------------------------

    @property
    def current(self) -> MeetingPlan:
        assert self.plan is not None
        return self.plan

    @on(Select.Changed, "#protocol")
    async def protocol_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and self.plan is not None:
            self.plan.protocol = self.protocols[event.value]
            await self.show_protocol()

    async def show_protocol(self) -> None:
        protocol = self.current.protocol
        text = Text(protocol.summary + "\n", style="italic")  # a template: made plain below
        for item in protocol.items:
            if isinstance(item, Block):
                text.append(f"  ⟳ {item.title} ({_('for each participant')})\n", style="bold")
                for phase in item.phases:
                    text.append(f"      {phase.minutes:>4g}′  {phase.title}\n")
            else:
                text.append(f"  {item.minutes:>4g}′  {item.title}\n")
        people = max(len(self.current.participants), protocol.min_participants)
        text.append(_("Total: {minutes} minutes").format(
            minutes=f"{protocol.planned_minutes(people):g}"), style="bold")
        self.query_one("#preview", Static).update(made_plain(text))
        await self.build_roles()

    async def build_roles(self) -> None:
        """One chooser per role the protocol uses; rebuilt only when the protocol changes."""
        box = self.query_one("#roles", Vertical)
        await box.remove_children()
        plan = self.current
        rows = []
        for role, need in plan.protocol.roles.items():
            if role is Role.CASE_BRINGER and plan.rotating_case_bringer:
                continue
            label = role_label(role) + ("" if need is Need.REQUIRED else _(" (optional)"))
            select: Select[str] = Select([], prompt=_("choose…"), id=f"role-{role.value}",
                                         compact=True)
            rows.append(Horizontal(Label(label.capitalize(), classes="field"), select,
                                   classes="row"))
        await box.mount_all(rows)
        self.show_role_options()

    def show_role_options(self) -> None:
        plan = self.current
        options = [(plain_text(name, one_line=True), name) for name in plan.participants]
        for select in self.query("#roles Select").results(Select):
            role = Role(str(select.id).removeprefix("role-"))
            chosen = plan.roles.get(role)
            with select.prevent(Select.Changed):
                select.set_options(options)
                if chosen in plan.participants:
                    select.value = chosen
        self.show_problems()

    @on(Select.Changed, "#roles Select")
    def role_changed(self, event: Select.Changed) -> None:
        role = Role(str(event.select.id).removeprefix("role-"))
        if isinstance(event.value, str):
            self.current.roles[role] = event.value
        else:
            self.current.roles.pop(role, None)
        self.show_problems()

    @on(LineInput.Committed, "#participant")
    def add_participant(self, event: LineInput.Committed) -> None:
        if self.current.add_participant(event.text):
            self.show_participants()
        else:
            self.notify(_("That name is already on the list."), severity="warning")

    @on(Input.Changed, "#community")
    def community_changed(self, event: Input.Changed) -> None:
        self.current.community = event.value
        self.show_problems()

    @on(Input.Submitted, "#community")
    def community_chosen(self, event: Input.Submitted) -> None:
        known = {c.name.casefold(): c for c in self.app.store.communities()}
        community = known.get(event.value.strip().casefold())
        if community is not None and not self.current.participants:
            for member in community.members:
                self.current.add_participant(member)
            self.show_participants()
            self.notify(ngettext("Filled in the {n} member of {community}.",
                                 "Filled in the {n} members of {community}.",
                                 len(community.members)).format(
                n=len(community.members), community=community.name))
        self.focus_next()

    def show_participants(self, highlight: str | None = None) -> None:
        consenting = self._consenting(self.current.participants)
        self.query_one(ParticipantList).show_names(self.current.participants, highlight,
                                                   consenting)
        self.show_role_options()

    def _consenting(self, names: list[str]) -> frozenset[str]:
        """Who gives research consent as this setup leaves it: as changed here, else as the
        community has it today (its file read once for the whole list)."""
        from kring.sessions.model.consent import consented_on, person_key

        community = next((c for c in self.app.store.communities()
                          if c.name.casefold() == self.current.community.strip().casefold()),
                         None)
        today = self.app.clock.now().date()

        def consents(name: str) -> bool:
            changed = self.consent_changes.get(person_key(name))
            if changed is not None:
                return changed[1]
            return community is not None and consented_on(community.consents, name, today)

        return frozenset(name for name in names if consents(name))

    @on(ParticipantList.ConsentToggled)
    def toggle_consent(self, event: ParticipantList.ConsentToggled) -> None:
        from kring.sessions.model.consent import person_key

        given = event.name in self._consenting([event.name])
        self.consent_changes[person_key(event.name)] = (event.name, not given)
        self.show_participants(highlight=event.name)

    @on(ParticipantList.RemoveRequested)
    def remove_participant(self, event: ParticipantList.RemoveRequested) -> None:
        self.current.remove_participant(event.name)
        self.show_participants()

    @on(ParticipantList.MoveRequested)
    def move_participant(self, event: ParticipantList.MoveRequested) -> None:
        self.current.move_participant(event.name, event.offset)
        self.show_participants(highlight=event.name)

    def show_problems(self) -> None:
        problems = self.current.problems()
        label = self.query_one("#setup-problems", Static)
        label.update(plain_text("\n".join(f"• {p}" for p in problems) if problems
                                else _("Ready to start.")))
        label.set_class(bool(problems), "-problems")

    # -- leaving -----------------------------------------------------------------------------

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        plan = self.current
        plan.goal = self.query_one("#goal", Input).value
        plan.case = Case(title=self.query_one("#case-title", Input).value.strip(),
                         summary=self.query_one("#intake", TextArea).text.strip(),
                         focus_question=self.query_one("#focus-question", Input).value.strip())
        plan.protected_names = split_names(self.query_one("#protected", Input).value)
        try:
            plan.date = date.fromisoformat(self.query_one("#date", Input).value.strip())
        except ValueError:
            self.notify(_("The date should look like 2026-11-25."), severity="error")
            return
        problems = plan.problems()
        if problems:
            self.show_problems()
            self.notify(problems[0], severity="error")
            return
        self.dismiss(plan.create(self.app.clock))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        plan = self.current
        typed = plan.participants or plan.community.strip() or any(
            w.value.strip() for w in self.query("#goal, #case-title, #focus-question")
            .results(Input)) or self.query_one("#intake", TextArea).text.strip()
        if not typed:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(_("Discard this meeting's setup?"), _("Discard")),
                             answer)
