"""Translation: every string a person reads goes through ``_`` (gettext).

Catalogs live in ``sessions/locale/<lang>/LC_MESSAGES/kring.mo``. Code that writes in a
meeting's own language (the minutes) asks for ``translator(language)`` explicitly; the
interface uses ``_``, bound once at start-up by ``use_language``, as gettext intends.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

DOMAIN = "kring"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "nl")

_active: gettext.NullTranslations = gettext.NullTranslations()
_active_language = "en"


@cache
def translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def use_language(language: str) -> None:
    global _active, _active_language
    _active = translator(language)
    _active_language = language


def active_language() -> str:
    """The interface's language, for what ``_`` cannot do alone (dates, durations)."""
    return _active_language


def _(message: str) -> str:
    return _active.gettext(message)


def N_(message: str) -> str:
    """Marks a string for the catalog without translating it yet: for text defined when a
    module is imported (key descriptions), translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """``singular`` or ``plural`` for ``n``, as the interface's language counts ("1 vote",
    "2 votes"; Dutch the same rule, other languages their own): never "1 votes"."""
    return _active.ngettext(singular, plural, n)
