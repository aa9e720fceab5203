"""All the protocols Kring knows: the built-ins, overridden or extended by the user's own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kring.sessions.model.protocol import Protocol
from kring.sessions.protocols.template_format import TemplateError
from kring.sessions.protocols.templates import load_protocol


class Source(StrEnum):
    BUILT_IN = "built-in"
    USER = "user"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    protocol: Protocol
    source: Source
    path: Path
    overrides: Path | None = None  # the built-in file this user template replaces


@dataclass(slots=True)
class Catalog:
    entries: list[CatalogEntry] = field(default_factory=list)
    problems: list[TemplateError] = field(default_factory=list)  # user files that did not load

    def languages(self) -> list[str]:
        return sorted({e.protocol.language for e in self.entries})

    def listed(self, language: str | None = None, prefer: str | None = None
               ) -> list[CatalogEntry]:
        """Entries sorted for display; with ``prefer``, that language comes first."""
        chosen = [e for e in self.entries if language is None or e.protocol.language == language]
        return sorted(chosen, key=lambda e: (e.protocol.language != prefer, e.protocol.language,
                                             e.protocol.name.casefold()))

    def find(self, ident: str, language: str | None = None, prefer: str = "en"
             ) -> CatalogEntry | None:
        """The protocol with this id; without a language, the preferred one if it exists."""
        matches = [e for e in self.entries if e.protocol.id == ident]
        if language is not None:
            matches = [e for e in matches if e.protocol.language == language]
        matches.sort(key=lambda e: (e.protocol.language != prefer, e.protocol.language))
        return matches[0] if matches else None


def template_files(folder: Path) -> list[Path]:
    """The ``.toml`` files under ``folder``. Only regular files: a FIFO or device named
    ``*.toml`` is no template, and reading one could wait for ever."""
    if not folder.is_dir():
        return []
    try:
        return sorted(p for p in folder.rglob("*.toml") if p.is_file())
    except OSError:  # a sub-folder vanished or cannot be listed: the built-ins still load
        return []


def load_catalog(builtin_dir: Path, user_dirs: Sequence[Path] = ()) -> Catalog:
    """Built-ins first, then each user folder in order; a later file with the same id and
    language replaces an earlier one. A broken built-in is a bug and raises; a broken user
    file is reported in ``problems`` so one typo never hides every protocol."""
    catalog = Catalog()
    by_key: dict[tuple[str, str], CatalogEntry] = {}
    for path in template_files(builtin_dir):
        protocol = load_protocol(path)
        by_key[protocol.key] = CatalogEntry(protocol, Source.BUILT_IN, path)
    for path in _user_files(user_dirs):
        try:
            protocol = load_protocol(path)
        except TemplateError as error:
            catalog.problems.append(error)
            continue
        previous = by_key.get(protocol.key)
        builtin = previous.path if previous and previous.source is Source.BUILT_IN else None
        if previous is not None and previous.overrides is not None:
            builtin = previous.overrides
        by_key[protocol.key] = CatalogEntry(protocol, Source.USER, path, overrides=builtin)
    catalog.entries = list(by_key.values())
    return catalog


def _user_files(folders: Iterable[Path]) -> Iterable[Path]:
    for folder in folders:
        if folder.is_file():
            yield folder
        else:
            yield from template_files(folder)
