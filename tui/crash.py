"""What happens when Kring meets an error nobody planned for: a short message, and a report.

The report is for whoever supports Kring. It holds where the error happened (file, line and
function of every frame) and the kinds of the exceptions, never their messages nor any local
variable: those can hold what was typed, and the notes are about pupils. It is written 0600
into the log folder (``sessions.paths.log_dir``), and writing it never raises: a crash handler
that crashes hides the first error.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.sessions.i18n import _
from kring.sessions.paths import log_dir

if TYPE_CHECKING:
    from textual.app import App

# Enough to find any bug; a deeper chain is a loop of re-raises, not more information.
MAX_CHAIN = 8


def write_crash_log(error: BaseException, folder: Path | None = None) -> Path | None:
    """Write a report of ``error`` and return its path; None when it could not be written."""
    try:
        target = folder if folder is not None else log_dir()
        text = crash_report(error)
        return _write_new(target, text.encode("utf-8", "backslashreplace"))
    except Exception:  # a report that fails must never replace the real error
        return None


def report_fatal(app: App[Any]) -> None:
    """An app's ``_fatal_error``, Kring's way: Textual's own report prints the locals of every
    frame, and a meeting's entries (case notes about pupils) would land on screen and in
    screenshots. A sentence on screen, the details in a private log with no entry text.
    Textual's private names used here are checked by tests/test_crash_textual.py, and
    pyproject.toml keeps Textual below its next major version."""
    from rich.text import Text

    error = app._exception
    path = write_crash_log(error) if error is not None else None
    app.bell()
    app._exit_renderables.append(Text(crash_message(path)))
    app._close_messages_no_wait()


def crash_message(path: Path | None) -> str:
    """What the user reads instead of a traceback."""
    if path is None:
        return _("Kring ran into an unexpected error and stopped. What was saved before is "
                 "safe; 'kring doctor' checks the data folder.")
    return _("Kring ran into an unexpected error and stopped. What was saved before is safe; "
             "'kring doctor' checks the data folder. A report without any notes is in {path}: "
             "please send it to whoever looks after Kring.").format(path=path)


def crash_report(error: BaseException) -> str:
    """The report's text: versions, then each exception's kind and frames, outermost last
    (as Python prints them). No message, no locals, no source lines."""
    lines = [
        f"Kring crash report, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M:%S UTC')}",
        f"kring {_kring_version()}; Python {platform.python_version()}; "
        f"{platform.system()} {platform.release()}",
        f"command: {_command_shape(sys.argv[1:])}",
        "",
    ]
    for depth, link in enumerate(reversed(list(_chain(error)))):
        if depth:
            lines.append("then:")
        lines.append(f"{_kind(link)}")
        for frame in traceback.extract_tb(link.__traceback__):
            lines.append(f"  {_short_file(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < MAX_CHAIN:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _kind(error: BaseException) -> str:
    kind = type(error)
    module = kind.__module__
    name = kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
    number = getattr(error, "errno", None)
    # An errno is a number the system chose, never typed text: it tells ENOSPC from EACCES.
    return f"{name} (errno {number})" if isinstance(number, int) else name


def _command_shape(argv: list[str]) -> str:
    """The options and sub-commands, never a value: a value may be a name or a note."""
    shape = []
    for token in argv:
        if token.startswith("-"):
            shape.append(token.split("=", 1)[0])
        else:
            shape.append(token if token in _COMMAND_WORDS else "…")
    return " ".join(shape) or "(app)"


_COMMAND_WORDS = frozenset({
    "templates", "show", "validate", "new", "community", "list", "add-member", "remove-member",
    "retention", "export", "actions", "journal", "purge", "doctor", "completion", "latest",
    "md", "html", "table", "open", "done", "all", "en", "nl", "bash", "zsh", "fish",
})


def _short_file(filename: str) -> str:
    """A frame's file from the package folder on: the home folder's path may hold a name."""
    parts = Path(filename).parts
    for anchor in ("sessions", "tui", "templates", "site-packages"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index:])
    return Path(filename).name


def _kring_version() -> str:
    try:
        from importlib.metadata import version

        return version("kring")
    except Exception:  # a source tree that was never installed
        return "0+unknown"


def _write_new(folder: Path, data: bytes) -> Path:
    from kring.sessions.store.private_files import create_new_file

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    names = (f"crash-{stamp}-{os.getpid()}{f'-{attempt}' if attempt else ''}.log"
             for attempt in range(100))
    return create_new_file(folder, names, data)
