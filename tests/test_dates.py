"""Dates and durations as each language writes them."""

from __future__ import annotations

from datetime import date

import pytest

from kring.sessions.model.dates import day_month, duration, long_date, weekday_date

DAY = date(2026, 11, 25)  # a Wednesday


def test_long_date_in_dutch_and_english() -> None:
    assert long_date(DAY, "nl") == "25 november 2026"
    assert long_date(DAY, "en") == "25 November 2026"
    assert long_date(date(2027, 3, 1), "nl") == "1 maart 2027"  # no leading zero


def test_every_month_has_its_own_name() -> None:
    for language in ("nl", "en"):
        names = {long_date(date(2026, month, 1), language).split()[1] for month in range(1, 13)}
        assert len(names) == 12
    assert long_date(date(2026, 5, 4), "nl") == "4 mei 2026"
    assert long_date(date(2026, 8, 31), "en") == "31 August 2026"


def test_weekday_and_day_month() -> None:
    assert weekday_date(DAY, "nl") == "woensdag 25 november 2026"
    assert weekday_date(DAY, "en") == "Wednesday 25 November 2026"
    assert weekday_date(date(2026, 11, 29), "nl").startswith("zondag ")
    assert day_month(DAY, "nl") == "25 november"


def test_a_language_without_words_is_written_in_english() -> None:
    assert long_date(DAY, "de") == "25 November 2026"
    assert duration(65 * 60, "de") == "1 h 5 min"


@pytest.mark.parametrize(("seconds", "dutch", "english"), [
    (0, "0 min", "0 min"),
    (30, "30 sec", "30 s"),
    (45 * 60, "45 min", "45 min"),
    (12 * 60 + 30, "12 min 30 sec", "12 min 30 s"),
    (3600, "1 uur", "1 h"),
    (65 * 60, "1 uur 5 min", "1 h 5 min"),
    (2 * 3600 + 5, "2 uur 5 sec", "2 h 5 s"),
])
def test_duration(seconds: int, dutch: str, english: str) -> None:
    assert duration(seconds, "nl") == dutch
    assert duration(seconds, "en") == english


def test_signed_durations_for_changes_and_differences() -> None:
    assert duration(120, "nl", sign=True) == "+2 min"
    assert duration(-90, "en", sign=True) == "−1 min 30 s"
    assert duration(0, "nl", sign=True) == "0 min"
    assert duration(-60, "nl") == "−1 min"  # never a silently dropped minus
