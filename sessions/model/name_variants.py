"""Recognising a name however it was typed: folded (case, accents, invisible characters and
typographic punctuation left out) and however its parts are joined.

"Zoë" is "zoe", "ZOË" and the "Zoe" of "Zoe's"; "Anne-Marie" is "Anne Marie", "AnneMarie",
"anne_marie" and the Dutch possessive "Annemaries". The parts of a name are what the name as
listed separates (a space, a hyphen, an apostrophe, a capital inside a word). A name listed as
one word ("Annemarie") is also found split where nothing else could be meant: at a hyphen or
underscore, or at a space before a capital ("Anne Marie"), with at least two letters on either
side, so "Aman" never eats "a man". The ``Pseudonymizer`` (``sessions/model/privacy.py``)
replaces what is recognised here.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that carry no combining mark to strip but that people leave off when typing a name,
# and typographic variants of the punctuation names hold (O’Brien typed as O'Brien).
_PLAIN = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
    "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-",
})
LETTER_OR_DIGIT = re.compile(r"[^\W_]")

# What may join the parts of a name in a text: "Anne Marie", "Anne-Marie", "anne_marie", or
# nothing at all ("AnneMarie"). The name's own punctuation (O'Brien) is added per name.
_JOINERS = r"\s\-_"
_NOT_LETTER = re.compile(r"[\W_]+")
# The Dutch possessive without an apostrophe ("Annemaries", "Jans") follows a name ending in a
# consonant or a toneless e; after another vowel or a hissing sound Dutch (and English) write
# an apostrophe, which whole-word matching sees through anyway: "Bo" never eats "bos".
_BARE_S_AFTER = frozenset("bcdfghjklmnpqrtvwe")


_INVISIBLE = frozenset(("Mn", "Me", "Cf"))


def _invisible(char: str) -> bool:
    """Accents and format characters (soft hyphen, zero-width joiner, ...): they add nothing
    a reader sees as a letter of its own, so a name is matched as if they were not there."""
    return unicodedata.category(char) in _INVISIBLE


def _strip(text: str) -> str:
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not _invisible(char))


def fold_char(char: str) -> str:
    """One character as names are compared: lower case, no accents, compatibility forms
    spelled out ("ﬁ" → "fi"). Empty for marks and invisible characters. Never raises."""
    # Twice: case folding can produce composed letters (Ǆ → ǆ) that decompose further.
    return _strip(_strip(char.translate(_PLAIN)).casefold())


_FOLD_TABLE_MAX = 1 << 16  # distinct characters remembered before starting afresh


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that folds every character as ``fold_char`` does, filled in
    as characters are met: a whole text folded in C, character for character the same."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _FOLD_TABLE_MAX:  # text made of ever new characters: bounded memory
            self.clear()
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold_chars(text: str) -> str:
    """``"".join(map(fold_char, text))``, at C speed. ASCII folds as it lowers, but for the
    backtick (a typed apostrophe): quicker still than the table, and most typed text is ASCII
    (tests/test_privacy.py checks both against ``fold_char``)."""
    if text.isascii():
        return text.lower().replace("`", "'")
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Text compared the way people type names: no case, no accents, single spaces. For
    matching an owner, a person or a community typed on the command line."""
    return " ".join(fold_chars(text).split())


def folded_with_origin(text: str) -> tuple[str, list[int], list[bool]]:
    """``text`` folded, with for every folded character the index of the character it came
    from, and for every original character whether it folded to nothing."""
    parts: list[str] = []
    origin: list[int] = []
    empty: list[bool] = []
    table = _FOLD_TABLE
    for index, char in enumerate(text):
        folded = table[ord(char)]
        parts.append(folded)
        origin.extend([index] * len(folded))
        empty.append(not folded)
    return "".join(parts), origin, empty


class NameForm:
    """One protected person as the matcher sees them: the letters of their name, folded, with
    the places where a spelling listed for them splits it into parts ("Anne-Marie": after the
    fourth letter) and the punctuation they were split by, beyond the usual joiners."""

    __slots__ = ("letters", "pattern", "splits")

    def __init__(self, letters: str, splits: frozenset[int], punctuation: str) -> None:
        self.letters = letters
        self.splits = splits
        own = f"[{_JOINERS}{re.escape(punctuation)}]*" if punctuation else f"[{_JOINERS}]*"
        any_ = f"[{_JOINERS}]*"
        body = [re.escape(letters[0])]
        for index in range(1, len(letters)):
            body.append(own if index in splits else any_)
            body.append(re.escape(letters[index]))
        possessive = "s?" if letters[-1] in _BARE_S_AFTER else ""
        self.pattern = "".join(body) + f"({possessive})"


def spelling(name: str) -> tuple[str, set[int], set[str]]:
    """The folded letters (and digits) of ``name``, where it splits them, and what other than
    the usual joiners it split them with. A capital after a small letter splits too: someone
    who types "AnneMarie" means two parts as much as someone who types "Anne-Marie"."""
    letters: list[str] = []
    splits: set[int] = set()
    punctuation: set[str] = set()
    gap = ""  # what came between the last letter and the next
    after_small = False
    for char in name:
        folded = fold_char(char)
        if not folded:  # invisible: as if it were not there
            continue
        for index, piece in enumerate(folded):
            if LETTER_OR_DIGIT.match(piece):
                if letters and (gap or (index == 0 and after_small and char.isupper())):
                    splits.add(len(letters))
                    punctuation.update(gap)
                gap = ""
                letters.append(piece)
            else:
                gap += piece
        after_small = char.islower()
    own = {mark for mark in punctuation if not mark.isspace() and mark not in "-_"}
    return "".join(letters), splits, own


def name_key(name: str) -> str:
    """What makes two spellings one person: the same letters, whatever joins them."""
    return spelling(name)[0]


def believable(name: NameForm, match: re.Match[str], text: str, origin: list[int]) -> bool:
    """Whether the name split where ``match`` splits it is that name, not other words:
    a split where no listed spelling has one needs two letters on either side, and, when it
    is a space, a capital after it ("Anne Marie" for "Annemarie"; "a man" is not "Aman")."""
    start, end = match.start(), match.start(1)
    joins = list(_NOT_LETTER.finditer(match.string, start, end))
    if not joins:  # the usual case: the name in one piece
        return True
    places: list[int] = []  # letters of the name before each join
    skipped = 0
    for join in joins:
        places.append(join.start() - start - skipped)
        skipped += join.end() - join.start()
    bounds = [0, *places, len(name.letters)]
    for number, (join, place) in enumerate(zip(joins, places, strict=True)):
        if place in name.splits:
            continue
        if bounds[number + 1] - bounds[number] < 2 or bounds[number + 2] - place < 2:
            return False
        if any(char.isspace() for char in join.group()) \
                and not text[origin[join.end()]].isupper():
            return False
    return True
