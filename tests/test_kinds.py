"""The table of capture kinds is complete: every kind has prefixes in every language, a label
and a heading in the minutes, and everything that lists kinds takes them from the table."""

from __future__ import annotations

import pytest

from kring.sessions.i18n import LANGUAGES, translator
from kring.sessions.meeting.capture import PREFIXES
from kring.sessions.model.kinds import KIND, KINDS, SECTION_KINDS, STEP_KINDS, Capture, Kind
from kring.sessions.model.labels import capture_label


def test_every_kind_has_exactly_one_row() -> None:
    assert [row.capture for row in KINDS] == list(Capture)
    assert set(KIND) == set(Capture)


@pytest.mark.parametrize("row", KINDS, ids=lambda row: row.capture.value)
def test_a_kind_has_prefixes_in_every_language_a_label_and_a_heading(row: Kind) -> None:
    for language in LANGUAGES:
        words = row.prefixes.get(language, ())
        assert words, f"{row.capture}: no prefix in {language}"
        assert all(word == word.casefold() and word.strip() and ":" not in word
                   for word in words)
    assert set(row.prefixes) <= set(LANGUAGES)
    assert row.label.strip(), f"{row.capture}: no label"
    assert row.heading.strip(), f"{row.capture}: no heading in the minutes"
    if row.own_section:
        assert row.empty.strip(), f"{row.capture}: its own section says nothing when empty"


def test_no_prefix_word_chooses_two_kinds() -> None:
    words = [word for row in KINDS for group in row.prefixes.values() for word in group]
    assert len(words) == len(set(words))
    assert len(PREFIXES) == len(words)


def test_every_kind_has_one_place_in_the_minutes() -> None:
    assert sorted([*STEP_KINDS, *SECTION_KINDS]) == sorted(Capture)
    orders = [row.order for row in KINDS]
    assert len(orders) == len(set(orders))


def test_the_minutes_keep_their_order_of_kinds() -> None:
    assert STEP_KINDS == (Capture.QUESTION, Capture.FACT, Capture.POSITION, Capture.REFLECTION,
                          Capture.DECISION, Capture.NOTE)
    assert SECTION_KINDS == (Capture.ACTION, Capture.LEARNING, Capture.EVALUATION)


@pytest.mark.parametrize("row", KINDS, ids=lambda row: row.capture.value)
def test_labels_and_headings_are_translated(row: Kind) -> None:
    dutch = translator("nl").gettext
    for text in (row.label, row.heading, *([row.empty] if row.empty else [])):
        assert dutch(text) != text, text


def test_a_label_comes_from_the_table() -> None:
    assert capture_label(Capture.POSITION) == "advice"
