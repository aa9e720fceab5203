"""Reading protocol templates (TOML) into ``Protocol`` objects, with errors people can act on.

Every problem names the file, the key path (``phases[3].minutes``, counted from 1 as people
count) and what is wrong. All problems of a file are collected, so one ``validate`` run shows
them all rather than one per attempt.

Messages are in the interface's language; key paths, values and the words of the template
format (``speakers``, ``case-bringer``) stay as they are written in the file.
"""

from __future__ import annotations

import difflib
import math
import re
import reprlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from kring.sessions.i18n import N_, _
from kring.sessions.model.protocol import (
    Block,
    Capture,
    CaseBringer,
    CaseField,
    InputMode,
    Need,
    Phase,
    PhaseKind,
    Protocol,
    Repeat,
    Role,
    Speakers,
)
from kring.sessions.store.files.atomic import FileTooLargeError, NotRegularFileError, read_limited

SCHEMA = 1
MAX_BYTES = 256 * 1024  # the longest built-in is a few KB; anything near this is a mistake
MAX_MINUTES = 240
MAX_TEXT = 20_000
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


def load_protocol(path: str | Path) -> Protocol:
    """Read and validate one template file. Whatever the file holds, the only error is a
    TemplateError naming it."""
    path = Path(path)
    raw = _read_template(path)
    try:
        return parse_protocol_text(raw, path)
    except TemplateError:
        raise
    except Exception as error:
        # A bug for a strange file to find; one such file must never hide the others.
        raise TemplateError(path, [Problem("", _("cannot be read as a template ({kind})").format(
            kind=type(error).__name__))]) from None


def _read_template(path: Path) -> bytes:
    try:
        return read_limited(path, MAX_BYTES)[0]
    except FileTooLargeError:
        message = _("is {size}; a template is at most {limit}, is this the right file?"
                    ).format(size=_size(_size_of(path)), limit=_size(MAX_BYTES))
        raise TemplateError(path, [Problem("", message)]) from None
    except IsADirectoryError:
        raise TemplateError(path, [Problem("", _("is a folder, not a template file"))]) \
            from None
    except NotRegularFileError:
        raise TemplateError(path, [Problem("", _(
            "is not a regular file (a pipe, device or socket)"))]) from None
    except FileNotFoundError:
        raise TemplateError(path, [Problem("", _("no such file"))]) from None
    except OSError as error:
        raise TemplateError(path, [Problem("", _("cannot be read: {reason}").format(
            reason=error.strerror))]) from None


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return MAX_BYTES + 1


def parse_protocol_text(raw: bytes, origin: str | Path = "<template>") -> Protocol:
    try:
        # utf-8-sig: editors on Windows like to start files with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise TemplateError(origin, [Problem(
            "", _("is not UTF-8 text (byte {byte} at byte {offset}); save it as UTF-8").format(
                byte=f"0x{raw[error.start]:02x}", offset=error.start), line)]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _split_toml_error(str(error))
        # tomllib's own message stays English: it is what a search for the error finds.
        raise TemplateError(origin, [Problem(
            "", _("TOML syntax error: {message}").format(message=message), line)]) from None
    except RecursionError:
        # tomllib reads nested arrays and tables by recursion; no template nests this deep.
        raise TemplateError(origin, [Problem("", _("is nested too deeply"))]) from None
    return parse_protocol(data, origin)


def parse_protocol(data: dict[str, Any], origin: str | Path = "<template>") -> Protocol:
    """Validate template data (as read from TOML) and build the protocol."""
    reader = _Reader()
    protocol = reader.protocol(data, str(origin))
    if reader.problems or protocol is None:
        raise TemplateError(origin, reader.problems)
    return protocol


