"""Commands that each bring their own parser part: a module ``kring.tui.cli.<name>`` with
``add_arguments(commands, epilog)`` and ``run(context, args) -> int``. Listing a module here is
all it takes to add it to ``kring``; it is imported only to build the parser and to run."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Container
from typing import Any

# Module names in tui/cli/, in the order `kring --help` lists them.
COMMANDS: tuple[str, ...] = ("calendar", "research", "consent", "share", "carry")


def add_commands(commands: Any, epilog: Callable[..., str],
                 wanted: Container[str] | None = None) -> None:
    """Each of COMMANDS, or only those ``wanted`` (the others' modules are not imported)."""
    for name in COMMANDS:
        if wanted is None or name in wanted:
            importlib.import_module(f"kring.tui.cli.{name}").add_arguments(commands, epilog)


def run(name: str, context: Any, args: argparse.Namespace) -> int | None:
    """The exit code of command ``name``; None when it is not one of these."""
    if name not in COMMANDS:
        return None
    code: int = importlib.import_module(f"kring.tui.cli.{name}").run(context, args)
    return code
