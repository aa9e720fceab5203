"""Keeping pupils' names out of everything Kring writes for others to read.

A meeting lists the names to protect (pupils, parents). Everything that leaves the
facilitator's own screen (the minutes, the journal, every export) passes through a
``Pseudonymizer``, which replaces each of those names, wherever it was typed, by a stable
pseudonym: "Pupil A" or initials. Matching is whole-word, ignores case and diacritics ("Zoë"
catches "zoe", "ZOË" and the "Zoe" of "Zoe's"), and sees through invisible characters (a soft
hyphen inside a name), because a name that slips through once is a name in the minutes.

Private entries (``Entry.private``) are the facilitator's alone: ``public_entries`` drops them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from sessions.i18n import translator
from sessions.meeting import Entry, Meeting, PseudonymStyle, ReviewNote

# Letters that carry no combining mark to strip but that people leave off when typing a name,
# and typographic variants of the punctuation names hold (O’Brien typed as O'Brien).
_PLAIN = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
    "ı": "i", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-",
})
_WORD_CHAR = re.compile(r"\w")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_HIDDEN = "•••"  # when every pseudonym would itself hold a protected name: no word chars
_MAX_CANDIDATES = 10_000  # pseudonyms tried for one name before settling for _HIDDEN
_MAX_PASSES = 8


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


def _fold_chars(text: str) -> str:
    """``"".join(map(fold_char, text))``, at C speed. ASCII folds as it lowers, but for the
    backtick (a typed apostrophe): quicker still than the table, and most typed text is ASCII
    (tests/test_privacy.py checks both against ``fold_char``)."""
    if text.isascii():
        return text.lower().replace("`", "'")
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Text compared the way people type names: no case, no accents, single spaces. For
    matching an owner, a person or a community typed on the command line."""
    return " ".join(_fold_chars(text).split())


def same_name(typed: str, name: str | None) -> bool:
    """Whether ``typed`` names ``name``: the whole name, or its first word(s), ignoring case
    and diacritics ("anna" names "Anna de Vries", "Anne" does not)."""
    if not name:
        return False
    wanted, words = fold(typed).split(), fold(name).split()
    return bool(wanted) and words[: len(wanted)] == wanted


def _folded_with_origin(text: str) -> tuple[str, list[int], list[bool]]:
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


