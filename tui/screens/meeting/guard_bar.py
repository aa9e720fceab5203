"""The privacy guard in the meeting: what it is doing, and what it found that nobody protected.

It owns the findings: it asks the app's guard (``tui/guard.py``) about every text others may
read (the case, the entries that are not private) and what the room sent waiting to be
revealed, each text once, and leaves out what is known (participants, protected names, what
the community dismissed). It posts ``Found`` when they change; the screen marks the entries
and the waiting contributions. What it says names what it found, so it is the note-taker's
alone: hidden on the projector view (meeting.tcss), never on the phones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from kring.sessions.guard.meeting import Finding, Verdict, known_in, texts_of
from kring.sessions.guard.process import GuardState
from kring.sessions.guard.spotting import Span, worth_asking
from kring.sessions.i18n import _, ngettext
from kring.sessions.meeting.live import LiveMeeting
from kring.tui.screens.meeting.entries import MeetingEntries

if TYPE_CHECKING:
    from kring.tui.app import KringApp


class GuardBar(Static):
    DEFAULT_CSS = """
    GuardBar {
        height: auto;
        padding: 0 1;
        color: $text-warning;
        display: none;
    }
    GuardBar.-shown {
        display: block;
    }
    """

    class Found(Message):
        def __init__(self, findings: dict[str, list[Finding]], looked: frozenset[str],
                     state: GuardState) -> None:
            super().__init__()
            # By where: an entry's id, a part of the case, or a waiting contribution's id.
            self.findings = findings
            self.looked = looked  # where the guard has read the text (found or not)
            self.state = state

    app: KringApp

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__("", id="guard-bar", markup=False)
        self.live = live
        self.findings: dict[str, list[Finding]] = {}
        self.dismissed: list[str] = []
        self.waiting: dict[str, str] = {}  # the room's contributions: text by id
        self._spans: dict[str, list[Span]] = {}  # by text: each text is asked about once
        self._told: tuple[object, ...] = ()

    def on_mount(self) -> None:
        guard = self.app.guard
        if guard is None:
            return
        from kring.sessions.store.rosters import dismissed_words

        self.dismissed = dismissed_words(self.app.store, self.live.meeting.community)
        guard.changed.subscribe(self, lambda _state: self.look())
        self.look()

    def dismiss_words(self, words: list[str]) -> None:
        self.dismissed = [*self.dismissed, *words]
        self.look()

    def look_at_waiting(self, waiting: dict[str, str]) -> None:
        """What the room sent that waits to be revealed: read before anyone can reveal it."""
        self.waiting = waiting
        self.look()

    def look(self) -> None:
        """Ask about what is new, then work out the findings again (a protected name or a
        dismissed word changes them without a new text). Called on every Enter and change:
        without a guard it costs nothing, not even a worker."""
        if self.app.guard is not None:
            self._look()

    @property
    def verdict(self) -> Verdict | None:
        """What the minutes written now say of the guard; None while it has not read
        everything the minutes hold (loading, or a line typed a moment ago)."""
        guard = self.app.guard
        if guard is None or guard.state is GuardState.OFF:
            return Verdict.OFF
        texts = texts_of(self.live)
        if guard.state is not GuardState.READY or any(text not in self._spans
                                                      for _where, text in texts):
            return None
        return Verdict.of(self._findings_in(texts))

    def unprotected(self) -> list[str]:
        """What it found in the meeting (not the waiting contributions), each once."""
        return list(dict.fromkeys(finding.span.text for where, found in self.findings.items()
                                  if where not in self.waiting for finding in found))

    def _findings_in(self, texts: list[tuple[str, str]]) -> dict[str, list[Finding]]:
        known = known_in(self.live, self.dismissed)
        today = self.live.clock.now().date()
        findings: dict[str, list[Finding]] = {}
        for where, text in texts:
            found = worth_asking(self._spans.get(text, ()), text, known, today)
            if found:
                findings[where] = [Finding(where, span) for span in found]
        return findings

    @work(group="guard", exclusive=True)
    async def _look(self) -> None:
        guard = self.app.guard
        assert guard is not None
        texts = [*texts_of(self.live), *self.waiting.items()]
        new = list(dict.fromkeys(text for _where, text in texts if text not in self._spans))
        if new and guard.state is GuardState.READY:
            spans = await guard.spot(new)
            if spans is not None:
                self._spans.update(zip(new, spans, strict=True))
        findings = self._findings_in(texts)
        looked = frozenset(where for where, text in texts if text in self._spans)
        self.findings = findings
        self._say(guard.state, guard.problem)
        told = (findings, looked, guard.state)
        if told != self._told:
            self._told = told
            self.post_message(self.Found(findings, looked, guard.state))

    def _say(self, state: GuardState, problem: str | None) -> None:
        if state is GuardState.OFF:
            text = _("🛡 The privacy guard is off: {why}").format(why=problem or "?")
        elif state is GuardState.BUILDING:
            text = _("🛡 The privacy guard is building its lists of names and places: the "
                     "first time only, a few minutes…")
        elif state is not GuardState.READY:
            text = _("🛡 The privacy guard is loading…")
        elif names := self.unprotected():
            # The room's contributions are marked in their queue, which says what to do.
            # The keys as bound, never typed into the sentence (tui/screens/help.py).
            keys = {binding.action: self.app.get_key_display(binding)
                    for binding in MeetingEntries.BINDINGS if isinstance(binding, Binding)}
            text = ngettext(
                "🛡 {count} to look at: {names}. In the entries (up): {protect} protects it, "
                "{dismiss} dismisses it.",
                "🛡 {count} to look at: {names}. In the entries (up): {protect} protects "
                "them, {dismiss} dismisses them.",
                len(names)).format(count=len(names), names=", ".join(names),
                                   protect=keys["protect_found"],
                                   dismiss=keys["dismiss_found"])
        else:
            text = ""
        self.update(text)
        self.set_class(bool(text), "-shown")