def protocol_to_data(protocol: Protocol) -> dict[str, Any]:
    """The template data for a protocol: ``parse_protocol(protocol_to_data(p)) == p``.

    Meetings keep this snapshot, so a template edited later never changes a past meeting.
    """

    def phase(p: Phase) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": p.id,
            "title": p.title,
            "minutes": p.minutes,
            "speakers": p.speakers.value,
            "case_bringer": p.case_bringer.value,
            "input": p.input.value,
            "captures": [c.value for c in p.captures],
            "instructions": p.instructions,
        }
        if p.prompts:
            out["prompts"] = list(p.prompts)
        if p.case_fields:
            out["case_fields"] = [f.value for f in p.case_fields]
        if p.kind is not PhaseKind.REGULAR:
            out["kind"] = p.kind.value
        if p.optional:
            out["optional"] = True
        return out

    def item(i: Phase | Block) -> dict[str, Any]:
        if isinstance(i, Phase):
            return phase(i)
        out: dict[str, Any] = {"id": i.id, "title": i.title, "repeat": i.repeat.value,
                               "phases": [phase(p) for p in i.phases]}
        if i.optional:
            out["optional"] = True
        return out

    data: dict[str, Any] = {
        "schema": SCHEMA,
        "id": protocol.id,
        "language": protocol.language,
        "name": protocol.name,
        "summary": protocol.summary,
        "roles": {role.value: need.value for role, need in protocol.roles.items()},
        "participants": {"min": protocol.min_participants},
        "phases": [item(i) for i in protocol.items],
    }
    if protocol.max_participants is not None:
        data["participants"]["max"] = protocol.max_participants
    if protocol.source:
        data["source"] = protocol.source
    return data


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _split_toml_error(message: str) -> tuple[str, int | None]:
    match = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if not match:
        match = re.search(r"\s*\(at end of document\)$", message)
        return (message[: match.start()] if match else message), None
    return message[: match.start()], int(match.group(1))


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _(" (did you mean '{word}'?)").format(word=close[0]) if close else ""


_PROTOCOL_KEYS = ("schema", "id", "language", "name", "summary", "source", "roles",
                  "participants", "phases")
_PHASE_KEYS = ("id", "title", "minutes", "speakers", "case_bringer", "input", "captures",
               "instructions", "prompts", "case_fields", "kind", "optional")
_BLOCK_KEYS = ("id", "title", "repeat", "phases", "optional")

E = TypeVar("E", bound=StrEnum)

# Translated where they are used: this table is made before the language is chosen.
_TYPE_NAMES = {str: N_("text"), int: N_("a whole number"), bool: N_("true or false"),
               list: N_("a list"), dict: N_("a table")}


