"""Small modal dialogs: confirm, edit a text, the case's details in one form, choose from a
list, review before ending. What they show of names and texts is made plain
(``tui/plain_text.py``): it may come from a phone or another laptop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea

from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.model.dates import long_date
from kring.sessions.model.meeting import Case, Entry
from kring.sessions.plain import plain, plain_line
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import Part, plain_text

# Absolute: Textual reads a relative CSS_PATH beside the module of the class that uses it, and
# the meeting screen's questions (tui/screens/meeting/closing.py) are subclasses of these.
STYLES = Path(__file__).with_name("dialogs.tcss")


class ConfirmDialog(TranslatedBindings, ModalScreen[bool]):
    CSS_PATH = STYLES
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, message: str, confirm: str, *, safe: bool = False) -> None:
        """``safe``: confirming loses nothing (leaving a meeting that stays in progress), so
        it is the default button and Enter does it; otherwise Cancel is."""
        super().__init__(classes="dialog")
        self.message = message
        self.confirm = confirm
        self.safe = safe

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(plain(self.message), markup=False, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm, variant="primary" if self.safe else "error",
                             id="confirm")
                yield Button(_("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        # The default is the choice that cannot lose anything.
        self.query_one("#confirm" if self.safe else "#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class TextDialog(TranslatedBindings, ModalScreen[str | None]):
    """Edit a text (ctrl+s saves, escape cancels), or just read one."""

    CSS_PATH = STYLES
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, title: str, value: str, read_only: bool = False) -> None:
        super().__init__(classes="dialog")
        self.title_text = plain_line(title)
        self.value = plain(value)  # what is edited is what was shown: plain
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield TextArea(self.value, read_only=self.read_only, soft_wrap=True, id="text")
            with Horizontal(classes="dialog-buttons"):
                if not self.read_only:
                    yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Close (esc)") if self.read_only else _("Cancel (esc)"),
                             id="cancel")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if not self.read_only:
            self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CaseDialog(TranslatedBindings, ModalScreen[Case | None]):
    """The case in one form: its title, its summary and the case-bringer's focus question.
    ctrl+s saves all three at once; Esc keeps them as they were, asking first when something
    was changed, so nothing typed is thrown away by one key."""

    CSS_PATH = STYLES
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__(classes="dialog")
        self.case = case
        self.shown = Case(title=plain_line(case.title).strip(), summary=plain(case.summary).strip(),
                          focus_question=plain(case.focus_question).strip())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box case-box"):
            yield Label(_("Case details"), classes="dialog-title")
            yield Label(_("Case title"))
            yield Input(plain_line(self.case.title), id="case-title", compact=True)
            yield Label(_("Case summary"))
            yield TextArea(plain(self.case.summary), soft_wrap=True, compact=True,
                           id="case-summary")
            yield Label(_("The case-bringer's focus question"))
            yield TextArea(plain(self.case.focus_question), soft_wrap=True, compact=True,
                           id="case-focus")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Save (ctrl+s)"), variant="primary", id="save")
                yield Button(_("Cancel (esc)"), id="cancel")

    def typed(self) -> Case:
        return Case(title=self.query_one("#case-title", Input).value.strip(),
                    summary=self.query_one("#case-summary", TextArea).text.strip(),
                    focus_question=self.query_one("#case-focus", TextArea).text.strip())

    @on(Input.Submitted, "#case-title")
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.typed())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self.typed() == self.shown:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(_("Discard the changes to the case?"),
                                           _("Discard")), answer)


class ChoiceDialog(TranslatedBindings, ModalScreen[int | None]):
    CSS_PATH = STYLES
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, options: list[str], selected: int = 0) -> None:
        super().__init__(classes="dialog")
        self.title_text = plain_line(title)
        self.options = options
        self.selected = selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[plain_text(o, one_line=True) for o in self.options],
                             id="choices")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = self.selected

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EndMeetingDialog(TranslatedBindings, ModalScreen[bool]):
    """Before the meeting closes: every action point with its owner and due date, or a
    deliberate 'none'. Missing owners and dates are shown, so they can still be added; and,
    ended before the last phase, which phase it is and that the rest is left out: one
    dialog, its default the ending it was opened for (F10 twice, or F10 and Enter)."""

    CSS_PATH = STYLES
    BINDINGS = [
        Binding("f10", "confirm", N_("End meeting")),  # F10 twice ends, as the button says
        Binding("escape", "cancel", N_("Back to the meeting")),
    ]

    def __init__(self, actions: list[Entry], today: date, language: str,
                 early: tuple[int, int] | None = None, unprotected: list[str] | None = None,
                 protect_key: str = "") -> None:
        super().__init__(classes="dialog")
        self.actions = actions
        self.today = today
        self.language = language  # of the due dates
        self.early = early  # (phase, of how many) when the meeting ends before its last
        self.unprotected = unprotected or []  # what the privacy guard found, still as typed
        self.protect_key = protect_key  # the entries' key that protects it, as bound

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(_("Action points"), classes="dialog-title")
            if self.early is not None:
                yield Static(_("This is phase {n} of {total}: the phases still to come are "
                               "left out.").format(n=self.early[0], total=self.early[1]),
                             classes="dialog-message dialog-warning")
            if self.unprotected:
                # The minutes are written as the meeting is: the names in them too, unless
                # they are protected before it ends (the dialog is the last moment to look).
                yield Static(plain_text(ngettext(
                    "The privacy guard found a name nobody protected: {names}. It goes into "
                    "the minutes as typed: go back and protect it ({key} on its entry), or "
                    "end as it is.",
                    "The privacy guard found names nobody protected: {names}. They go into "
                    "the minutes as typed: go back and protect them ({key} on their "
                    "entries), or end as it is.", len(self.unprotected)).format(
                        names=", ".join(self.unprotected), key=self.protect_key)),
                    classes="dialog-message dialog-warning", id="unprotected")
            if self.actions:
                yield Static(self._summary(), classes="dialog-message")
            else:
                yield Static(_("No action points were captured. End the meeting without "
                               "any? (Type “a: what @owner friday” in the meeting to add one.)"),
                             classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                label = (_("End meeting (F10)") if self.actions
                         else _("End without action points (F10)"))
                yield Button(label, variant="error", id="confirm")
                yield Button(_("Back (esc)"), id="cancel")

    def _summary(self) -> Text:
        parts: list[Part] = []
        incomplete = 0
        for entry in self.actions:
            missing = []
            if not entry.owner:
                missing.append(_("no owner"))
            if not entry.due:
                missing.append(_("no due date"))
            incomplete += bool(missing)
            owner = entry.owner or "?"
            due = long_date(entry.due, self.language) if entry.due else "?"
            parts += ["• ", (f"{owner}: ", "bold"), entry.text, f" ({due})"]
            if missing:
                parts.append(("  ⚠ " + ", ".join(missing), "bold yellow"))
            parts.append("\n")
        if incomplete:
            parts.append("\n" + ngettext(
                "{n} action point lacks an owner or a due date. Go back to add it, or end "
                "the meeting as it is.",
                "{n} action points lack an owner or a due date. Go back to add them, or end "
                "the meeting as it is.", incomplete).format(n=incomplete))
        return plain_text(*parts)

    def on_mount(self) -> None:
        # F10 was pressed to end the meeting: Enter (or F10 again) does what was asked; Esc
        # goes back.
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
