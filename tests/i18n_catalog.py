"""Keeping the translation catalogs in step with the code.

    python -m tests.i18n_catalog update   # re-extract, merge into the .po files, compile the .mo
    python -m tests.i18n_catalog check    # say what is missing or stale; exit 1 if anything is

The strings are found with ``ast``: every call of ``_``, ``t``, ``N_``, ``gettext`` or
``ngettext`` (also as an attribute, ``translator(lang).gettext``) whose first argument is a string
literal, in ``tui/`` and ``sessions/``. Reading the source rather than importing it means a
string in a screen nobody opened in the tests is still found.

Babel reads and writes the .po files and compiles the .mo files; it is a test dependency only.
At run time the app reads the committed .mo files with the standard library's ``gettext``.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from string import Formatter

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from kring.sessions.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("tui", "sessions")
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
SOURCE_LANGUAGE = "en"  # the msgids are English; its catalog may stay untranslated

# Names a translated string is passed to. ``t`` is what the minutes call the meeting's own
# translator; ``N_`` marks a string translated later (at display time) without translating it.
SINGULAR_KEYWORDS = frozenset({"_", "t", "N_", "gettext"})
PLURAL_KEYWORDS = frozenset({"ngettext"})
ATTRIBUTE_KEYWORDS = frozenset({"gettext", "ngettext"})  # translator(lang).gettext("...")

PO_WIDTH = 76  # what gettext's own tools wrap at, so a translator's editor changes no layout
PROJECT = "kring"
TEAMS = {"nl": "Nederlands", "en": "English"}


@dataclass
class Extracted:
    """One translatable string and where the code uses it."""

    id: str | tuple[str, str]
    locations: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Suspect:
    """A call of a translation function that cannot be extracted (an f-string, say): its
    text would never be found in a catalog, so it would show untranslated."""

    path: str
    line: int
    why: str


# -- extraction --------------------------------------------------------------------------------


def source_files(root: Path = ROOT) -> list[Path]:
    files: list[Path] = []
    for folder in SOURCE_DIRS:
        files += (root / folder).rglob("*.py")
    return sorted(files)


def _keyword(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id in SINGULAR_KEYWORDS | PLURAL_KEYWORDS:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in ATTRIBUTE_KEYWORDS:
        return func.attr
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            keyword = _keyword(node)
            if keyword is not None and node.args:
                yield node, keyword


def scan(root: Path = ROOT) -> tuple[list[Extracted], list[Suspect]]:
    """Every translatable string in source order (files sorted by path), and the calls that
    pass something that cannot be looked up."""
    found: dict[str | tuple[str, str], Extracted] = {}
    suspects: list[Suspect] = []
    for path in source_files(root):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        calls = sorted(_calls(tree), key=lambda item: (item[0].lineno, item[0].col_offset))
        for call, keyword in calls:
            first = call.args[0]
            if isinstance(first, ast.JoinedStr):
                suspects.append(Suspect(relative, call.lineno,
                                        f"{keyword}() of an f-string: use .format() after it"))
                continue
            singular = _literal(first)
            if singular is None:
                continue  # a variable: translated elsewhere, or a message already translated
            if keyword in PLURAL_KEYWORDS:
                plural = _literal(call.args[1]) if len(call.args) > 1 else None
                if plural is None:
                    suspects.append(Suspect(relative, call.lineno,
                                            f"{keyword}() without a literal plural"))
                    continue
                key: str | tuple[str, str] = (singular, plural)
            else:
                key = singular
            if not singular:
                suspects.append(Suspect(relative, call.lineno,
                                        f"{keyword}('') returns the catalog's header"))
                continue
            found.setdefault(key, Extracted(key)).locations.append((relative, call.lineno))
    return list(found.values()), suspects


def extract(root: Path = ROOT) -> list[Extracted]:
    return scan(root)[0]


def msgids(messages: Iterable[Extracted | Message]) -> set[str | tuple[str, str]]:
    """The ids, with a plural message as its (singular, plural) pair."""
    ids: set[str | tuple[str, str]] = set()
    for message in messages:
        if isinstance(message, Message) and not message.id:
            continue  # the header
        ident = message.id
        ids.add(tuple(ident) if isinstance(ident, list | tuple) else ident)  # type: ignore[arg-type]
    return ids


# -- what must survive translation -------------------------------------------------------------

_RICH_TAG = re.compile(r"\[/?[a-z][a-z0-9 _#.=-]*\]|\[/\]")
_MARKDOWN = ("**", "`")


def placeholders(text: str) -> set[str]:
    """The ``{fields}`` that ``.format`` fills in; a translation must keep exactly these."""
    try:
        return {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError:  # a lone brace: not a format string, so compare the braces literally
        return set(re.findall(r"\{[^{}]*\}", text))


def markup(text: str) -> list[str]:
    """Rich tags, Markdown emphasis and code marks, and the whitespace at either end: things a
    translation has to carry over as they are, or the screen shows them wrongly."""
    marks = sorted(_RICH_TAG.findall(text))
    marks += [f"{mark}×{text.count(mark)}" for mark in _MARKDOWN if mark in text]
    stripped = text.strip()
    if stripped:
        head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        marks += [f"lead {head!r}", f"trail {tail!r}"]
    return marks


def translation_problems(message: Message) -> list[str]:
    """Why one translated message cannot be used as it is (empty when it is fine)."""
    problems: list[str] = []
    ids = message.id if isinstance(message.id, list | tuple) else (message.id,)
    strings = message.string if isinstance(message.string, list | tuple) else (message.string,)
    if message.fuzzy:
        problems.append("marked fuzzy: check the translation, then remove the flag")
    if not all(strings):
        problems.append("not translated")
        return problems
    wanted_fields = set().union(*(placeholders(i) for i in ids))
    wanted_marks = markup(ids[0])
    for string in strings:
        if placeholders(string) != wanted_fields:
            problems.append(f"placeholders {sorted(placeholders(string))} instead of "
                            f"{sorted(wanted_fields)}")
        if markup(string) != wanted_marks:
            problems.append(f"markup {markup(string)} instead of {wanted_marks}")
    return problems


# -- catalogs ----------------------------------------------------------------------------------


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers: they change with every edit of the code around a string, and would make
    # every commit touch the catalogs. The file name is enough to find the string.
    write_po(buffer, catalog, width=PO_WIDTH, ignore_obsolete=True, include_lineno=False)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compiled(data: bytes) -> dict[object, str]:
    """What the standard library reads from a .mo file, without its header (which names the
    Babel version that wrote it, and so says nothing about the translations)."""
    translations = gettext.GNUTranslations(io.BytesIO(data))
    table: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in table.items() if key != ""}


def template(extracted: list[Extracted], created: datetime) -> Catalog:
    catalog = _new_catalog(None, created)
    for message in extracted:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        flags = ["python-brace-format"] if any(placeholders(i) for i in ids) else []
        catalog.add(message.id, locations=message.locations, flags=flags)
    return catalog


def _new_catalog(language: str | None, created: datetime) -> Catalog:
    catalog = Catalog(locale=language, domain=DOMAIN, project=PROJECT, version=_version(),
                      creation_date=created, header_comment=_HEADER_COMMENT, fuzzy=False,
                      charset="utf-8")
    catalog.msgid_bugs_address = ""  # Babel's default is a placeholder address
    if language is not None:
        catalog.revision_date = created
        catalog.language_team = TEAMS.get(language, language)
        catalog.last_translator = "Kring"
    return catalog


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


_HEADER_COMMENT = (
    "# Kring's interface, command line and minutes.\n"
    "# Regenerate with: python -m tests.i18n_catalog update\n"
    "# Keep every {placeholder}, [rich]markup[/] and **Markdown** as it is."
)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def update(root: Path = ROOT) -> list[str]:
    """Re-extract, rewrite the template, merge it into each language's catalog (keeping what
    is translated, marking near-matches fuzzy), and compile. Returns what changed."""
    extracted = extract(root)
    changed: list[str] = []

    # The template keeps its creation date unless its strings change, so an update that finds
    # nothing new leaves every file byte for byte as it was.
    old = read_catalog(POT_PATH) if POT_PATH.exists() else None
    pot = template(extracted, old.creation_date if old is not None else _now())
    if old is not None and po_bytes(pot) != POT_PATH.read_bytes():
        pot = template(extracted, _now())
    if _write_if_changed(POT_PATH, po_bytes(pot)):
        changed.append(str(POT_PATH.relative_to(ROOT)))

    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read_catalog(path, language)
            catalog.update(pot, update_creation_date=True)
        else:
            catalog = _new_catalog(language, pot.creation_date)
            catalog.update(pot)
        for message in catalog:
            if message.id and message.fuzzy and not any(_strings(message)):
                # A near-match with nothing to offer (English keeps msgstr empty): not fuzzy.
                message.flags.discard("fuzzy")
        catalog.fuzzy = False
        if _write_if_changed(path, po_bytes(catalog)):
            changed.append(str(path.relative_to(ROOT)))
        if _write_if_changed(mo_path(language), mo_bytes(catalog)):
            changed.append(str(mo_path(language).relative_to(ROOT)))
    return changed


def _strings(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, list | tuple) else (string or "",)


def check(root: Path = ROOT) -> list[str]:
    """Everything that keeps the catalogs from matching the code; empty when all is well."""
    extracted, suspects = scan(root)
    wanted = msgids(extracted)
    problems = [f"{s.path}:{s.line}: {s.why}" for s in suspects]
    if not POT_PATH.exists() or msgids(read_catalog(POT_PATH)) != wanted:
        problems.append(f"{POT_PATH.relative_to(ROOT)} is out of date")
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        catalog = read_catalog(path, language)
        have = msgids(catalog)
        problems += [f"{language}: missing {ident!r}" for ident in sorted(wanted - have, key=str)]
        problems += [f"{language}: no longer used {ident!r}"
                     for ident in sorted(have - wanted, key=str)]
        if language != SOURCE_LANGUAGE:
            for message in catalog:
                if message.id:
                    problems += [f"{language}: {message.id!r}: {problem}"
                                 for problem in translation_problems(message)]
        mo = mo_path(language)
        if not mo.exists() or compiled(mo.read_bytes()) != compiled(mo_bytes(catalog)):
            problems.append(f"{mo.relative_to(ROOT)} is not compiled from the .po file")
    return problems


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        for name in update():
            print(f"updated {name}")
        command = "check"
    if command == "check":
        problems = check()
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
