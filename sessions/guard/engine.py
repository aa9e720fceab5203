"""The spotter: deduce, the Dutch de-identification library, as the guard uses it.

Loading it costs seconds and about a gigabyte (its lookup structures, from the cache in the
state folder, ``cache.py``): the app does it in a process of its own, the command line in
its own. While it loads, the garbage collector is off, and what was loaded is frozen after:
deduce makes millions of objects, and a full collection over them held every thread for
seconds (measured: 3 to 5 s) whenever the collector decided to look.

deduce's import configures the root logger to print every debug line to stdout; the guard
puts the logging back as it found it.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kring.sessions.guard.cache import build_into, cache_folder, is_built
from kring.sessions.guard.kinds import BY_TAG
from kring.sessions.guard.spotting import Span

# What deduce need not do: ages are not identifying here, URLs are a school's, and its
# redactor writes the text with tags, which the guard never reads.
_DISABLED = frozenset({"ages", "urls", "redactor"})


class Engine:
    """``spot(text)``: what deduce marks in ``text``, as the guard's spans."""

    def __init__(self, deduce: Any) -> None:
        self._deduce = deduce

    @classmethod
    def load(cls, state: Path, progress: Callable[[str], None] = lambda _stage: None
             ) -> Engine:
        """Load deduce, building its lookup structures first if this device has none.
        ``progress`` hears "building" (minutes, the first time) and "loading" (seconds)."""
        with _logging_kept():
            import deduce

        folder = cache_folder(state, deduce.__version__)
        if not is_built(folder):
            progress("building")
            build_into(folder, lambda into: _build(deduce, into))
        progress("loading")
        try:
            engine = _frozen(lambda: deduce.Deduce(cache_path=folder))
        except (pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            # A cache that does not read (a disk that failed mid-write before the rename
            # guarded it, another version's): built again.
            shutil.rmtree(folder, ignore_errors=True)
            progress("building")
            build_into(folder, lambda into: _build(deduce, into))
            engine = _frozen(lambda: deduce.Deduce(cache_path=folder))
        return cls(engine)

    def spot(self, text: str) -> list[Span]:
        if not text.strip():
            return []
        document = self._deduce.deidentify(text, disabled=set(_DISABLED))
        spans = []
        for annotation in document.annotations:
            kind = BY_TAG.get(annotation.tag)
            if kind is not None:
                spans.append(Span(annotation.start_char, annotation.end_char,
                                  annotation.text, kind))
        return spans


def _build(deduce: Any, into: Path) -> None:
    """Build the lookup structures into ``into`` (deduce writes them as it makes them), and
    let go of what it made: the loading that follows makes its own."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        deduce.Deduce(cache_path=into)
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _frozen(make: Callable[[], Any]) -> Any:
    """``make()`` with the collector off, and what it made kept out of later collections."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        made = make()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return made


@contextlib.contextmanager
def _logging_kept() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def build_lists(state: Path) -> bool:
    """Build the lookup structures now if this device (or KRING_GUARD_CACHE) has none; True
    if they were built. What `make test` runs first, so no test waits minutes on another."""
    with _logging_kept():
        import deduce

    folder = cache_folder(state, deduce.__version__)
    return not is_built(folder) and build_into(folder, lambda into: _build(deduce, into))


if __name__ == "__main__":
    import sys

    if build_lists(Path(sys.argv[1])):
        print("The privacy guard's lists of names and places are built.", flush=True)
