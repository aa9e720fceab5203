"""One way to add a command: a module in tui/cli/ with its parser part and its run, and a row
in the registry. Every row's module has both; every module with a parser part has a row (a
command written and never listed would be unreachable); the main help lists them in the
registry's order."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kring.tui.cli import commands, main

CLI = Path(commands.__file__).resolve().parent


def test_every_registered_command_says_its_arguments_and_its_run() -> None:
    assert len(set(commands.NAMES)) == len(commands.NAMES)
    for command in commands.COMMANDS:
        module = command.load()
        assert callable(getattr(module, "add_arguments", None)), command.name
        assert callable(getattr(module, "run", None)), command.name


def test_every_module_with_a_parser_part_is_registered() -> None:
    registered = {command.module for command in commands.COMMANDS}
    for path in CLI.glob("*.py"):
        if path.stem == "commands":  # the registry itself: it adds them all
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defines = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        if "add_arguments" in defines:
            assert path.stem in registered, path.name


def test_the_main_help_lists_the_commands_in_the_registry_s_order(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    places = [shown.index(f"\n    {name} ") for name in commands.NAMES]
    assert places == sorted(places)
