"""Reading template data (as TOML gives it) into a ``Protocol``, collecting every problem rather
than stopping at the first, so one ``validate`` run shows them all. A phase's fields are read
as the table of fields (``template_format.py``) says."""

from __future__ import annotations

import difflib
import math
import reprlib
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from kring.sessions.i18n import N_, _
from kring.sessions.model.protocol import (
    Block,
    CaseBringer,
    Need,
    Phase,
    Protocol,
    Repeat,
    Role,
    Speakers,
)
from kring.sessions.protocols.template_format import (
    BLOCK_KEYS,
    ID_PATTERN,
    LANGUAGE_PATTERN,
    MAX_COUNT,
    MAX_MINUTES,
    MAX_TEXT,
    PHASE_FIELDS,
    PHASE_KEYS,
    PROTOCOL_KEYS,
    REQUIRED,
    SCHEMA,
    PhaseField,
    Problem,
    Read,
)

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

# Translated where they are used: this table is made before the language is chosen.
_TYPE_NAMES = {str: N_("text"), int: N_("a whole number"), bool: N_("true or false"),
               list: N_("a list"), dict: N_("a table")}


class TemplateReader:
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

    def value(self, table: dict[str, Any], key: str, kind: type[T], prefix: str,
              required: bool = True) -> T | None:
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
        self.unknown_keys(data, PROTOCOL_KEYS, "")
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
        self.unknown_keys(table, BLOCK_KEYS, prefix)
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
        self.unknown_keys(table, PHASE_KEYS, prefix)
        before = len(self.problems)
        values = {field.attribute: self.field(table, field, prefix, seen)
                  for field in PHASE_FIELDS}
        if values["speakers"] is Speakers.CASE_BRINGER and values["case_bringer"] in _SILENT:
            self.fail(f"{prefix}.case_bringer", _(
                "is '{value}', but speakers is 'case-bringer': the case-bringer has the floor"
            ).format(value=values["case_bringer"]))
        both = set(values["expects"] or ()) & set(values["out_of_place"] or ())
        if both:
            self.fail(f"{prefix}.out_of_place", _(
                "names {kinds}, which expects names too: a kind is expected or out of place"
            ).format(kinds=", ".join(sorted(both))))
        if values["min_each"] and not values["expects"]:
            self.fail(f"{prefix}.min_each", _(
                "counts the kinds in expects, and expects names none"))
        if len(self.problems) > before:
            return None
        return Phase(**values)

    def field(self, table: dict[str, Any], field: PhaseField, prefix: str,
              seen: dict[str, str]) -> Any:
        """One field of a phase, read as the table of fields says."""
        required = field.default is REQUIRED
        default = None if required else field.default
        if field.read is Read.ID:
            return self.claim_id(table, prefix, seen)
        if field.read is Read.TEXT:
            return self.text(table, field.key, prefix, required)
        if field.read is Read.MINUTES:
            return self.minutes(table, prefix)
        if field.read is Read.PROMPTS:
            return self.prompts(table, prefix)
        if field.read is Read.FLAG:
            value = self.value(table, field.key, bool, prefix, required=False)
            return default if value is None else value
        if field.read is Read.COUNT:
            return self.count(table, field.key, prefix, default)
        assert field.enum is not None, field.key
        if field.read is Read.CHOICE:
            return self.choice(table, field.key, field.enum, _(field.what), prefix,
                               default=default)
        return self.members(table, field.key, field.enum, _(field.what), prefix,
                            required=required)

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

    def count(self, table: dict[str, Any], key: str, prefix: str, default: Any) -> int:
        if key not in table:
            return int(default)
        value, path = table[key], f"{prefix}.{key}"
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, _should_be(_("a whole number"), value))
            return int(default)
        if not 0 <= value <= MAX_COUNT:
            self.fail(path, _("must be from 0 to {limit}, got {value}").format(
                limit=MAX_COUNT, value=value))
            return int(default)
        return value

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


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _(" (did you mean '{word}'?)").format(word=close[0]) if close else ""


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

