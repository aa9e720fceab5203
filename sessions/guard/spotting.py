"""What the guard found in one text, and which of it is already known.

The spotter (``engine.py``) marks what looks like a name or a number; not all of it needs a
person's attention. Known and left out: a participant's name or any part of it ("Bram"
for "Bram de Wit", who is in the room), also inside a longer span ("What Anouk"); a name
the meeting already protects (it is a pseudonym wherever the room sees it); and what the
community dismissed ("Mark" the colleague, "Groot" the word). A part of a protected name
alone is *not* known: "Daan" typed where "Daan de Vries" is protected is not pseudonymised,
so it is exactly what to spot. But the spotter also takes a sentence's first word, capital
as it is, for part of a name after it ("Why Zoë stopped asking"): with that word left off, a
protected name is known.

A name joined by a hyphen to a word in lower case is part of a compound, not a person:
"de Groot-lijst", "Summer-born", "Marzano-model" (a double surname goes on with a capital or
a particle: "Jansen-de Vries").

Dates: the spotter marks every date, and a meeting is full of due dates. Only a date that
reads as a date of birth is kept: its year at least ``BIRTH_YEARS`` before today's, or a
birth word just before it ("geboren", "born").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kring.sessions.guard.kinds import Kind
from kring.sessions.model.name_variants import fold

BIRTH_YEARS = 3  # a date this many years back or more is a pupil's birthday, not a deadline
_BIRTH_WORDS = re.compile(r"(geboren|geb\.|geboortedatum|born|birth|d\.?o\.?b\.?)\W*$",
                          re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # character offsets in the text it was found in
    end: int
    text: str
    kind: Kind


@dataclass(frozen=True)
class Known:
    """What the guard need not ask about, folded (no case, no accents)."""

    words: frozenset[str] = frozenset()  # every word of every participant's name
    names: frozenset[str] = frozenset()  # whole names: protected ones, dismissed words

    @classmethod
    def of(cls, participants: Iterable[str], protected: Iterable[str] = (),
           dismissed: Iterable[str] = ()) -> Known:
        words = {word for name in participants for word in _WORD.findall(fold(name))}
        names = {_plain(name) for name in (*protected, *dismissed)}
        return cls(frozenset(words), frozenset(name for name in names if name))

    def knows(self, span: Span) -> bool:
        plain = _plain(span.text)
        if not plain:
            return True
        if plain in self.names:
            return True
        if span.kind is Kind.PERSON:
            # A participant's name in it is that participant: "meneer Bram", "Bram's", and
            # "What Anouk" (the spotter takes a capital before a first name for more of it).
            return any(word in self.words for word in plain.split() if word not in _TITLES)
        return False


_TITLES = frozenset({"meneer", "mevrouw", "juf", "juffrouw", "meester", "mr", "mrs", "ms",
                     "miss", "dr", "de", "van", "der", "den", "s"})


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(fold(text)))


def worth_asking(spans: Iterable[Span], text: str, known: Known, today: date) -> list[Span]:
    """The spans of ``text`` a person should look at: not known, and a date only if it is a
    date of birth. In the order they occur, each once."""
    kept: list[Span] = []
    seen: set[tuple[int, int]] = set()
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if (span.start, span.end) in seen or known.knows(span) or _opening_word_of(
                span, text, known):
            continue
        if span.kind is Kind.BIRTH_DATE and not _birth_date(span, text, today):
            continue
        if span.kind is not Kind.BIRTH_DATE and _compound(span, text):
            continue
        seen.add((span.start, span.end))
        kept.append(span)
    return kept


def _opening_word_of(span: Span, text: str, known: Known) -> bool:
    """A known name with its sentence's first word glued on: "Why Zoë" where Zoë is
    protected."""
    if span.kind is not Kind.PERSON or _SENTENCE_START.search(text[:span.start]) is None:
        return False
    _first, _space, rest = _plain(span.text).partition(" ")
    return rest in known.names


_SENTENCE_START = re.compile(r"(^|[.!?:;]\s+|\n)[\W_]*$")


def _compound(span: Span, text: str) -> bool:
    after = _COMPOUND.match(text, span.end)
    return after is not None and after.group(1) not in _PARTICLES


_COMPOUND = re.compile(r"-([a-zà-ÿ]+)")
_PARTICLES = frozenset({"de", "van", "der", "den", "ter", "te", "la", "le", "el", "al", "ten"})


def _birth_date(span: Span, text: str, today: date) -> bool:
    if _BIRTH_WORDS.search(text[max(0, span.start - 20):span.start]):
        return True
    year = _YEAR.search(span.text)
    return year is not None and int(year.group()) <= today.year - BIRTH_YEARS