def _letters(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA, ...: as spreadsheet columns, so there is no last one."""
    label = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _initials(name: str) -> str:
    """"Jan Jansen" → "J.J."; words without a letter or digit are left out."""
    marks = []
    for word in name.split():
        found = _LETTER_OR_DIGIT.search(word)
        if found:
            marks.append(found.group().upper() + ".")
    return "".join(marks)


class Pseudonymizer:
    """Replaces protected names by pseudonyms; the same name always gets the same one.

    ``names`` in the meeting's order: with ``letters`` the first distinct name is "Pupil A",
    the next "Pupil B", ...; with ``initials`` each gets its initials ("J."), and a second name
    with the same initials "J. (2)". Names differing only in case or accents are one name.
    ``language`` is that of the document being written (the label "Pupil" is translated).
    """

    def __init__(self, names: Sequence[str], style: str | PseudonymStyle = PseudonymStyle.LETTERS,
                 language: str = "en") -> None:
        try:
            self.style = PseudonymStyle(style)
        except ValueError:
            self.style = PseudonymStyle.LETTERS  # unknown: still hide, never show
        t = translator(language).gettext
        self._label = t("Pupil {letter}")  # looked up once: the label of every letter
        keys: dict[str, list[str]] = {}  # folded name -> the spellings listed for it
        for name in names:
            key = fold(name)
            if key and _WORD_CHAR.search(key):  # whole-word matching needs a word
                keys.setdefault(key, []).append(name)
        # Longest first, so "Jan Jansen" is replaced whole rather than as "Pupil A Jansen".
        ordered = sorted(keys, key=len, reverse=True)
        self._pattern: re.Pattern[str] | None = None
        if ordered:
            alternatives = "|".join(r"\s+".join(map(re.escape, key.split())) for key in ordered)
            # An underscore joins words for a computer, not for a reader: "Zoë_x" names Zoë.
            self._pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
        self._by_key: dict[str, str] = {}
        self.mapping: dict[str, str] = {}  # every name as listed -> its pseudonym, in order
        self._assign(keys)

    def _assign(self, keys: dict[str, list[str]]) -> None:
        taken: set[str] = set()
        next_letter = 0
        for key, spellings in keys.items():
            chosen = None
            if self.style is PseudonymStyle.INITIALS:
                base = _initials(spellings[0])
                # A base that spells a protected name ("A." when "A" is one) spells it in every
                # numbered variant too: straight to letters then.
                if base and self._clean(base):
                    for number in range(1, _MAX_CANDIDATES):
                        candidate = base if number == 1 else f"{base} ({number})"
                        if candidate not in taken and self._clean(candidate):
                            chosen = candidate
                            break
            # Letters: also where initials are impossible, or would spell a protected name.
            while chosen is None and next_letter < _MAX_CANDIDATES:
                candidate = self._label.format(letter=_letters(next_letter))
                next_letter += 1
                if candidate not in taken and self._clean(candidate):
                    chosen = candidate
            chosen = chosen or _HIDDEN
            taken.add(chosen)
            self._by_key[key] = chosen
            for spelling in spellings:
                self.mapping[spelling] = chosen

    def _clean(self, candidate: str) -> bool:
        """A pseudonym must not itself hold a protected name (a pupil called "A")."""
        return self._pattern is None or not self._pattern.search(_fold_chars(candidate))

    @property
    def active(self) -> bool:
        """Whether there is anything to replace."""
        return self._pattern is not None

    def apply(self, text: str) -> str:
        """``text`` with every protected name replaced; exactly ``text`` when it holds none.
        Whatever the text (any script, stray marks, lone surrogates), this never raises."""
        # Again until nothing changes: a pseudonym next to what followed a name could, with
        # names chosen just so, spell another protected name. Bounded, and the second pass
        # almost always finds nothing.
        for _ in range(_MAX_PASSES):
            replaced = self._once(text)
            if replaced is text:
                break
            text = replaced
        return text

    def _once(self, text: str) -> str:
        """One pass; returns ``text`` itself when no name was found."""
        if self._pattern is None or not text:
            return text
        # First a look for any name in the whole text folded at once: the same folded text
        # the exact path below builds, so the same matches, and nearly every text has none.
        # Only a text that names someone pays for mapping folded positions back to its own.
        if self._pattern.search(_fold_chars(text)) is None:
            return text
        folded, origin, empty = _folded_with_origin(text)
        pieces: list[str] = []
        done = 0
        for match in self._pattern.finditer(folded):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            while end < len(text) and empty[end]:  # the accents typed after the last letter
                end += 1
            if start < done:  # only possible inside one character that folds to several
                continue
            pieces.append(text[done:start])
            pieces.append(self._by_key.get(" ".join(match.group().split()), _HIDDEN))
            done = end
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    def apply_optional(self, text: str | None) -> str | None:
        return None if text is None else self.apply(text)


def pseudonymizer_for(meeting: Meeting, language: str | None = None) -> Pseudonymizer:
    """The pseudonyms of ``meeting``, labelled in ``language`` (default: the meeting's)."""
    return Pseudonymizer(meeting.protected_names, meeting.pseudonym_style,
                         language or meeting.language)


def redact_entry(entry: Entry, pseudonymizer: Pseudonymizer) -> Entry:
    """A copy of ``entry`` with protected names replaced in everything typed into it;
    ``entry`` itself when it names no one (as when no name is protected): most entries."""
    if not pseudonymizer.active:
        return entry
    apply = pseudonymizer.apply
    text = apply(entry.text)
    author = pseudonymizer.apply_optional(entry.author)
    owner = pseudonymizer.apply_optional(entry.owner)
    comments = [apply(change.comment) for change in entry.history]
    if (text is entry.text and author is entry.author and owner is entry.owner
            and all(new is change.comment for new, change in zip(comments, entry.history,
                                                                 strict=True))):
        return entry
    return replace(
        entry, text=text, author=author, owner=owner,
        history=[change if comment is change.comment else replace(change, comment=comment)
                 for comment, change in zip(comments, entry.history, strict=True)],
    )


def redact_review(note: ReviewNote, pseudonymizer: Pseudonymizer) -> ReviewNote:
    if not pseudonymizer.active:
        return note
    return replace(note, text=pseudonymizer.apply(note.text),
                   owner=pseudonymizer.apply_optional(note.owner),
                   comment=pseudonymizer.apply(note.comment))


def public_entries(entries: Iterable[Entry]) -> list[Entry]:
    """The entries others may see: private ones are the facilitator's alone."""
    return [entry for entry in entries if not entry.private]


def name_conflicts(meeting: Meeting) -> list[str]:
    """Protected names that are also a participant's or a role holder's name. Exports then
    show that participant as a pseudonym too; the setup screen should say so."""
    people = {fold(name) for name in [*meeting.participants, *meeting.roles.values()]}
    return [name for name in meeting.protected_names if fold(name) in people]


def merge_names(current: Sequence[str], more: Iterable[str]) -> list[str]:
    """``current`` followed by the names of ``more`` it does not hold yet (ignoring case and
    accents): existing pseudonyms keep their letters."""
    known = {fold(name) for name in current}
    merged = list(current)
    for name in more:
        key = fold(name)
        if key and key not in known:
            known.add(key)
            merged.append(name)
    return merged
