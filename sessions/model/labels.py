"""The protocol's words as people read them, in the interface's language.

The enums in ``sessions/model/protocol.py`` hold the words written in template files and meeting
files ("case-bringer", "round"); those stay English whatever the language, so that a file
reads the same everywhere. What a screen or ``kring templates show`` prints comes from here.
In English a label is the file's own word where that reads well, so nothing a user has
learned from the templates changes. The role labels live in ``sessions/meeting/setup.py``
(``role_label``), where setting up a meeting needs them.
"""

from __future__ import annotations

from collections.abc import Callable

from kring.sessions.i18n import _
from kring.sessions.model.kinds import KIND, Capture
from kring.sessions.model.meeting import ActionStatus
from kring.sessions.model.protocol import CaseBringer, InputMode, Need, Speakers


def speakers_label(speakers: Speakers) -> str:
    """Who has the floor."""
    return {
        Speakers.EVERYONE: _("everyone"),
        Speakers.CASE_BRINGER: _("case-bringer"),
        Speakers.GROUP: _("group"),
        Speakers.FACILITATOR: _("facilitator"),
        Speakers.NOBODY: _("nobody"),
    }[speakers]


def case_bringer_label(state: CaseBringer) -> str:
    """What the case-bringer does meanwhile; it follows the word "case-bringer" ("case-bringer
    listens"), so a translation is a verb phrase."""
    return {
        CaseBringer.SPEAKS: _("speaks"),
        CaseBringer.ANSWERS: _("answers"),
        CaseBringer.LISTENS: _("listens"),
        CaseBringer.AWAY: _("away"),
        CaseBringer.WRITES: _("writes"),
    }[state]


def input_label(mode: InputMode) -> str:
    return {
        InputMode.PRESENTATION: _("presentation"),
        InputMode.WRITING: _("writing"),
        InputMode.ROUND: _("round"),
        InputMode.DISCUSSION: _("discussion"),
    }[mode]


def capture_label(kind: Capture) -> str:
    """The kind of an entry, from the table of kinds (``sessions/model/kinds.py``)."""
    return _(KIND[kind].label)


def capture_hint(kind: Capture) -> str:
    """What the capture line invites in a phase whose entries are of ``kind``: "Type a
    question", "Type advice"; one phrase per kind, so each language gets its articles right."""
    return _(KIND[kind].hint)


def need_label(need: Need) -> str:
    """Whether a protocol needs a role filled."""
    return {Need.REQUIRED: _("required"), Need.OPTIONAL: _("optional")}[need]


def status_label(status: ActionStatus, t: Callable[[str], str] | None = None) -> str:
    """An action point's status; ``t`` translates into a document's own language (the
    minutes), and by default the interface's language is used."""
    t = t or _
    return {
        ActionStatus.OPEN: t("open"),
        ActionStatus.DONE: t("done"),
        ActionStatus.DROPPED: t("dropped"),
        ActionStatus.CARRIED_ON: t("carried on"),
    }[status]
