"""The command line explains itself: every option says what it does, every help page ends with
examples, the environment variables Kring reads are named, and the shells complete it."""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kring.tui.cli import build_parser, main
from kring.tui.cli.parser import SHELLS

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 100  # the README's and the code's line length: a help page is read in a terminal
# How an environment variable Kring reads is spelled: its own, and the locale's (gettext's).
ENV_NAME = re.compile(r"KRING_[A-Z_]+|LANGUAGE|LANG|LC_ALL|LC_MESSAGES")


def parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with the words that reach it: (), ("templates",),
    ("templates", "show"), ..."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


def command_paths() -> list[tuple[str, ...]]:
    return [path for path, _parser in parsers(build_parser())]


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def variables_read() -> set[str]:
    """The environment variables named anywhere in sessions/ and tui/: a new one added to the
    code shows up here, and so must be documented."""
    found: set[str] = set()
    for folder in ("sessions", "tui"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and ENV_NAME.fullmatch(node.value):
                    found.add(node.value)
    return found


# -- help --------------------------------------------------------------------------------------


def test_the_command_line_has_every_command() -> None:
    top = {path[0] for path in command_paths() if len(path) == 1}
    assert top == {"templates", "community", "export", "actions", "journal", "purge", "list",
                   "doctor", "completion", "new", "add", "project", "calendar", "research",
                   "consent", "share", "carry", "check", "insights"}


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "kring")
def test_every_option_and_argument_has_a_help_text(path: tuple[str, ...]) -> None:
    parser = dict(parsers(build_parser()))[path]
    silent = [action.option_strings or action.dest for action in parser._actions
              if not (action.help or "").strip()]
    assert silent == []


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "kring")
def test_every_help_page_ends_with_examples_of_its_command(
        capsys: pytest.CaptureFixture[str], path: tuple[str, ...]) -> None:
    out = help_of(capsys, *path)
    assert "\nexamples:\n" in out
    examples = out.split("\nexamples:\n", 1)[1]
    # Each example is a command to copy, of the command whose help this is.
    assert (f"  kring {path[0]}" if path else "  kring") in examples
    assert all(len(line) <= WIDTH for line in out.splitlines()), out


def test_the_main_help_names_every_environment_variable_kring_reads(
        capsys: pytest.CaptureFixture[str]) -> None:
    read = variables_read()
    assert {"KRING_DATA", "KRING_CONFIG", "KRING_STATE", "LANG"} <= read
    out = help_of(capsys)
    environment = out.split("environment variables:", 1)[1]
    assert {name for name in read if name not in environment} == set()


def test_the_readme_names_every_environment_variable_kring_reads() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert {name for name in variables_read() if f"`{name}" not in readme} == set()


def test_an_epilog_keeps_its_lines_and_a_description_is_still_wrapped(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = help_of(capsys, "doctor")
    assert "  kring doctor --repair" in out
    assert all(len(line) <= 60 for line in out.split("examples:")[0].splitlines())


# -- completion --------------------------------------------------------------------------------


def completion(capsys: pytest.CaptureFixture[str], shell: str) -> str:
    assert main(["completion", shell]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("shell", SHELLS)
def test_a_completion_script_knows_every_command_and_option(
        capsys: pytest.CaptureFixture[str], shell: str) -> None:
    script = completion(capsys, shell)
    words = {word for path in command_paths() for word in path}
    options = {option for _path, parser in parsers(build_parser())
               for action in parser._actions for option in action.option_strings
               if option.startswith("--")}
    assert {word for word in words if word not in script} == set()
    # fish names a long option without its dashes: `complete -l repair`.
    spelled = {option: f"-l {option[2:]}" if shell == "fish" else option for option in options}
    assert {option for option, written in spelled.items() if written not in script} == set()
    # A sub-command is offered with its one-line help, not its description paragraph.
    if shell != "bash":  # bash shows no descriptions
        assert "write or print the minutes of a meeting" in script
        assert "ended or in progress" not in script


def test_the_bash_script_completes_folders_files_and_choices(
        capsys: pytest.CaptureFixture[str]) -> None:
    script = completion(capsys, "bash")
    assert "_shtab_kring___data_COMPGEN=_shtab_compgen_dirs" in script
    assert "_shtab_kring_export___out_COMPGEN=_shtab_compgen_files" in script
    assert "_shtab_kring_templates_validate_pos_0_COMPGEN=_shtab_compgen_files" in script
    # A meeting id or a name is not a file in the working directory: offered nothing.
    assert "_shtab_kring_journal_pos_0_COMPGEN" not in script


COMPLETE_IN_BASH = r"""
source "$1"
comp() {
  COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
  _shtab_kring kring "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
  echo "${COMPREPLY[*]}"
}
comp kring co
comp kring export --format ""
comp kring completion ""
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_with_the_script(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    script = tmp_path / "kring.bash"
    script.write_text(completion(capsys, "bash"), encoding="utf-8")
    result = subprocess.run(["bash", "-c", COMPLETE_IN_BASH, "bash", str(script)],
                            capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.splitlines() == ["community consent completion", "md html pdf",
                                         "bash zsh fish"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_accept_their_script(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    script = tmp_path / f"kring.{shell}"
    script.write_text(completion(capsys, shell), encoding="utf-8")
    result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr


def test_completion_needs_no_data_folder(capsys: pytest.CaptureFixture[str],
                                         isolated_folders: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = isolated_folders / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("KRING_DATA", str(blocked / "data"))
    assert "templates" in completion(capsys, "bash")
    assert not (isolated_folders / "data").exists()


def test_completion_of_an_unknown_shell_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["completion", "tcsh"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_installed_command_prints_a_script() -> None:
    """As a user's shell runs it: a separate process, stdout only, nothing on stderr."""
    result = subprocess.run([sys.executable, "-m", "kring.tui", "completion", "bash"],
                            capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0 and result.stderr == ""
    assert "complete -o bashdefault -F _shtab_kring kring" in result.stdout
