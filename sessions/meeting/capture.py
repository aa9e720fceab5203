"""Reading the one-line capture field a note-taker types during a meeting.

A line is read left to right, and only the parts listed here are ever taken out of it; the rest
is kept exactly as typed (Markdown, emoji, right-to-left text, any length)::

    [!] [private:|prive:] [<prefix>:] text with @name ... [due: <date>] [<date>]

- ``!`` at the very start, or the prefix ``private:``/``prive:``/``privé:``, marks the entry as
  private (for the facilitator only). ``private:`` without a kind prefix makes a private *note*.
- A prefix from ``PREFIXES`` followed by ``:`` and then a space or the end of the line chooses
  the kind, case- and diacritics-insensitively. Anything else (``Ratio: 3``, ``f:oo``,
  ``https://x``, ``10:30``) is text, and the line gets the phase's default kind.
- The first ``@name`` (``@an``, ``@ozlem``, ``@"Jan Jansen"``) names the author, or for an
  action point the owner, and is taken out of the text. Later @names stay in the text: they are
  what the entry is about (``a: @bram mails @anouk``), not who said it.
- Action points take a due date, written after ``due:``/``by:``/``voor:`` anywhere, or as a
  date at the end of the line; see ``parse_due`` for the forms. Other kinds never look for dates,
  so a question ending in "friday" stays a question about Friday.

Nothing here refuses a line: what could not be read becomes a human-readable message in
``Parsed.problems`` and the text stays as typed, because interrupting a note-taker mid-meeting
costs more than a slightly wrong entry that can be edited afterwards.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from types import MappingProxyType

from kring.sessions.i18n import active_language, translator
from kring.sessions.model.kinds import KINDS, Capture

# Every kind's words in every language, from the table of kinds: meetings mix languages, so a
# Dutch prefix works in an English meeting and the other way round.
PREFIXES: Mapping[str, Capture] = MappingProxyType(
    {word: row.capture for row in KINDS for words in row.prefixes.values() for word in words}
)
"""Prefix word (lower case, without the colon) -> the kind it chooses. For the help screen."""

PRIVATE_PREFIXES: tuple[str, ...] = ("private", "prive")  # "privé" folds to "prive"

# Words that, right before a date at the end of an action, only say "this is the deadline":
# taken out with the date so "mail parents by friday" does not leave "mail parents by".
_DUE_CONNECTORS = frozenset(
    {"due", "by", "before", "on", "for", "until", "deadline",
     "voor", "op", "uiterlijk", "tegen", "tot"}
)

_WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5,
    "zondag": 6,
}
_UNITS: dict[str, str] = {
    "day": "d", "days": "d", "dag": "d", "dagen": "d",
    "week": "w", "weeks": "w", "weken": "w",
    "month": "m", "months": "m", "maand": "m", "maanden": "m",
}
_FIXED: dict[str, int] = {  # words for a day counted from today
    "today": 0, "vandaag": 0,
    "tomorrow": 1, "morgen": 1,
    "day after tomorrow": 2, "overmorgen": 2,
}
_NEXT = ("next", "volgende")
_NEXT_WEEK = ("next week", "volgende week")

# The longest date expression, in words ("volgende week vrijdag", "day after tomorrow").
_MAX_DATE_WORDS = 3

# Counts are at most four digits: enough for any deadline, and int() never sees a huge string.
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_MONTH = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})(?:\2([0-9]{4}))?")
_OFFSET = re.compile(r"\+([0-9]{1,4}) ?([dwm])")
_IN_COUNT = re.compile(r"(?:in|over) ([0-9]{1,4}) (\w+)")
# What a person meant as a date even when it is not one we can read (31-2, +3x): worth a warning
# rather than silently staying in the text.
_DATE_SHAPED = re.compile(r"[0-9]{1,4}[-/][0-9]{1,2}(?:[-/][0-9]{1,4})?|\+[0-9]+\w*")

# A prefix: the shortest run of non-space characters before a ':' that is followed by a space
# or the end. "10:30", "f:oo" and "https://x" never match, because their ':' is followed by
# something else.
_PREFIX = re.compile(r"(\S+?):(?=\s|\Z)")
_DUE_KEYWORD = re.compile(r"(?<!\S)(due|by|voor):", re.IGNORECASE)
_WORD = re.compile(r"\S+")
_TRAILING_PUNCTUATION = ".,;!?"

# @name: not after a letter or digit (so jan@school.nl is no mention). A bare name starts with a
# letter (so "@ 3pm" and "@3" are not names), and may hold apostrophes, hyphens and combining
# accents (typed decomposed) inside it. A quoted name may hold spaces.
_NAME_CHARS = r"[\w'’\-\u0300-\u036f]"
_MENTION = re.compile(
    r"(?<!\w)@(?:\"([^\"\n]+)\"|“([^”\n]+)”|([^\W\d_](?:" + _NAME_CHARS + r"*[\w\u0300-\u036f])?))"
)

# Letters that carry no combining mark to strip but that people leave off when typing a name.
_PLAIN = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i",
                        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe"})


@dataclass(frozen=True, slots=True)
class Parsed:
    """What a capture line means; ``problems`` are warnings to show, never reasons to refuse."""

    kind: Capture
    text: str
    author: str | None = None
    owner: str | None = None
    due: date | None = None
    private: bool = False
    problems: tuple[str, ...] = ()
    score: int | None = None  # evaluations


def parse_capture(line: str, *, default: Capture, roster: Sequence[str], today: date,
                  language: str | None = None) -> Parsed:
    """Read one capture line. ``default`` is the phase's kind for a line without a prefix;
    ``language`` is the language of the problem messages, which the UI shows beside its own
    words: the interface's unless the caller says otherwise. All prefixes and
    date words are understood in both languages, as meetings mix them."""
    _ = translator(language or active_language()).gettext
    problems: list[str] = []
    kind, private, text = _read_prefixes(line, default)

    author = owner = None
    name, text = _take_mention(text, roster, problems, _)
    if kind is Capture.ACTION:
        owner = name
    else:
        author = name

    due = None
    if kind is Capture.ACTION:
        due, text = _take_due(text, today, problems, _)
        if due is not None and due < today:
            problems.append(_("due date is in the past ({date})").format(date=due.isoformat()))

    score = None
    if kind is Capture.EVALUATION:
        score, text = take_score(text)
        if score is None:
            problems.append(_("no score: an evaluation starts with one from 1 to 5 "
                              "(e: 4 what I take with me)"))

    return Parsed(kind=kind, text=text.strip(), author=author, owner=owner, due=due,
                  private=private, problems=tuple(problems), score=score)


_SCORE = re.compile(r"([1-5])(?:\s*/\s*5)?(?:[.:,)](?!\d)|\s|$)\s*")


def take_score(text: str) -> tuple[int | None, str]:
    """An evaluation's score, written first ("4 ...", "4/5 ...", "4: ..."), and the text
    after it; no score when the line starts otherwise (a "10", a "0", a word)."""
    match = _SCORE.match(text.lstrip())
    if match is None:
        return None, text
    return int(match.group(1)), text.lstrip()[match.end():]


def complete_mention(partial: str, roster: Sequence[str]) -> list[str]:
    """Roster names an @-mention being typed could become, in roster order.

    ``partial`` may come with or without its ``@`` (and opening quote). Matching is by prefix of
    the whole name, ignoring case and accents, as ``parse_capture`` reads it.
    """
    typed = partial.removeprefix("@").lstrip("\"“")
    wanted = _fold(typed)
    return [name for name in _clean_roster(roster) if _fold(name).startswith(wanted)]


def parse_due(text: str, today: date) -> date | None:
    """Read a due date written as one of (``today`` passed in, never read from the clock):

    - ``2026-12-01`` (ISO), ``1-12-2026`` or ``1/12/2026`` (day-month-year);
    - ``1-12`` or ``1/12``: day-month, as in Dutch and most of Europe, the next such date on or
      after today;
    - ``+7d``, ``+2w``, ``+1m`` (a month later, on the same day or the month's last day),
      ``in 3 days``/``over 3 dagen`` (also weeks/weken, months/maanden);
    - ``today``/``vandaag``, ``tomorrow``/``morgen``, ``overmorgen``/``day after tomorrow``;
    - ``next week``/``volgende week``: Monday of next week;
    - ``friday``/``vrijdag`` (any weekday): the first such day after today;
      ``next friday``/``volgende vrijdag``/``volgende week vrijdag``: that day in next week.

    Case and accents do not matter. Anything else, and dates that do not exist, give None.
    """
    words = _fold(text)  # also makes the spacing single
    try:
        return _read_date(words, today)
    except (ValueError, OverflowError):  # beyond date.max, or 31-02-2027
        return None


# --- prefixes ---------------------------------------------------------------------------------

def _read_prefixes(line: str, default: Capture) -> tuple[Capture, bool, str]:
    """The kind, whether private, and the text after the prefixes."""
    text = line.strip()
    private = False
    if text.startswith("!"):
        private = True
        text = text[1:].lstrip()
    kind: Capture | None = None
    private_word = False
    # At most one private word and one kind prefix, in either order ("private: q:", "q: prive:");
    # a second "q:" is text.
    for _attempt in range(2):
        match = _PREFIX.match(text)
        if not match:
            break
        word = _fold(match.group(1))
        if word in PRIVATE_PREFIXES and not private_word:
            private = private_word = True
        elif word in PREFIXES and kind is None:
            kind = PREFIXES[word]
        else:
            break
        text = text[match.end():].lstrip()
    if kind is None:
        kind = Capture.NOTE if private_word else default
    return kind, private, text


# --- mentions ---------------------------------------------------------------------------------

def _take_mention(text: str, roster: Sequence[str], problems: list[str],
                  _: Callable[[str], str]) -> tuple[str | None, str]:
    """The participant the first @mention names, and the text without it.

    Only the first mention is read: it says who the entry is by (or for). An unknown or
    ambiguous one stays in the text as typed, with a problem, so nothing typed is lost.
    """
    match = _MENTION.search(text)
    if not match:
        return None, text
    token = match.group(0)
    typed = next(group for group in match.groups() if group is not None)
    names = _clean_roster(roster)
    candidates = _resolve(typed, names)
    possessive = re.fullmatch(r"(.+)['’]s", typed, re.IGNORECASE)
    if not candidates and match.group(3) and possessive:
        # "@anouk's idea": the possessive is not part of the name (but "@O'Brien" is, so the
        # whole token is tried first).
        candidates = _resolve(possessive.group(1), names)
    if not candidates:
        problems.append(_("no participant called '{token}'").format(token=token))
        return None, text
    if len(candidates) > 1:
        problems.append(_("'{token}' could be more than one participant: {names}").format(
            token=token, names=", ".join(candidates)))
        return None, text
    end = match.end()
    # "@anouk: why?" at the start is a speaker label; its colon goes with the name.
    if not text[:match.start()].strip() and text[end:end + 1] in (":", ","):
        end += 1
    return candidates[0], _cut(text, match.start(), end)


def _resolve(typed: str, names: Sequence[str]) -> list[str]:
    """Roster names ``typed`` could mean, from the most to the least exact way of matching:
    exactly as typed, the whole name, the first name, and finally a prefix of the whole name."""
    exact = [name for name in names if name == typed]
    if exact:
        return exact
    wanted = _fold(typed)
    if not wanted:
        return []
    matchers: tuple[Callable[[str], bool], ...] = (
        lambda folded: folded == wanted,
        lambda folded: folded.split(" ", 1)[0] == wanted,
        lambda folded: folded.startswith(wanted),
    )
    for matches in matchers:
        found = [name for name in names if matches(_fold(name))]
        if found:
            return found
    return []


def _clean_roster(roster: Sequence[str]) -> list[str]:
    """The roster without blanks and repeats, in its own order."""
    return list(dict.fromkeys(name.strip() for name in roster if name.strip()))


def _fold(text: str) -> str:
    """Text compared the way people type it: no case, no accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


# --- due dates --------------------------------------------------------------------------------

def _take_due(text: str, today: date, problems: list[str],
              _: Callable[[str], str]) -> tuple[date | None, str]:
    """An action's due date and the text without it: after a keyword, else at the end."""
    keyword = _DUE_KEYWORD.search(text)
    if keyword:
        words = list(islice(_WORD.finditer(text, keyword.end()), _MAX_DATE_WORDS))
        found = _longest_date(words, today, from_start=True)
        if found:
            due, end = found
            return due, _cut(text, keyword.start(), end)
        shown = " ".join(w.group(0) for w in words) or keyword.group(0)
        problems.append(_("could not read the date '{text}'").format(text=shown))
        return None, text

    words = list(_WORD.finditer(text))
    found = _longest_date(words[-_MAX_DATE_WORDS:], today, from_start=False)
    if found:
        due, start = found
        before = [w for w in words if w.end() <= start]
        if before and _fold(before[-1].group(0)).rstrip(":") in _DUE_CONNECTORS:
            start = before[-1].start()
        end = words[-1].end() - _punctuation_length(words[-1].group(0))
        return due, _cut(text, start, end)
    if words:
        last = words[-1].group(0).rstrip(_TRAILING_PUNCTUATION)
        if _DATE_SHAPED.fullmatch(last):
            problems.append(_("could not read the date '{text}'").format(text=last))
    return None, text


def _longest_date(words: Sequence[re.Match[str]], today: date, *,
                  from_start: bool) -> tuple[date, int] | None:
    """The longest run of ``words`` that is a date, anchored at their start (returning where
    the date ends) or at their end (returning where it starts). Punctuation closing a sentence
    after the date is left out of it, so it stays in the text."""
    for count in range(len(words), 0, -1):
        run = words[:count] if from_start else words[-count:]
        last = run[-1].group(0)
        trimmed = last[: len(last) - _punctuation_length(last)]
        phrase = " ".join([w.group(0) for w in run[:-1]] + [trimmed])
        due = parse_due(phrase, today) if trimmed else None
        if due is not None:
            return (due, run[-1].start() + len(trimmed)) if from_start else (due, run[0].start())
    return None


def _punctuation_length(word: str) -> int:
    return len(word) - len(word.rstrip(_TRAILING_PUNCTUATION))


def _read_date(words: str, today: date) -> date | None:
    if match := _ISO.fullmatch(words):
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    if match := _DAY_MONTH.fullmatch(words):
        day, month = int(match.group(1)), int(match.group(3))
        if match.group(4):
            return date(int(match.group(4)), month, day)
        return _next_day_month(day, month, today)
    if match := _OFFSET.fullmatch(words):
        return _add(today, int(match.group(1)), match.group(2))
    if (match := _IN_COUNT.fullmatch(words)) and match.group(2) in _UNITS:
        return _add(today, int(match.group(1)), _UNITS[match.group(2)])
    if words in _FIXED:
        return today + timedelta(days=_FIXED[words])
    next_monday = today + timedelta(days=7 - today.weekday())
    if words in _NEXT_WEEK:
        return next_monday
    if words in _WEEKDAYS:
        return today + timedelta(days=(_WEEKDAYS[words] - today.weekday() - 1) % 7 + 1)
    for lead in (*_NEXT_WEEK, *_NEXT):
        day_name = words.removeprefix(lead + " ")
        if day_name != words and day_name in _WEEKDAYS:
            return next_monday + timedelta(days=_WEEKDAYS[day_name])
    return None


def _next_day_month(day: int, month: int, today: date) -> date | None:
    """The first day-month on or after today; 29-2 waits for a leap year."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            continue
        if candidate >= today:
            return candidate
    return None


def _add(today: date, count: int, unit: str) -> date:
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    months = today.month - 1 + count
    year, month = today.year + months // 12, months % 12 + 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


# --- editing the text -------------------------------------------------------------------------

def _cut(text: str, start: int, end: int) -> str:
    """``text`` without ``text[start:end]``, leaving one space (not two) where it was, and no
    space before punctuation that followed it."""
    left, right = text[:start], text[end:]
    if not right or right[0].isspace() or not right[0].isalnum():
        left = left.rstrip()
        if right[:1].isspace() and not left:
            right = right.lstrip()
    return left + right
