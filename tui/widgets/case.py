"""The case on the meeting screen: its title and the case-bringer's focus question always in
sight (the consultancy protocol is built around that question), its summary one click away.
F3 edits all three."""

from __future__ import annotations

from textual.widgets import Collapsible, Static

from kring.sessions.i18n import _
from kring.sessions.model.meeting import Case
from kring.sessions.plain import plain_line
from kring.tui.plain_text import plain_text


def case_heading(case: Case) -> str:
    """The one line the panel shows folded: what the case is and what is asked about it."""
    if not (case.title or case.summary or case.focus_question):
        return _("Case: not filled in yet (F3)")
    heading = _("Case: {title}").format(title=case.title or "—")
    if case.focus_question:
        heading += " · " + _("Focus question: {question}").format(
            question=" ".join(case.focus_question.split()))
    return heading


class CasePanel(Collapsible):
    DEFAULT_CLASSES = "case-panel"
    DEFAULT_CSS = """
    CasePanel.case-panel {
        height: auto;
        margin-top: 0;
        padding: 0;
        border: none;
        background: transparent;
    }

    CasePanel.case-panel CollapsibleTitle {
        padding: 0 1;
        width: 100%;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $text-muted;
    }

    CasePanel.case-panel Contents {
        padding: 0 1 0 3;
        height: auto;
    }

    CasePanel.case-panel .case-focus {
        text-style: bold;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        self.summary = Static("", classes="case-summary", markup=False)
        self.focus_question = Static("", classes="case-focus", markup=False)
        super().__init__(self.summary, self.focus_question, title="", collapsed=True, id=id)
        # Folded and unfolded by a click only: a title that takes the focus would swallow
        # what the note-taker types after a stray Tab.
        self._title.can_focus = False

    def show(self, case: Case) -> None:
        # The case may come from another laptop: shown plain, so it steers no terminal.
        self.title = plain_line(case_heading(case))
        self.summary.update(plain_text(case.summary or _("No summary yet.")))
        self.focus_question.update(plain_text(
            _("Focus question: {question}").format(question=case.focus_question or "—")))
