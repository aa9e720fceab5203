"""The template format: its limits, the keys it has, and the table of a phase's fields that both
reading (``template_reader.py``) and writing (``protocol_to_data`` in ``templates.py``) follow,
so a field added to the table is read, checked and written back alike.

Also the problems reading can find: every one names the file, the key path
(``phases[3].minutes``, counted from 1 as people count) and what is wrong, in the interface's
language; key paths, values and the words of the format (``speakers``, ``case-bringer``) stay
as they are written in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path

from kring.sessions.i18n import N_, _
from kring.sessions.model.kinds import Capture
from kring.sessions.model.protocol import (
    CaseBringer,
    CaseField,
    InputMode,
    PhaseKind,
    Speakers,
)

SCHEMA = 1
MAX_BYTES = 256 * 1024  # the longest built-in is a few KB; anything near this is a mistake
MAX_MINUTES = 240
MAX_TEXT = 20_000
MAX_COUNT = 20  # a "minimum per participant" beyond this is a typo
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2}$")


@dataclass(frozen=True, slots=True)
class Problem:
    key: str  # "phases[3].minutes", or "" for the file as a whole
    message: str
    line: int | None = None

    def describe(self, file: str) -> str:
        where = [file]
        if self.line is not None:
            where.append(_("line {line}").format(line=self.line))
        if self.key:
            where.append(self.key)
        return ": ".join([*where, self.message])


class TemplateError(Exception):
    """A template that cannot be used, with every problem found in it."""

    def __init__(self, file: str | Path, problems: Iterable[Problem]) -> None:
        self.file = str(file)
        self.problems = tuple(problems)
        super().__init__("\n".join(p.describe(self.file) for p in self.problems))


PROTOCOL_KEYS = ("schema", "id", "language", "name", "summary", "source", "roles",
                 "participants", "phases")
BLOCK_KEYS = ("id", "title", "repeat", "phases", "optional")


class Read(Enum):
    """How a phase's field is read and checked."""

    ID = "id"  # an id, unique among the protocol's phases and blocks
    TEXT = "text"  # text that is not blank
    MINUTES = "minutes"  # a number of minutes within limits
    CHOICE = "choice"  # one word of an enum
    MEMBERS = "members"  # a list of words of an enum, none twice
    PROMPTS = "prompts"  # a list of texts
    FLAG = "flag"  # true or false
    COUNT = "count"  # a whole number from 0 to MAX_COUNT


class _Required:
    """The default of a field every phase must have."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED = _Required()


@dataclass(frozen=True, slots=True)
class PhaseField:
    """One key of a ``[[phases]]`` table and the ``Phase`` attribute it fills."""

    key: str
    attribute: str
    read: Read
    enum: type[StrEnum] | None = None
    what: str = ""  # N_-marked: what a word of ``enum`` is, for messages ("speaking rule")
    default: object = REQUIRED  # written back only when the value differs from it


# In the order they are read (so problems are listed in it) and written.
PHASE_FIELDS: tuple[PhaseField, ...] = (
    PhaseField("id", "id", Read.ID),
    PhaseField("title", "title", Read.TEXT),
    PhaseField("minutes", "minutes", Read.MINUTES),
    PhaseField("speakers", "speakers", Read.CHOICE, Speakers, N_("speaking rule")),
    PhaseField("case_bringer", "case_bringer", Read.CHOICE, CaseBringer,
               N_("case-bringer rule")),
    PhaseField("input", "input", Read.CHOICE, InputMode, N_("input mode")),
    PhaseField("captures", "captures", Read.MEMBERS, Capture, N_("capture kind")),
    PhaseField("instructions", "instructions", Read.TEXT),
    PhaseField("prompts", "prompts", Read.PROMPTS, default=()),
    PhaseField("case_fields", "case_fields", Read.MEMBERS, CaseField, N_("case field"),
               default=()),
    PhaseField("kind", "kind", Read.CHOICE, PhaseKind, N_("phase kind"),
               default=PhaseKind.REGULAR),
    PhaseField("optional", "optional", Read.FLAG, default=False),
    # What the facilitator's coach expects of the phase (sessions/coach/nudges.py): quiet
    # nudges on the facilitator's screen only, never in any output.
    PhaseField("expects", "expects", Read.MEMBERS, Capture, N_("capture kind"), default=()),
    PhaseField("out_of_place", "out_of_place", Read.MEMBERS, Capture, N_("capture kind"),
               default=()),
    PhaseField("min_each", "min_each", Read.COUNT, default=0),
    PhaseField("open_questions", "open_questions", Read.FLAG, default=False),
)
PHASE_KEYS = tuple(field.key for field in PHASE_FIELDS)
