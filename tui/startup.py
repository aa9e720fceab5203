"""Python's garbage collector during start-up.

Starting Kring creates a great many objects that live as long as the process does (modules,
classes, widgets, styles). With Python's default thresholds the cyclic collector walks them
again and again while they are made, which profiling showed as a measurable share of the time
to the home screen. Until the home screen is up (or a command has done its work) it collects
rarely; then the defaults return, so a long meeting collects as usual. ``launch`` is the
``kring`` command itself, so that this starts before the command line's own imports.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

STARTING = (50_000, 50, 100)  # generation 0 collects after this many allocations, not 700
_before: tuple[int, int, int] | None = None


def collect_rarely() -> None:
    global _before
    if _before is None:
        _before = gc.get_threshold()
    gc.set_threshold(*STARTING)


def collect_normally() -> None:
    """Back to the thresholds of before ``collect_rarely``; nothing if it was not called."""
    global _before
    if _before is not None:
        gc.set_threshold(*_before)
        _before = None


@contextlib.contextmanager
def collecting_rarely() -> Iterator[None]:
    """Collect rarely for the length of the block, then as before: for a burst of objects
    that will live on, such as a meeting of 20,000 entries being read (with the default
    thresholds the collector walked the whole heap again and again while they were made:
    a third of the time it took to open one)."""
    before = gc.get_threshold()
    gc.set_threshold(*STARTING)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def launch() -> int:
    """The ``kring`` command (pyproject's entry point, and ``python -m kring.tui``): the
    collector is told to wait before the command line and all it imports are loaded (with
    the defaults those imports alone cost start-up several milliseconds of collections)."""
    collect_rarely()
    from kring.tui.cli import main

    return main()
