"""Choosing the interface language: --lang, then the config file, then the system locale."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.sessions.language import (
    choose_language,
    cli_language,
    language_code,
    read_config,
    system_language,
)

WITH_VALUE = ("--data", "--templates", "--minutes", "--lang")


def nothing() -> None:
    return None


def choose(cli: str | None = None, config: dict[str, str] | None = None,
           **environ: str) -> str:
    return choose_language(cli, config, environ, fallback=nothing)


def test_the_order_is_cli_then_config_then_system() -> None:
    assert choose("en", {"language": "nl"}, LANG="nl_NL.UTF-8") == "en"
    assert choose(None, {"language": "nl"}, LANG="en_GB.UTF-8") == "nl"
    assert choose(None, {}, LANG="nl_NL.UTF-8") == "nl"
    assert choose(None, None) == "en"


def test_an_unknown_choice_falls_through_to_the_next() -> None:
    assert choose("de", {"language": "fr"}, LANG="nl_BE.UTF-8") == "nl"
    assert choose(None, {"language": ""}, LANG="nl_NL") == "nl"
    assert choose(None, {"language": "NL"}) == "nl"


@pytest.mark.parametrize(("value", "code"), [
    ("nl_NL.UTF-8", "nl"), ("nl_BE", "nl"), ("nl_BE@euro", "nl"), ("nl-NL", "nl"), ("nl", "nl"),
    ("Dutch_Netherlands.1252", "nl"), ("en_US.UTF-8", "en"), ("English_United Kingdom", "en"),
    ("de_DE.UTF-8", None), ("C", None), ("C.UTF-8", None), ("POSIX", None), ("", None),
    (None, None),
])
def test_language_code(value: str | None, code: str | None) -> None:
    assert language_code(value) == code


def test_system_locale_follows_posix_precedence() -> None:
    assert system_language({"LANG": "nl_NL.UTF-8"}) == "nl"
    assert system_language({"LC_MESSAGES": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}) == "nl"
    assert system_language({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "nl_NL.UTF-8"}) == "en"
    # a set LC_ALL overrides LANG, even with a language Kring does not speak
    assert system_language({"LC_ALL": "de_DE.UTF-8", "LANG": "nl_NL.UTF-8"}) == "en"
    assert system_language({"LANG": "fr_FR.UTF-8"}) == "en"
    assert system_language({"LC_ALL": "", "LANG": "nl_NL.UTF-8"}) == "nl"  # empty is unset


def test_language_preference_list_wins_unless_the_locale_is_c() -> None:
    assert system_language({"LANGUAGE": "nl:en", "LANG": "en_US.UTF-8"}) == "nl"
    assert system_language({"LANGUAGE": "de:nl", "LANG": "en_US.UTF-8"}) == "nl"
    assert system_language({"LANGUAGE": "de", "LANG": "nl_NL.UTF-8"}) == "nl"
    assert system_language({"LANGUAGE": "nl", "LC_ALL": "C"}) == "en"
    assert system_language({"LANGUAGE": "nl_BE"}) == "nl"


def test_without_any_variable_the_operating_system_is_asked() -> None:
    assert system_language({}, lambda: "Dutch_Netherlands") == "nl"
    assert system_language({}, lambda: None) == "en"
    assert system_language({"LANG": "en_GB.UTF-8"}, lambda: "nl_NL") == "en"  # env first
    assert choose_language(None, None, {}, fallback=lambda: "nl_NL") == "nl"


def test_read_config(tmp_path: Path) -> None:
    assert read_config(tmp_path) == {}  # no file
    (tmp_path / "config.toml").write_text('language = "nl"\nhtml = true\nsize = 3\n',
                                          encoding="utf-8")
    # text and true/false settings; others (numbers, tables) are not Kring's
    assert read_config(tmp_path) == {"language": "nl", "html": "true"}
    assert choose(None, read_config(tmp_path), LANG="en_US.UTF-8") == "nl"


@pytest.mark.parametrize("content", [
    b"language = ", b"language = nl\n", b"\xff\xfe not text", b"[language\n",
])
def test_a_broken_config_is_ignored(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "config.toml").write_bytes(content)
    assert read_config(tmp_path) == {}


def test_a_config_that_is_a_folder_or_missing_folder_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    assert read_config(tmp_path) == {}
    assert read_config(tmp_path / "nowhere") == {}


@pytest.mark.parametrize(("argv", "wanted"), [
    ([], None),
    (["--lang", "nl"], "nl"),
    (["--lang=nl", "--help"], "nl"),
    (["--la", "nl"], "nl"),
    (["--data", "d", "--lang", "en"], "en"),
    (["--templates=x", "--lang", "nl", "list"], "nl"),
    (["templates", "--lang", "nl"], None),  # the sub-command's filter, not the interface
    (["--data", "d", "templates", "show", "x", "--lang", "nl"], None),
    (["--lang"], None),
    (["--help"], None),
    (["--minutes", "out", "--lang", "nl"], "nl"),  # a new option with a value
    (["--data", "templates", "--lang", "nl"], "nl"),  # a folder named like a sub-command
])
def test_cli_language_reads_only_the_top_level_option(argv: list[str],
                                                      wanted: str | None) -> None:
    assert cli_language(argv, WITH_VALUE) == wanted


def test_cli_language_knows_the_real_command_line() -> None:
    # The options taking a value, read from Kring's own parser as the command line does.
    from kring.tui.cli import build_parser

    parser = build_parser()
    with_value = {option for action in parser._actions if action.nargs != 0
                  for option in action.option_strings}
    assert "--lang" in with_value and "--data" in with_value
    assert cli_language(["--data", "x", "--lang", "nl", "list"], with_value) == "nl"
