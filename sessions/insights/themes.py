"""Recurring themes: key phrases of a community's cases, questions and learnings.

YAKE (``yake``, LGPL, well kept; statistical, so no language model to download, and it has
Dutch and English stop words) picks candidate phrases from the text of the range; a phrase is
a theme by how many meetings it occurs in. Names never become themes: every protected name
and every participant's name (whole, and each part of it) is taken out of the text first,
pseudonyms included, so neither a pupil nor a colleague is a "theme".

The text read is bounded (``MAX_TEXT``, newest meetings first): YAKE's time grows with the
text, and a community's recent meetings say what it works on now.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kring.sessions.insights.model import Theme
from kring.sessions.model.meeting import PseudonymStyle
from kring.sessions.model.name_variants import fold
from kring.sessions.model.privacy import Pseudonymizer

MAX_TEXT = 40_000  # characters: about a quarter of a second of YAKE on this machine
THEMES = 10
# Parts of names that are no name on their own ("Jan van der Berg": "van", "der").
_PARTICLES = frozenset({"de", "der", "den", "van", "het", "ter", "ten", "la", "le", "da",
                        "di", "du", "von", "zu", "el", "al", "bin", "ben"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ThemeSource:
    meeting_id: str
    text: str
    names: tuple[str, ...] = ()  # to take out: protected names, participants


def themes_of(sources: Sequence[ThemeSource], language: str, *, limit: int = THEMES
              ) -> tuple[Theme, ...]:
    """Up to ``limit`` key phrases, YAKE's best first, that recur (occur in two meetings at
    least), each with the number of meetings it occurs in; ``sources`` oldest first."""
    cleaned: list[str] = []
    budget = MAX_TEXT
    for source in reversed(sources):
        if budget <= 0:
            break
        text = without_names(source.text, source.names)[:budget]
        budget -= len(text)
        cleaned.append(text)
    # Each line a sentence of its own (a title, a question): no phrase runs from one into
    # the next.
    text = "\n".join(line.rstrip(" .") + "." for part in cleaned for line in part.splitlines()
                     if line.strip())
    if not text.strip():
        return ()
    folded = [fold(part) for part in cleaned]
    names = {fold(word) for source in sources for name in source.names
             for word in _WORD.findall(name) if fold(word) not in _PARTICLES}
    least = min(2, len(cleaned))  # recurring: in two meetings at least, when there are two
    chosen: list[Theme] = []
    for phrase in _phrases(text, language, limit * 4):  # best first
        words = [fold(word) for word in _WORD.findall(phrase)]
        if not words or any(word in names or word.isdigit() for word in words):
            continue
        key = fold(phrase)
        if any(key in seen or seen in key for seen in (fold(t.phrase) for t in chosen)):
            continue  # a part or a longer form of a better phrase says no more than it
        meetings = sum(1 for part in folded if key in part)
        if meetings >= least:
            chosen.append(Theme(phrase, meetings))
        if len(chosen) == limit:
            break
    return tuple(chosen)


def without_names(text: str, names: Sequence[str]) -> str:
    """``text`` with every one of ``names``, and every part of them that is a name on its own,
    replaced by a full stop: key phrases then never run across where a name was."""
    parts = {word for name in names for word in _WORD.findall(name)
             if len(word) > 1 and fold(word) not in _PARTICLES}
    hide = Pseudonymizer([*names, *parts], PseudonymStyle.LETTERS, "en")
    if not hide.active:
        return text
    hidden = hide.apply(text)
    for pseudonym in sorted(set(hide.mapping.values()), key=len, reverse=True):
        hidden = hidden.replace(pseudonym, ".")
    return hidden


def _phrases(text: str, language: str, top: int) -> list[str]:
    import yake  # imported here: numpy and YAKE take a third of a second, only for themes

    extractor = yake.KeywordExtractor(lan=language if language in ("nl", "en") else "en",
                                      n=3, top=top, dedupLim=0.7)
    try:
        found = extractor.extract_keywords(text)
    except (ValueError, ZeroDivisionError, KeyError, IndexError):
        return []  # odd text YAKE cannot weigh costs the themes, never the insights
    return [phrase for phrase, _score in found]
