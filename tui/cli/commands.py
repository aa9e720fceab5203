"""Every command of ``kring``, one row each, in the order ``kring --help`` lists them.

A command is a module of this package that says its part of the command line,
``add_arguments(commands, epilog)``, and what it does, ``run(context, args) -> int``. Adding
a command is adding its module and its row here. A module is imported only to build its
parser part or to run it: ``kring list`` loads no other command's module, and ``kring``
alone (the app) loads none.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Container
from dataclasses import dataclass
from enum import Enum
from types import ModuleType
from typing import Any


class Needs(Enum):
    """What must be settled before a command runs."""

    NOTHING = "nothing"  # not even a data folder (completion scripts)
    SETTINGS = "settings"  # the folders and language, but no data folder to check (templates)
    DATA = "data"  # a usable data folder


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    module: str  # in kring.tui.cli
    needs: Needs = Needs.DATA

    def load(self) -> ModuleType:
        return importlib.import_module(f"kring.tui.cli.{self.module}")


COMMANDS: tuple[Command, ...] = (
    Command("templates", "templates", Needs.SETTINGS),
    Command("community", "community"),
    Command("export", "export"),
    Command("check", "check"),
    Command("actions", "actions"),
    Command("journal", "journal"),
    Command("insights", "insights"),
    Command("purge", "purge"),
    Command("list", "listing"),
    Command("doctor", "doctor"),
    Command("new", "new"),
    Command("add", "add"),
    Command("project", "project"),
    Command("calendar", "calendar"),
    Command("research", "research"),
    Command("consent", "consent"),
    Command("share", "share"),
    Command("carry", "carry"),
    Command("completion", "completion", Needs.NOTHING),
)
NAMES: tuple[str, ...] = tuple(command.name for command in COMMANDS)


def find(name: str | None) -> Command | None:
    return next((command for command in COMMANDS if command.name == name), None)


def add_arguments(commands: Any, epilog: Callable[..., str],
                  wanted: Container[str] | None = None) -> None:
    """Each command's part of the parser, or only those ``wanted``."""
    for command in COMMANDS:
        if wanted is None or command.name in wanted:
            command.load().add_arguments(commands, epilog)


def run(command: Command, context: Any, args: argparse.Namespace) -> int:
    code: int = command.load().run(context, args)
    return code