class _Reader:
    """Walks template data, collecting problems instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(key, message))

    # -- generic readers -------------------------------------------------------------------

    def unknown_keys(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(_join(prefix, key), _("unknown key{suggestion}").format(
                    suggestion=_suggest(key, allowed)))

    def value(self, table: dict[str, Any], key: str, kind: type, prefix: str,
              required: bool = True) -> Any:
        path = _join(prefix, key)
        if key not in table:
            if required:
                self.fail(path, _("is missing (it should be {kind})").format(
                    kind=_(_TYPE_NAMES[kind])))
            return None
        value = table[key]
        # bool is an int in Python, but `minutes = true` is certainly a mistake
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(path, _should_be(_(_TYPE_NAMES[kind]), value))
            return None
        return value

    def text(self, table: dict[str, Any], key: str, prefix: str, required: bool = True) -> str:
        value = self.value(table, key, str, prefix, required)
        if value is None:
            return ""
        if not value.strip():
            self.fail(_join(prefix, key), _("is empty"))
        elif len(value) > MAX_TEXT:
            self.fail(_join(prefix, key), _("is {length} characters; at most {limit}").format(
                length=len(value), limit=MAX_TEXT))
        return value.strip()

    def choice(self, table: dict[str, Any], key: str, enum: type[E], what: str,
                           prefix: str, default: E | None = None) -> E | None:
        value = self.value(table, key, str, prefix, required=default is None)
        if value is None:
            return default
        return self.member(value, enum, what, _join(prefix, key))

    def member(self, value: Any, enum: type[E], what: str, path: str) -> E | None:
        if not isinstance(value, str):
            self.fail(path, _should_be(_("text"), value))
            return None
        try:
            return enum(value)
        except ValueError:
            # The options are the words the file format takes: listed as they are written.
            options = [m.value for m in enum]
            self.fail(path, _("unknown {what} '{value}'{suggestion}; choose from: {options}")
                      .format(what=what, value=value, suggestion=_suggest(value, options),
                              options=", ".join(options)))
            return None

    def members(self, table: dict[str, Any], key: str, enum: type[E], what: str,
                            prefix: str, required: bool = True) -> tuple[E, ...]:
        values = self.value(table, key, list, prefix, required)
        if values is None:
            return ()
        out: list[E] = []
        for index, value in enumerate(values, start=1):
            member = self.member(value, enum, what, f"{_join(prefix, key)}[{index}]")
            if member is not None:
                if member in out:
                    self.fail(f"{_join(prefix, key)}[{index}]",
                              _("'{value}' is listed twice").format(value=member))
                else:
                    out.append(member)
        return tuple(out)

    def identifier(self, table: dict[str, Any], key: str, prefix: str) -> str:
        value = self.value(table, key, str, prefix)
        if value is None:
            return ""
        if not ID_PATTERN.match(value):
            self.fail(_join(prefix, key), _("'{value}' is not a valid id: use lower-case "
                                            "letters, digits and dashes (at most 64)").format(
                                                value=value))
        return value

    # -- the template ----------------------------------------------------------------------

    def protocol(self, data: Any, origin: str) -> Protocol | None:
        if not isinstance(data, dict):
            self.fail("", _("should be a TOML table of keys"))
            return None
        self.unknown_keys(data, _PROTOCOL_KEYS, "")
        schema = self.value(data, "schema", int, "", required=False)
        if schema is not None and schema != SCHEMA:
            self.fail("schema", _("is {schema}; this version of Kring reads schema {supported}")
                      .format(schema=schema, supported=SCHEMA))
        ident = self.identifier(data, "id", "")
        language = self.value(data, "language", str, "") or ""
        if language and not LANGUAGE_PATTERN.match(language):
            self.fail("language", _("'{language}' is not a two-letter language code like "
                                    "'en' or 'nl'").format(language=language))
        name = self.text(data, "name", "")
        summary = self.text(data, "summary", "")
        source = self.text(data, "source", "", required=False)
        roles = self.roles(data)
        low, high = self.participants(data)
        items = self.items(data)
        if self.problems:
            return None
        return Protocol(id=ident, language=language, name=name, summary=summary, roles=roles,
                        items=items, min_participants=low, max_participants=high,
                        source=source, origin=origin)

    def roles(self, data: dict[str, Any]) -> dict[Role, Need]:
        table = self.value(data, "roles", dict, "")
        if table is None:
            return {}
        roles: dict[Role, Need] = {}
        for key, value in table.items():
            role = self.member(key, Role, _("role"), f"roles.{key}")
            need = self.member(value, Need, _("need"), f"roles.{key}")
            if role is not None and need is not None:
                roles[role] = need
        return roles

    def participants(self, data: dict[str, Any]) -> tuple[int, int | None]:
        table = self.value(data, "participants", dict, "", required=False)
        if table is None:
            return 2, None
        self.unknown_keys(table, ("min", "max"), "participants")
        low = self.value(table, "min", int, "participants", required=False)
        high = self.value(table, "max", int, "participants", required=False)
        between = _("should be between 1 and 100, got {value}")
        if low is not None and not 1 <= low <= 100:
            self.fail("participants.min", between.format(value=low))
        if high is not None and not 1 <= high <= 100:
            self.fail("participants.max", between.format(value=high))
        if low is not None and high is not None and high < low:
            self.fail("participants.max", _("is {high}, less than participants.min ({low})")
                      .format(high=high, low=low))
        return (low if low is not None else 2), high

    def items(self, data: dict[str, Any]) -> tuple[Phase | Block, ...]:
        phases = self.value(data, "phases", list, "")
        if phases is None:
            return ()
        if not phases:
            self.fail("phases", _("is empty; a protocol needs at least one phase"))
        seen: dict[str, str] = {}
        items: list[Phase | Block] = []
        for index, table in enumerate(phases, start=1):
            prefix = f"phases[{index}]"
            if not isinstance(table, dict):
                self.fail(prefix, _should_be(_("a table ([[phases]])"), table))
                continue
            is_block = "repeat" in table or "phases" in table
            item = self.block(table, prefix, seen) if is_block else self.phase(table, prefix, seen)
            if item is not None:
                items.append(item)
        return tuple(items)

    def claim_id(self, table: dict[str, Any], prefix: str, seen: dict[str, str]) -> str:
        ident = self.identifier(table, "id", prefix)
        if ident and ident in seen:
            self.fail(f"{prefix}.id", _("'{id}' is already the id of {other}; phase ids must "
                                        "be unique").format(id=ident, other=seen[ident]))
        elif ident:
            seen[ident] = prefix
        return ident

    def block(self, table: dict[str, Any], prefix: str, seen: dict[str, str]) -> Block | None:
        self.unknown_keys(table, _BLOCK_KEYS, prefix)
        before = len(self.problems)
        ident = self.claim_id(table, prefix, seen)
        title = self.text(table, "title", prefix)
        repeat = self.choice(table, "repeat", Repeat, _("repeat"), prefix)
        optional = self.value(table, "optional", bool, prefix, required=False) or False
        inner = self.value(table, "phases", list, prefix)
        phases: list[Phase] = []
        if inner is not None and not inner:
            self.fail(f"{prefix}.phases", _("is empty; a block needs at least one phase"))
        for index, sub in enumerate(inner or [], start=1):
            sub_prefix = f"{prefix}.phases[{index}]"
            if not isinstance(sub, dict):
                self.fail(sub_prefix, _should_be(_("a table"), sub))
                continue
            if "repeat" in sub or "phases" in sub:
                self.fail(sub_prefix, _("blocks cannot be nested inside a block"))
                continue
            phase = self.phase(sub, sub_prefix, seen)
            if phase is not None:
                phases.append(phase)
        if len(self.problems) > before or repeat is None:
            return None
        return Block(id=ident, title=title, repeat=repeat, phases=tuple(phases),
                     optional=optional)

    def phase(self, table: dict[str, Any], prefix: str, seen: dict[str, str]) -> Phase | None:
        self.unknown_keys(table, _PHASE_KEYS, prefix)
        before = len(self.problems)
        ident = self.claim_id(table, prefix, seen)
        title = self.text(table, "title", prefix)
        minutes = self.minutes(table, prefix)
        speakers = self.choice(table, "speakers", Speakers, _("speaking rule"), prefix)
        case_bringer = self.choice(table, "case_bringer", CaseBringer,
                                   _("case-bringer rule"), prefix)
        mode = self.choice(table, "input", InputMode, _("input mode"), prefix)
        captures = self.members(table, "captures", Capture, _("capture kind"), prefix)
        instructions = self.text(table, "instructions", prefix)
        prompts = self.prompts(table, prefix)
        case_fields = self.members(table, "case_fields", CaseField, _("case field"), prefix,
                                   required=False)
        kind = self.choice(table, "kind", PhaseKind, _("phase kind"), prefix,
                           default=PhaseKind.REGULAR)
        optional = self.value(table, "optional", bool, prefix, required=False) or False
        if speakers is Speakers.CASE_BRINGER and case_bringer in _SILENT:
            self.fail(f"{prefix}.case_bringer", _(
                "is '{value}', but speakers is 'case-bringer': the case-bringer has the floor"
            ).format(value=case_bringer))
        if len(self.problems) > before:
            return None
        assert minutes is not None and speakers and case_bringer and mode and kind
        return Phase(id=ident, title=title, minutes=minutes, instructions=instructions,
                     speakers=speakers, case_bringer=case_bringer, input=mode,
                     captures=captures, prompts=prompts, case_fields=case_fields, kind=kind,
                     optional=optional)

    def minutes(self, table: dict[str, Any], prefix: str) -> float | None:
        path = f"{prefix}.minutes"
        if "minutes" not in table:
            self.fail(path, _("is missing (it should be {kind})").format(
                kind=_("a number of minutes")))
            return None
        value = table["minutes"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, _should_be(_("a number of minutes"), value))
            return None
        if not math.isfinite(value) or not 0 < value <= MAX_MINUTES:
            self.fail(path, _("must be more than 0 and at most {limit}, got {value}").format(
                limit=MAX_MINUTES, value=value))
            return None
        return float(value) if isinstance(value, float) and not value.is_integer() else int(value)

    def prompts(self, table: dict[str, Any], prefix: str) -> tuple[str, ...]:
        values = self.value(table, "prompts", list, prefix, required=False) or []
        out: list[str] = []
        for index, value in enumerate(values, start=1):
            path = f"{prefix}.prompts[{index}]"
            if not isinstance(value, str):
                self.fail(path, _should_be(_("text"), value))
            elif not value.strip():
                self.fail(path, _("is empty"))
            else:
                out.append(value.strip())
        return tuple(out)


_SILENT = {CaseBringer.LISTENS, CaseBringer.AWAY, CaseBringer.WRITES}


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _should_be(expected: str, value: Any) -> str:
    return _("should be {kind}, got {value}").format(kind=expected, value=_describe(value))


def _describe(value: Any) -> str:
    kinds: dict[type, str] = {bool: _("true/false"), int: _("a number"), float: _("a number"),
                              str: _("text"), list: _("a list"), dict: _("a table")}
    name = next((label for kind, label in kinds.items() if isinstance(value, kind)),
                type(value).__name__)
    # reprlib stops at a few levels and items: a value nested thousands deep or a million long
    # must not cost a RecursionError or a second.
    shown = _SHORT.repr(value)
    return f"{name} {shown}" if len(shown) <= 40 else name


_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 60

