"""The privacy guard's spotter for tests: deduce loaded once per test process (seconds and a
gigabyte each time), from lookup structures built once per virtual environment (minutes)."""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from kring.sessions.guard.engine import Engine
from kring.sessions.guard.process import GuardState
from kring.tui.app import KringApp

GUARD_CACHE = Path(sys.prefix) / "kring-guard-cache"
_LOAD = Engine.load  # the real one, whatever a test puts in its place
LINES = Path(__file__).resolve().parents[1] / "golden" / "guard_lines.jsonl"


@functools.cache
def engine() -> Engine:
    # The state folder is not used: KRING_GUARD_CACHE (conftest.py) names the shared cache.
    import os

    os.environ.setdefault("KRING_GUARD_CACHE", str(GUARD_CACHE))
    return _LOAD(Path("/nonexistent-state"))


def ready(app: KringApp) -> bool:
    """The app's guard process has loaded and answers."""
    return app.guard is not None and app.guard.state is GuardState.READY


@dataclass(frozen=True)
class Labelled:
    id: str
    lang: str
    text: str
    spans: tuple[tuple[str, str], ...]  # (text, kind), each occurring in ``text``
    participants: tuple[str, ...]


def labelled_lines() -> list[Labelled]:
    """tests/golden/guard_lines.jsonl: capture lines written by hand, with every span a
    careful reader would flag (tests/golden/guard_lines.md)."""
    lines = []
    for raw in LINES.read_text(encoding="utf-8").splitlines():
        item = json.loads(raw)
        lines.append(Labelled(item["id"], item["lang"], item["text"],
                              tuple((span["text"], span["kind"]) for span in item["spans"]),
                              tuple(item["participants"])))
    return lines
