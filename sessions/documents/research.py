"""What of a community's meetings may leave Kring for research, and in what shape.

A research export holds only the words of participants who had consented on the day of the
meeting, no action point whose owner had not (it says what that owner is to do), never a
private entry, protected names as the meeting's pseudonyms (exactly as the minutes show them)
and every participant as a code (P01, P02, ...) instead of a name. The codes
are handed out by first appearance over all the community's meetings, sorted by date and id,
so they stay the same whatever period is exported; the key from codes to names is written on
its own (``key_text``), never into an export. A manifest says what was left out, and why.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from kring.sessions.documents.journal import is_journal_entry
from kring.sessions.model.consent import consented_on
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.name_variants import fold, folded_with_origin
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for, redact_entry
from kring.sessions.protocols.snapshot import meeting_steps
from kring.sessions.store.digest import evaluation_steps

# The reasons an entry is left out, as the manifest names them.
PRIVATE = "private"
NO_CONSENT = "no_consent"
UNATTRIBUTED = "unattributed"  # nobody's words in particular: nobody consented to them
# An action point names who will do it: that owner's part in it leaves only with their consent.
OWNER_NO_CONSENT = "owner_no_consent"
OUT_OF_RANGE = "out_of_range"
REASONS = (PRIVATE, NO_CONSENT, UNATTRIBUTED, OWNER_NO_CONSENT, OUT_OF_RANGE)

# A community's consents as the store keeps them. Only ``consented_on`` looks inside: how they
# are stored is the consent model's business, and may change without this module noticing.
Consents = Any

COLUMNS = ("meeting_id", "date", "community", "loop", "protocol", "phase", "kind", "author", "time",
           "text", "owner", "due", "status", "score")


@dataclass(frozen=True, slots=True)
class ResearchRow:
    """One entry as it may leave: names as codes and pseudonyms, text with LF line ends."""

    meeting_id: str
    date: str
    community: str
    # Which kind of group the words were said in. Kring has no separate school group, CoP or
    # intervision concept (a community has no such field), so this is the community's name.
    loop: str
    protocol: str
    phase: str
    kind: str
    author: str  # a participant code
    time: str
    text: str
    owner: str  # a participant code, or "" (action points only)
    due: str
    status: str
    score: str = ""  # an evaluation's score, 1-5; "" for every other kind
    entry_id: str = field(default="", compare=False)
    # a line of the learning journal: a learning, or a reflection in an evaluation phase
    journal: bool = field(default=False, compare=False)

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        del data["entry_id"], data["journal"]
        return data


@dataclass(frozen=True, slots=True)
class ResearchMeeting:
    meeting_id: str
    date: date
    protocol: str
    rows: tuple[ResearchRow, ...]
    # (participant code, role value) for every role held in the meeting by a coded participant,
    # in the protocol's role order; nobody's name, only codes and role words
    roles: tuple[tuple[str, str], ...] = ()

    def roles_of(self, code: str) -> tuple[str, ...]:
        return tuple(role for holder, role in self.roles if holder == code)


@dataclass(slots=True)
class ResearchExport:
    community: str
    start: date | None
    end: date | None
    meetings: list[ResearchMeeting]
    codes: dict[str, str]  # folded name -> code; never written into an export
    left_out: Counter[str]
    meetings_out_of_range: int = 0

    @property
    def rows(self) -> list[ResearchRow]:
        return [row for meeting in self.meetings for row in meeting.rows]

    @property
    def journal_rows(self) -> list[ResearchRow]:
        """The learning journal's lines, from the rows already filtered for consent, privacy
        and names."""
        return [row for row in self.rows if row.journal]

    def manifest(self, export_format: str) -> dict[str, Any]:
        """What the export holds and what it left out, per reason; no names at all."""
        return {
            "generator": "Kring",
            "format": export_format,
            "community": self.community,
            "from": None if self.start is None else self.start.isoformat(),
            "to": None if self.end is None else self.end.isoformat(),
            "meetings": len(self.meetings),
            "entries": len(self.rows),
            "participants": len({row.author for row in self.rows}),
            "left_out": {reason: self.left_out.get(reason, 0) for reason in REASONS},
            # Each participant code's variables: what they did, from the exported rows.
            "cases": case_variables(self),
            "meetings_out_of_range": self.meetings_out_of_range,
            "rules": {
                PRIVATE: "private entries are never exported",
                NO_CONSENT: "the author had not consented for research on the meeting's date",
                UNATTRIBUTED: "an entry attributed to nobody is nobody's consented words",
                OWNER_NO_CONSENT: "an action point whose owner had not consented for research "
                                  "on the meeting's date",
                OUT_OF_RANGE: "the meeting is outside the period asked for",
            },
        }


def participant_codes(records: Iterable[tuple[Meeting, Sequence[Entry]]]) -> dict[str, str]:
    """Folded name -> "P01", ...: by first appearance over the meetings sorted by date, then
    id; within a meeting its participants in order, then authors and owners of its entries."""
    codes: dict[str, str] = {}

    def see(name: str | None) -> None:
        key = fold(name or "")
        if key and key not in codes:
            codes[key] = f"P{len(codes) + 1:02d}"

    for meeting, entries in sorted(records, key=lambda pair: (pair[0].date, pair[0].id)):
        for name in meeting.participants:
            see(name)
        for entry in entries:
            if not entry.private:
                see(entry.author)
                see(entry.owner)
    return codes


def key_rows(records: Iterable[tuple[Meeting, Sequence[Entry]]]) -> list[tuple[str, str]]:
    """(code, name as first typed), in code order: the key, kept apart from every export."""
    names: dict[str, str] = {}
    pairs = list(records)
    for meeting, entries in sorted(pairs, key=lambda pair: (pair[0].date, pair[0].id)):
        for name in [*meeting.participants, *(e.author for e in entries if not e.private),
                     *(e.owner for e in entries if not e.private)]:
            if name:
                names.setdefault(fold(name), " ".join(name.split()))
    codes = participant_codes(pairs)
    return sorted(((code, names[key]) for key, code in codes.items()), key=lambda row: row[0])


def key_text(records: Iterable[tuple[Meeting, Sequence[Entry]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("code", "name"))
    writer.writerows(key_rows(records))
    return out.getvalue()


# The small words between given name and surname ("Bram de Wit", "Eva van der Berg", "Ali
# bin Omar"): a part of the name, never a name alone. Coded as words, every "de" and "van"
# in the minutes became a member's code, and the text a researcher reads became nonsense.
NAME_PARTICLES = frozenset({
    "de", "der", "den", "het", "t", "'t", "te", "ter", "ten", "van", "von", "vom", "zu", "op",
    "in", "aan", "bij", "uit", "voor", "onder", "la", "le", "les", "du", "da", "di", "del",
    "della", "dos", "das", "do", "y", "e", "bin", "ibn", "al", "el", "ben", "bint", "mac",
    "st", "of",
})


class NameCoder:
    """Replaces participants' names in a text by their codes: the whole name and each of its
    words, ignoring case and accents, wherever they stand as words."""

    def __init__(self, codes: Mapping[str, str]) -> None:
        words: dict[str, str] = {}
        for key, code in codes.items():
            words.setdefault(key, code)
            parts = key.split()
            for part in parts:
                if len(part) > 1 and part not in NAME_PARTICLES:
                    words.setdefault(part, code)
            for start in range(1, len(parts) - 1):  # the surname with its small words
                if parts[start] in NAME_PARTICLES:
                    words.setdefault(" ".join(parts[start:]), code)
        self._codes = words
        longest = sorted(words, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(word) for word in longest) + r")(?!\w)"
        ) if longest else None

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        folded, origin, empty = folded_with_origin(text)
        pieces: list[str] = []
        done = 0
        for match in self._pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            while end < len(text) and empty[end]:
                end += 1
            if start < done:
                continue
            pieces.append(text[done:start])
            pieces.append(self._codes[match.group(1)])
            done = end
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _phases(meeting: Meeting) -> dict[str, str]:
    return {step.key: step.phase.id for step in meeting_steps(meeting)}


def _protocol(meeting: Meeting) -> str:
    value = meeting.protocol.get("id") if isinstance(meeting.protocol, dict) else None
    return value if isinstance(value, str) else ""


def research_export(community: str, records: Iterable[tuple[Meeting, Sequence[Entry]]],
                    consents: Consents, *, start: date | None = None,
                    end: date | None = None) -> ResearchExport:
    """The export of ``community`` from its meetings' ``records`` (all of them: the codes are
    counted over every meeting, the rows only from those dated ``start`` to ``end``)."""
    pairs = sorted(((m, list(e)) for m, e in records if fold(m.community) == fold(community)),
                   key=lambda pair: (pair[0].date, pair[0].id))
    codes = participant_codes(pairs)
    coder = NameCoder(codes)
    left_out: Counter[str] = Counter()
    meetings: list[ResearchMeeting] = []
    skipped_meetings = 0
    for meeting, entries in pairs:
        if (start is not None and meeting.date < start) or (end is not None and meeting.date > end):
            skipped_meetings += 1
            left_out[OUT_OF_RANGE] += sum(1 for entry in entries if not entry.private)
            left_out[PRIVATE] += sum(1 for entry in entries if entry.private)
            continue
        rows = _meeting_rows(meeting, entries, consents, codes, coder, left_out)
        roles = tuple((codes[fold(name)], role) for role, name in meeting.roles.items()
                      if name and fold(name) in codes)
        meetings.append(ResearchMeeting(meeting.id, meeting.date, _protocol(meeting), rows,
                                        roles))
    return ResearchExport(community=community, start=start, end=end, meetings=meetings,
                          codes=codes, left_out=left_out, meetings_out_of_range=skipped_meetings)


def _meeting_rows(meeting: Meeting, entries: Sequence[Entry], consents: Consents,
                  codes: Mapping[str, str], coder: NameCoder,
                  left_out: Counter[str]) -> tuple[ResearchRow, ...]:
    hide: Pseudonymizer = pseudonymizer_for(meeting)  # as the minutes show the names
    phases = _phases(meeting)
    evaluation = evaluation_steps(meeting)
    rows: list[ResearchRow] = []
    for entry in sorted(entries, key=lambda e: (e.created_at, e.id)):
        if entry.private:
            left_out[PRIVATE] += 1
            continue
        if not entry.author or not fold(entry.author):
            left_out[UNATTRIBUTED] += 1
            continue
        if not consented_on(consents, entry.author, meeting.date):
            left_out[NO_CONSENT] += 1
            continue
        owner = entry.owner if entry.owner and fold(entry.owner) else None
        if owner is not None and not consented_on(consents, owner, meeting.date):
            left_out[OWNER_NO_CONSENT] += 1
            continue
        shown = redact_entry(entry, hide)
        rows.append(ResearchRow(
            meeting_id=meeting.id, date=meeting.date.isoformat(), community=meeting.community,
            loop=meeting.community,
            protocol=_protocol(meeting), phase=phases.get(entry.step, entry.step.split("#")[0]),
            kind=entry.kind.value, author=codes[fold(entry.author)],
            time=entry.created_at.isoformat(), text=_lf(coder.apply(shown.text)),
            owner=codes.get(fold(owner), "") if owner else "",
            due=entry.due.isoformat() if entry.due else "",
            status=entry.status.value if entry.kind is Capture.ACTION else "",
            score=str(entry.score) if entry.score is not None else "",
            entry_id=entry.id, journal=is_journal_entry(entry, evaluation)))
    return tuple(rows)


# The variables of each participant code, the case in a REFI-QDA project and in the manifest:
# what they did over the exported meetings, counted from the exported rows alone, so a figure
# holds only what consent let out. (key, name as the analysis program shows it)
VARIABLES = (("community", "community"), ("role", "role"), ("group", "group (community)"),
             ("meetings", "meetings spoken in"), ("entries", "entries"),
             ("questions", "questions asked"), ("cases_brought", "cases brought"),
             ("actions_done", "action points done"), ("actions_open", "action points open"),
             ("mean_score", "mean evaluation score"))
NO_ROLE = "participant"  # a participant who held no role in a meeting


def case_variables(export: ResearchExport) -> dict[str, dict[str, str]]:
    """Participant code -> variable key -> value (text): only codes, role words, counts and
    the community's name, never a participant's name. The role is every role the
    participant held in the exported meetings they spoke in (``participant`` in one where
    they held none), joined; the counts are of their exported rows (an action point counts
    for its owner)."""
    roles: dict[str, list[str]] = {}
    counts: dict[str, Counter[str]] = {}
    scores: dict[str, list[int]] = {}
    for meeting in export.meetings:
        for code in dict.fromkeys(row.author for row in meeting.rows):
            held = roles.setdefault(code, [])
            for role in meeting.roles_of(code) or (NO_ROLE,):
                if role not in held:
                    held.append(role)
            mine = counts.setdefault(code, Counter())
            mine["meetings"] += 1
            mine["cases_brought"] += "case-bringer" in meeting.roles_of(code)
        for row in meeting.rows:
            mine = counts[row.author]
            mine["entries"] += 1
            mine["questions"] += row.kind == Capture.QUESTION.value
            if row.kind == Capture.EVALUATION.value and row.score:
                scores.setdefault(row.author, []).append(int(row.score))
            if row.kind == Capture.ACTION.value and row.owner:
                owner = counts.setdefault(row.owner, Counter())
                owner["actions_done"] += row.status == "done"
                owner["actions_open"] += row.status in ("open", "carried-on")
    return {code: {"community": export.community, "role": "; ".join(held),
                   "group": export.community,
                   **{key: str(counts[code][key]) for key in
                      ("meetings", "entries", "questions", "cases_brought", "actions_done",
                       "actions_open")},
                   "mean_score": (f"{sum(scores[code]) / len(scores[code]):.2f}"
                                  if scores.get(code) else "")}
            for code, held in roles.items()}


def csv_text(export: ResearchExport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.as_dict() for row in export.rows)
    return out.getvalue()


def jsonl_text(export: ResearchExport) -> str:
    return "".join(json.dumps(row.as_dict(), ensure_ascii=False) + "\n" for row in export.rows)


def manifest_text(export: ResearchExport, export_format: str) -> str:
    return json.dumps(export.manifest(export_format), ensure_ascii=False, indent=2) + "\n"
