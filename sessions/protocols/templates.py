"""Protocol templates (TOML) read into ``Protocol`` objects, and protocols written back as
template data, with errors people can act on.

Every problem names the file, the key path (``phases[3].minutes``, counted from 1 as people
count) and what is wrong. All problems of a file are collected, so one ``validate`` run shows
them all rather than one per attempt. The format itself (limits, keys, the table of a phase's
fields) is ``template_format.py``; walking the data, ``template_reader.py``.

Messages are in the interface's language; key paths, values and the words of the template
format (``speakers``, ``case-bringer``) stay as they are written in the file.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Any

from kring.sessions.i18n import _
from kring.sessions.model.protocol import Block, Phase, Protocol
from kring.sessions.plain import plain
from kring.sessions.protocols.template_format import ID_PATTERN as ID_PATTERN  # the CLI's too
from kring.sessions.protocols.template_format import (
    MAX_BYTES,
    PHASE_FIELDS,
    REQUIRED,
    SCHEMA,
    Problem,
    TemplateError,
)
from kring.sessions.protocols.template_reader import TemplateReader
from kring.sessions.store.files.atomic import FileTooLargeError, NotRegularFileError, read_limited


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
        raise TemplateError(origin, [Problem(
            "", _("is not UTF-8 text (byte {byte} at byte {offset}); save it as UTF-8").format(
                byte=f"0x{raw[error.start]:02x}", offset=error.start),
            raw.count(b"\n", 0, error.start) + 1)]) from None
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
    """Validate template data (as read from TOML, or a meeting's snapshot from any laptop)
    and build the protocol, its text made plain: a shared template or a synced snapshot
    must not steer the terminal that shows its names and instructions."""
    reader = TemplateReader()
    try:
        protocol = reader.protocol(_plain_strings(data), str(origin))
    except RecursionError:
        # What tomllib (or a synced snapshot's JSON) read just below the limit, one level of
        # our own recursion takes over it: no template nests this deep.
        raise TemplateError(origin, [Problem("", _("is nested too deeply"))]) from None
    if reader.problems or protocol is None:
        raise TemplateError(origin, reader.problems)
    return protocol


def _plain_strings(value: Any) -> Any:
    if isinstance(value, str):
        return plain(value)
    if isinstance(value, dict):
        return {key: _plain_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_strings(item) for item in value]
    return value


def protocol_to_data(protocol: Protocol) -> dict[str, Any]:
    """The template data for a protocol: ``parse_protocol(protocol_to_data(p)) == p``.

    Meetings keep this snapshot, so a template edited later never changes a past meeting.
    """

    def phase(p: Phase) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in PHASE_FIELDS:
            value = getattr(p, field.attribute)
            if field.default is REQUIRED or value != field.default:
                out[field.key] = _data(value)
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


def _data(value: Any) -> Any:
    """A field's value as TOML (and JSON) hold it: words of an enum as their text, tuples as
    lists."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, tuple):
        return [_data(item) for item in value]
    return value
