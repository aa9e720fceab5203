"""Dates, durations and figures the way each language writes them: "25 november 2026",
"1 uur 5 min", "4,2".

Hand-written tables rather than the system locale (which is often absent, or set to a
language other than the meeting's) or Babel (a large dependency for twenty-four words). A
language without a table is written in English, as gettext falls back to the English msgids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class _Words:
    months: tuple[str, ...]  # January first
    weekdays: tuple[str, ...]  # Monday first, as date.weekday() counts
    hour: str
    minute: str
    second: str


_WORDS: dict[str, _Words] = {
    # Dutch writes months and weekdays in lower case, and "uur" has no plural after a number.
    "nl": _Words(
        months=("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                "september", "oktober", "november", "december"),
        weekdays=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                  "zondag"),
        hour="uur", minute="min", second="sec",
    ),
    # Day before month, as in Britain and the rest of Europe, where the method travels.
    "en": _Words(
        months=("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"),
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                  "Sunday"),
        hour="h", minute="min", second="s",
    ),
}


def _words(language: str) -> _Words:
    return _WORDS.get(language, _WORDS["en"])


def long_date(day: date, language: str) -> str:
    """'25 november 2026' (nl), '25 November 2026' (en)."""
    return f"{day.day} {_words(language).months[day.month - 1]} {day.year}"


def day_month(day: date, language: str) -> str:
    """'25 november' (nl), '25 November' (en): for a date in a year the reader knows."""
    return f"{day.day} {_words(language).months[day.month - 1]}"


def weekday_date(day: date, language: str) -> str:
    """'woensdag 25 november 2026' (nl), 'Wednesday 25 November 2026' (en)."""
    return f"{_words(language).weekdays[day.weekday()]} {long_date(day, language)}"


def duration(seconds: int, language: str, *, sign: bool = False) -> str:
    """A length of time in short words: '1 uur 5 min', '45 min', '12 min 30 sec' (nl);
    '1 h 5 min', '45 min', '30 s' (en). Parts that are zero are left out, so whole minutes
    read as such; no time at all is '0 min'. With ``sign``, a change: '+2 min', '−1 min'."""
    words = _words(language)
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{count} {unit}" for count, unit in
             ((hours, words.hour), (minutes, words.minute), (secs, words.second)) if count]
    text = " ".join(parts) or f"0 {words.minute}"
    if sign and seconds:
        # A true minus sign, as the timer and the minutes use: a hyphen looks like a dash.
        return ("+" if seconds > 0 else "−") + text
    if seconds < 0:
        return "−" + text
    return text


def decimal(value: float, language: str, places: int = 1) -> str:
    """A figure with ``places`` decimals: '4,2' (nl), '4.2' (en)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if language == "nl" else text
