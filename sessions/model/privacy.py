"""Keeping pupils' names out of everything Kring writes for others to read.

A meeting lists the names to protect (pupils, parents). Everything that leaves the
facilitator's own screen (the minutes, the journal, every export) passes through a
``Pseudonymizer``, which replaces each of those names, wherever it was typed, by a stable
pseudonym: "Pupil A" or initials. Matching is whole-word, ignores case and diacritics ("Zoë"
catches "zoe", "ZOË" and the "Zoe" of "Zoe's"), and sees through invisible characters (a soft
hyphen inside a name), because a name that slips through once is a name in the minutes.

A name is also caught however its parts are joined: "Anne-Marie" catches "Anne Marie",
"AnneMarie", "anne_marie" and the Dutch possessive "Annemaries" (which becomes "Pupil A's");
all of them are one person with one pseudonym. How a name is recognised in all its forms is
``sessions/model/name_variants.py``; what it is replaced by, here.

Private entries (``Entry.private``) are the facilitator's alone: ``public_entries`` drops them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from kring.sessions.i18n import translator
from kring.sessions.model.meeting import Entry, Meeting, PseudonymStyle, ReviewNote
from kring.sessions.model.name_variants import (
    LETTER_OR_DIGIT,
    NameForm,
    believable,
    fold,
    fold_chars,
    folded_with_origin,
    name_key,
    spelling,
)

_HIDDEN = "•••"  # when every pseudonym would itself hold a protected name: no word chars
_MAX_CANDIDATES = 10_000  # pseudonyms tried for one name before settling for _HIDDEN
_MAX_PASSES = 8


def same_name(typed: str, name: str | None) -> bool:
    """Whether ``typed`` names ``name``: the whole name, or its first word(s), ignoring case
    and diacritics ("anna" names "Anna de Vries", "Anne" does not)."""
    if not name:
        return False
    wanted, words = fold(typed).split(), fold(name).split()
    return bool(wanted) and words[: len(wanted)] == wanted


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
        found = LETTER_OR_DIGIT.search(word)
        if found:
            marks.append(found.group().upper() + ".")
    return "".join(marks)


class Pseudonymizer:
    """Replaces protected names by pseudonyms; the same name always gets the same one.

    ``names`` in the meeting's order: with ``letters`` the first distinct name is "Pupil A",
    the next "Pupil B", ...; with ``initials`` each gets its initials ("J."), and a second name
    with the same initials "J. (2)". Names differing only in case, accents or what joins their
    parts ("Anne-Marie", "anne marie", "AnneMarie") are one name.
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
        keys: dict[str, list[str]] = {}  # folded letters -> the spellings listed for them
        splits: dict[str, set[int]] = {}
        punctuation: dict[str, set[str]] = {}
        for name in names:
            key, where, marks = spelling(name)
            if key:  # whole-word matching needs a letter or digit
                keys.setdefault(key, []).append(name)
                splits.setdefault(key, set()).update(where)
                punctuation.setdefault(key, set()).update(marks)
        # Longest first, so "Jan Jansen" is replaced whole rather than as "Pupil A Jansen".
        self._names = [NameForm(key, frozenset(splits[key]), "".join(sorted(punctuation[key])))
                       for key in sorted(keys, key=len, reverse=True)]
        self._pattern: re.Pattern[str] | None = None
        self._each: list[re.Pattern[str]] = []
        if self._names:
            # An underscore joins words for a computer, not for a reader: "Zoë_x" names Zoë.
            edges = "(?<![^\\W_]){}(?![^\\W_])"
            self._each = [re.compile(edges.format(name.pattern)) for name in self._names]
            # Any name at all, for the quick look: the groups here are never read.
            self._pattern = re.compile(edges.format(
                "(?:" + "|".join(name.pattern for name in self._names) + ")"))
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
            for written in spellings:
                self.mapping[written] = chosen

    def _clean(self, candidate: str) -> bool:
        """A pseudonym must not itself hold a protected name (a pupil called "A")."""
        if self._pattern is None:
            return True
        folded, origin, _ = folded_with_origin(candidate)
        return next(self._found(candidate, folded, origin), None) is None

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

    def _found(self, text: str, folded: str,
               origin: list[int]) -> Iterator[tuple[int, int, NameForm, bool]]:
        """Each name in ``folded`` (``text`` folded, ``origin`` its map back), left to right:
        start and end in ``folded``, whose name, and whether a bare possessive s ended it."""
        assert self._pattern is not None
        position = 0
        while (first := self._pattern.search(folded, position)) is not None:
            start = first.start()
            # The quick pattern finds where some name may start; which one, and whether where
            # its parts split is believable, each name says, the longest first.
            for name, pattern in zip(self._names, self._each, strict=True):
                match = pattern.match(folded, start)
                if match is not None and believable(name, match, text, origin):
                    yield start, match.end(), name, bool(match.group(1))
                    position = match.end()
                    break
            else:
                position = start + 1

    def _once(self, text: str) -> str:
        """One pass; returns ``text`` itself when no name was found."""
        if self._pattern is None or not text:
            return text
        # First a look for any name in the whole text folded at once: the same folded text
        # the exact path below builds, so the same matches, and nearly every text has none.
        # Only a text that names someone pays for mapping folded positions back to its own.
        if self._pattern.search(fold_chars(text)) is None:
            return text
        folded, origin, empty = folded_with_origin(text)
        pieces: list[str] = []
        done = 0
        for found_start, found_end, name, possessive in self._found(text, folded, origin):
            start, end = origin[found_start], origin[found_end - 1] + 1
            while end < len(text) and empty[end]:  # the accents typed after the last letter
                end += 1
            if start < done:  # only possible inside one character that folds to several
                continue
            pieces.append(text[done:start])
            # "Annemaries" → "Pupil A's": a bare s after a pseudonym would read as part of it.
            pieces.append(self._by_key[name.letters] + ("'s" if possessive else ""))
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
    people = {name_key(name) for name in [*meeting.participants, *meeting.roles.values()]}
    return [name for name in meeting.protected_names if name_key(name) and name_key(name) in people]


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
