"""The one place where files written by an older Kring are brought up to date.

Every file carries ``{"_meta": {"schema": N, "kind": ...}}``. Reading a file with an older N
runs the steps below in order, in memory; the file on disk is upgraded by the next save.
A file with a newer N is refused and left untouched (see ``NewerFormatError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kring.sessions.model.meeting import SCHEMA_VERSION

CURRENT = SCHEMA_VERSION

# version n -> function taking (data, kind) of version n and returning it in version n + 1.
# Add an entry here, and raise SCHEMA_VERSION in sessions/meeting.py, when the format changes.
_STEPS: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {}


class MigrationError(ValueError):
    """No way from this version to the current one."""


def migrate(data: dict[str, Any], kind: str, from_version: int) -> dict[str, Any]:
    """``data`` (without its ``_meta``) of ``from_version``, brought to ``CURRENT``."""
    version = from_version
    while version < CURRENT:
        step = _STEPS.get(version)
        if step is None:
            raise MigrationError(f"no migration from format {version}")
        data = step(data, kind)
        version += 1
    return data
