"""Both languages are complete: every string the code shows is in the English and the Dutch
catalog, every Dutch one is translated with its placeholders and markup intact, and the
compiled .mo files are the ones the .po files make.

When a test here fails after adding or changing a string: ``python -m tests.i18n_catalog
update``, translate what it reports in ``sessions/locale/nl/LC_MESSAGES/kring.po``, run it again.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from kring.sessions.i18n import LANGUAGES, translator, use_language
from tests import i18n_catalog as cat

UPDATE = "run `python -m tests.i18n_catalog update`"


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """The interface language is process-wide: leave it as the other tests expect it."""
    yield
    use_language("en")


@pytest.fixture(scope="module")
def extracted() -> list[cat.Extracted]:
    return cat.extract()


def test_the_extractor_finds_strings_in_every_form_the_code_uses(tmp_path: Path) -> None:
    package = tmp_path / "tui"
    package.mkdir()
    (package / "x.py").write_text(
        "from textual.binding import Binding\n"
        "B = [Binding('f1', 'help', _('Help'))]\n"
        "def f(t, n):\n"
        "    t('Minutes of {day}').format(day=1)\n"
        "    translator('nl').gettext('Attribute call')\n"
        "    ngettext('{n} entry', '{n} entries', n)\n"
        "    print(f\"{_('inside an f-string')}\")\n"
        "    _(variable)\n"
        "    _(f'bad {n}')\n",
        encoding="utf-8")
    (tmp_path / "sessions").mkdir()
    found, suspects = cat.scan(tmp_path)
    assert cat.msgids(found) == {"Help", "Minutes of {day}", "Attribute call",
                                 ("{n} entry", "{n} entries"), "inside an f-string"}
    assert [(s.path, s.line) for s in suspects] == [("tui/x.py", 9)]


def test_no_translation_call_is_given_an_f_string() -> None:
    _, suspects = cat.scan()
    assert [f"{s.path}:{s.line}: {s.why}" for s in suspects] == []


def test_the_code_has_strings_to_translate(extracted: list[cat.Extracted]) -> None:
    # Guards the extractor itself: strings from the screens, the CLI and the minutes.
    ids = cat.msgids(extracted)
    assert {"Next phase", "language of the interface", "facilitator"} <= ids


def test_the_template_lists_exactly_the_strings_of_the_code(
        extracted: list[cat.Extracted]) -> None:
    assert cat.msgids(cat.read_catalog(cat.POT_PATH)) == cat.msgids(extracted), UPDATE


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_shown_is_in_the_catalog(language: str,
                                              extracted: list[cat.Extracted]) -> None:
    have = cat.msgids(cat.read_catalog(cat.po_path(language), language))
    wanted = cat.msgids(extracted)
    assert sorted(wanted - have, key=str) == [], f"missing from {language}: {UPDATE}"
    assert sorted(have - wanted, key=str) == [], f"no longer used, in {language}: {UPDATE}"


def test_every_dutch_string_is_translated_with_its_placeholders_and_markup() -> None:
    catalog = cat.read_catalog(cat.po_path("nl"), "nl")
    problems = {message.id: found for message in catalog if message.id
                for found in [cat.translation_problems(message)] if found}
    assert problems == {}


def test_an_english_translation_if_any_keeps_its_placeholders() -> None:
    # English msgstrs stay empty (the msgid is the English), but one may fix a wording.
    catalog = cat.read_catalog(cat.po_path("en"), "en")
    problems = {message.id: cat.translation_problems(message) for message in catalog
                if message.id and any(cat._strings(message))}
    assert {ident: found for ident, found in problems.items() if found} == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_mo_file_is_compiled_from_the_po_file(language: str) -> None:
    catalog = cat.read_catalog(cat.po_path(language), language)
    on_disk = cat.mo_path(language).read_bytes()
    assert cat.compiled(on_disk) == cat.compiled(cat.mo_bytes(catalog)), UPDATE


def test_the_checker_spots_what_a_translator_can_get_wrong() -> None:
    def problems(msgid: str, msgstr: str, fuzzy: bool = False) -> list[str]:
        return cat.translation_problems(
            Message(msgid, msgstr, flags=["fuzzy"] if fuzzy else []))

    assert problems("Phase {n} of {total}", "Fase {n} van {total}") == []
    assert problems("Phase {n} of {total}", "Fase {n} van {totaal}")
    assert problems("[b]Welcome[/b]", "Welkom")
    assert problems("**{minutes} minutes**", "{minutes} minuten")
    assert problems(" (optional)", "(optioneel)")
    assert problems("Now: ", "Nu:")
    assert problems("Next phase", "")
    assert problems("Next phase", "Volgende fase", fuzzy=True)
    assert cat.placeholders("{a} {b!r} {c:>4} {{literal}}") == {"a", "b", "c"}


# -- at run time: the standard library reading the committed .mo files --------------------------


def test_the_dutch_catalog_is_read_by_the_standard_library() -> None:
    dutch = translator("nl")
    assert isinstance(dutch, gettext.GNUTranslations)
    assert dutch.gettext("Next phase") == "Volgende fase"
    assert dutch.gettext("facilitator") == "gespreksleider"
    assert translator("en").gettext("Next phase") == "Next phase"


def test_an_unknown_language_falls_back_to_english() -> None:
    assert translator("de").gettext("Next phase") == "Next phase"


def test_use_language_switches_the_interface() -> None:
    from kring.sessions.i18n import _

    use_language("nl")
    assert _("Pause/resume") == "Pauze/hervatten"
    use_language("en")
    assert _("Pause/resume") == "Pause/resume"


# -- the command line --------------------------------------------------------------------------


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    from kring.tui.cli import main

    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_in_dutch_with_lang(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_text(capsys, "--lang", "nl", "--help")
    assert "taal van de schermen en meldingen" in out
    assert "language of the interface" not in out


def test_help_in_dutch_from_the_system_locale(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert "taal van de schermen en meldingen" in help_text(capsys, "--help")
    # --lang wins over the system
    assert "language of the interface" in help_text(capsys, "--lang", "en", "--help")


def test_help_in_dutch_from_the_config_file(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch,
                                            isolated_folders: Path) -> None:
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    config = isolated_folders / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('language = "nl"\n', encoding="utf-8")
    assert "taal van de schermen en meldingen" in help_text(capsys, "--help")


def test_a_sub_command_help_is_dutch_too(capsys: pytest.CaptureFixture[str]) -> None:
    out = help_text(capsys, "--lang", "nl", "doctor", "--help")
    assert "Controleert de gegevensmap" in out


def test_templates_lang_filter_does_not_change_the_interface(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kring.tui.cli import main

    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(["templates", "--lang", "nl"]) == 0
    out = capsys.readouterr().out
    assert "built-in" in out and "ingebouwd" not in out


def test_argparse_own_words_are_dutch_too(capsys: pytest.CaptureFixture[str]) -> None:
    # "usage:", "options:" and the --help line come from argparse itself, in English, unless
    # the parser is given them through the catalog.
    out = help_text(capsys, "--lang", "nl", "--help")
    assert out.startswith("gebruik: kring")
    assert "opties:" in out
    assert "show this help message and exit" not in out
