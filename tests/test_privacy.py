"""Protected names never reach the minutes or an export, and nothing else is changed."""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.model import name_variants, privacy
from kring.sessions.model.meeting import (
    ActionStatus,
    Entry,
    Meeting,
    PseudonymStyle,
    StatusChange,
)
from kring.sessions.model.name_variants import fold_char
from kring.sessions.model.privacy import (
    Pseudonymizer,
    fold,
    merge_names,
    name_conflicts,
    pseudonymizer_for,
    public_entries,
    redact_entry,
    same_name,
)
from kring.sessions.model.protocol import Capture
from tests.support.budget import examples

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def entry(text: str, **changes: object) -> Entry:
    made = Entry(id="e1", kind=Capture.FACT, text=text, step="facts", created_at=START)
    for key, value in changes.items():
        setattr(made, key, value)
    return made


# -- examples ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Zoë", "zoe", "ZOË", "Zoe", "zoë", "Zoe\u0308", "ZO\u00adE"])
def test_a_name_is_caught_in_any_case_with_or_without_accents(typed: str) -> None:
    hide = Pseudonymizer(["Zoë"], "letters", "en")
    assert hide.apply(f"Met {typed} today.") == "Met Pupil A today."


def test_a_possessive_keeps_its_ending() -> None:
    hide = Pseudonymizer(["Zoë"], "letters", "en")
    assert hide.apply("Zoe's mother and Zoë’s father") == "Pupil A's mother and Pupil A’s father"


def test_the_longest_name_wins_and_longer_words_are_left_alone() -> None:
    hide = Pseudonymizer(["Jan", "Jan Jansen"], "letters", "en")
    assert hide.apply("Jan Jansen, jan, Janssen and Jan  Jansen; Jan Janssen.") == (
        "Pupil B, Pupil A, Janssen and Pupil B; Pupil A Janssen.")
    assert hide.mapping == {"Jan": "Pupil A", "Jan Jansen": "Pupil B"}


def test_pseudonyms_are_stable_and_follow_the_order_of_the_names() -> None:
    names = ["Daan", "Søren", "daan", "Özlem"]
    first = Pseudonymizer(names, "letters", "en")
    again = Pseudonymizer(names, "letters", "en")
    assert first.mapping == again.mapping == {
        "Daan": "Pupil A", "Søren": "Pupil B", "daan": "Pupil A", "Özlem": "Pupil C"}
    assert first.apply("soren, DAAN, ozlem") == "Pupil B, Pupil A, Pupil C"


def test_initials_and_their_clashes() -> None:
    hide = Pseudonymizer(["Jan de Vries", "Joost", "Jet"], PseudonymStyle.INITIALS, "en")
    assert hide.mapping == {"Jan de Vries": "J.D.V.", "Joost": "J.", "Jet": "J. (2)"}
    assert hide.apply("jan de vries called Joost") == "J.D.V. called J."


def test_a_pseudonym_never_spells_a_protected_name() -> None:
    hide = Pseudonymizer(["A", "Pupil C"], "letters", "en")
    assert "a" not in fold(hide.mapping["A"]).split()
    out = hide.apply("A met Pupil C")
    assert not re.search(r"(?<!\w)(a|pupil c)(?!\w)", fold(out))


def test_an_unknown_style_still_hides_the_names() -> None:
    assert Pseudonymizer(["Daan"], "emoji", "en").apply("Daan") == "Pupil A"


def test_text_without_names_is_the_same_object() -> None:
    text = "Nothing to hide here."
    assert Pseudonymizer(["Daan"], "letters").apply(text) is text
    assert Pseudonymizer([], "letters").apply(text) is text
    assert Pseudonymizer(["", "  ", "..."], "letters").apply("... and") == "... and"


@pytest.mark.parametrize("text", ["", "\ud800Daan\udfff", "\u0308\u0308Daan", "Daan\u0308x",
                                  "ﬁ Daan ß", "İ" * 50, "Daan " * 1000, "\x00Daan\x00"],
                         ids=range(8))
def test_odd_text_never_raises(text: str) -> None:
    out = Pseudonymizer(["Daan", "ß"], "letters", "en").apply(text)
    assert isinstance(out, str)


def test_fold_and_same_name() -> None:
    assert fold("  Zoë   de  VRIES ") == "zoe de vries"
    assert fold_char("Ǆ") == "dz"
    assert fold_char("\u0301") == ""
    assert same_name("anna", "Anna de Vries")
    assert same_name("ANNA DE vries", "Anna de Vries")
    assert not same_name("Anne", "Anna de Vries")
    assert not same_name("", "Anna")
    assert not same_name("anna", None)


def test_redact_entry_covers_everything_typed() -> None:
    original = entry("Daan again", author="Daan", owner="daan", kind=Capture.ACTION,
                     history=[StatusChange(ActionStatus.DONE, date(2026, 12, 1), "m2",
                                           "DAAN is fine")])
    hidden = redact_entry(original, Pseudonymizer(["Daan"], "letters", "en"))
    assert (hidden.text, hidden.author, hidden.owner) == ("Pupil A again", "Pupil A", "Pupil A")
    assert hidden.history[0].comment == "Pupil A is fine"
    assert original.text == "Daan again"  # a copy: the facilitator's view keeps real names
    assert hidden.history[0] is not original.history[0]


def test_redact_entry_copies_only_what_names_someone() -> None:
    hide = Pseudonymizer(["Daan"], "letters", "en")
    plain = entry("Bram again", author="Bram", owner=None,
                  history=[StatusChange(ActionStatus.DONE, date(2026, 12, 1), "m2", "fine")])
    assert redact_entry(plain, hide) is plain
    named = entry("Bram again", author="Bram", owner=None,
                  history=[StatusChange(ActionStatus.DONE, date(2026, 12, 1), "m2", "fine"),
                           StatusChange(ActionStatus.DONE, date(2026, 12, 2), "m3", "daan")])
    hidden = redact_entry(named, hide)
    assert hidden is not named and hidden.text == "Bram again"
    assert hidden.history[0] is named.history[0]
    assert [change.comment for change in hidden.history] == ["fine", "Pupil A"]


def test_public_entries_drop_private_ones() -> None:
    kept = entry("for all")
    assert public_entries([kept, entry("mine", private=True)]) == [kept]


def test_meeting_helpers() -> None:
    meeting = Meeting(id="m1", community="T", date=date(2026, 11, 25), protocol={},
                      created_at=START, participants=["Anna", "Jan"], language="en",
                      protected_names=["jan", "Daan"], pseudonym_style=PseudonymStyle.INITIALS)
    assert name_conflicts(meeting) == ["jan"]
    assert pseudonymizer_for(meeting).mapping == {"jan": "J.", "Daan": "D."}
    assert merge_names(["Daan", "Zoë"], ["zoe", "Bo", "daan", "Bo"]) == ["Daan", "Zoë", "Bo"]


# -- the property ----------------------------------------------------------------------------------

_VARIANTS = {
    "a": "aáàäâå", "e": "eéèëê", "i": "iíìïî", "o": "oóòöôø", "u": "uúùüû", "n": "nñ",
    "c": "cç", "s": "sš", "z": "zž", "y": "yý", "l": "lł", "d": "d", "r": "r", "t": "t",
    "j": "j", "b": "b", "m": "m", "k": "k",
}
_BASE = "".join(_VARIANTS)
_SEPARATORS = [" ", ", ", ". ", "\n", " (", ") ", "! ", " — ", "'s ", ": ", "\t"]

words = st.text(alphabet=_BASE, min_size=1, max_size=7)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)


def disguised(name: str, rnd: random.Random) -> str:
    """``name`` as someone might type it: any capitals, accents added or left off, composed or
    decomposed, the spaces doubled. (A seeded random source rather than a hypothesis draw per
    letter: the same cases, at a fraction of the cost.)"""
    out = []
    for char in name:
        if char == " ":
            out.append(rnd.choice([" ", "  ", "\u00a0"]))
            continue
        variant = rnd.choice(_VARIANTS[char])
        if rnd.random() < 0.5:
            variant = variant.upper()
        if rnd.random() < 0.5:
            variant = unicodedata.normalize("NFD", variant)
        out.append(variant)
    return "".join(out)


def _survivors(names_: list[str], text: str) -> list[str]:
    """Protected names still in ``text`` as whole words, found independently of the
    Pseudonymizer's own matching (only the character folding is shared)."""
    folded = "".join(map(fold_char, text))
    found = []
    for name in names_:
        key = fold(name)
        pattern = r"\s+".join(map(re.escape, key.split()))
        if key and re.search(rf"(?<!\w){pattern}(?!\w)", folded):
            found.append(name)
    return found


def _spelled_anyhow(names_: list[str], text: str) -> bool:
    """Whether neighbouring whole words of ``text``, whatever stands between them, spell the
    letters of a protected name (possessive s or not): everything the Pseudonymizer may take
    for a name ("ab cd" is also "abcd", "ab-cd", "abcds"), and more."""
    words = [word for word in re.split(r"[\W_]+", "".join(map(fold_char, text))) if word]
    for name in names_:
        wanted = "".join(re.split(r"[\W_]+", fold(name)))
        for first in range(len(words)):
            joined = ""
            for word in words[first:]:
                joined += word
                if wanted and joined in (wanted, wanted + "s"):
                    return True
                if len(joined) > len(wanted):
                    break
    return False


@settings(max_examples=examples(1000), deadline=None)
@given(protected=st.lists(names, min_size=1, max_size=4),
       filler=st.lists(st.text(max_size=20), min_size=1, max_size=6),
       seed=st.integers(0, 2**32), style=st.sampled_from(list(PseudonymStyle)))
def test_protected_names_never_survive(protected: list[str], filler: list[str], seed: int,
                                       style: PseudonymStyle) -> None:
    rnd = random.Random(seed)
    listed = [disguised(name, rnd) for name in protected]  # as the facilitator typed them
    pieces = []
    for text in filler:  # random text, each piece followed by a name in disguise
        pieces += [text, rnd.choice(_SEPARATORS), disguised(rnd.choice(protected), rnd),
                   rnd.choice(_SEPARATORS)]
    out = Pseudonymizer(listed, style, "en").apply("".join(pieces))
    assert _survivors(protected, out) == []


@settings(max_examples=examples(1000), deadline=None)
@given(protected=st.lists(names, min_size=1, max_size=4), text=st.text(max_size=200),
       style=st.sampled_from(list(PseudonymStyle)))
def test_text_without_protected_names_is_untouched(protected: list[str], text: str,
                                                   style: PseudonymStyle) -> None:
    # Names are caught however their parts are joined (tests/test_privacy_variants.py): a text
    # is only sure to be untouched when no run of its words spells a name's letters.
    out = Pseudonymizer(protected, style, "en").apply(text)
    if not _spelled_anyhow(protected, text):
        assert out == text
    else:
        assert _survivors(protected, out) == []


@settings(max_examples=examples(300), deadline=None)
@given(protected=st.lists(names, min_size=1, max_size=3), other=st.lists(words, max_size=8))
def test_other_words_are_kept_word_for_word(protected: list[str], other: list[str]) -> None:
    """Replacing a name changes that name only: every other word stays, in its place."""
    hide = Pseudonymizer(protected, "letters", "en")
    keys = {fold(name) for name in protected}
    kept = [word for word in other if fold(word) not in keys and hide.apply(word) == word]
    text = " | ".join([*kept, protected[0], *kept])
    out = hide.apply(text).split(" | ")
    assert out[: len(kept)] == kept
    assert out[len(kept) + 1:] == kept


# -- the fast path -------------------------------------------------------------------------------
# ``Pseudonymizer`` first looks for any name in the whole text folded at once (``_fold_chars``),
# and only maps positions back, character by character, when one is there. That is only right
# if the text folded at once is the text folded character by character.


def _slow_fold_chars(text: str) -> str:
    return "".join(map(fold_char, text))


ANY_CHAR = st.characters(codec=None, categories=None)  # surrogates, marks, format chars too
NAME_PIECES = st.sampled_from(["Zoë", "zoe", "ZOË", "Anne", "Marie", "O'Brien", "O’Brien",
                               "Ǆ", "ﬁ", "İ", "ß", "ss", "Ø", "\u00ad", "\u0301", " ", "-",
                               "`", "_", "é", "e\u0301", "Юлия", "😀", "A", "a", "\ud800"])
ANY_TEXT = st.lists(st.one_of(NAME_PIECES, st.text(ANY_CHAR, max_size=4)),
                    max_size=8).map("".join)


def test_ascii_folds_as_it_lowers_but_for_the_backtick() -> None:
    for code in range(128):
        char = chr(code)
        assert fold_char(char) == char.lower().replace("`", "'"), repr(char)
    every_ascii = "".join(map(chr, range(128)))
    assert name_variants.fold_chars(every_ascii) == _slow_fold_chars(every_ascii)


@settings(max_examples=examples(500), deadline=None)
@given(ANY_TEXT)
def test_folding_at_once_is_folding_each_character(text: str) -> None:
    assert name_variants.fold_chars(text) == _slow_fold_chars(text)


def test_the_fold_table_stays_small_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(name_variants, "_FOLD_TABLE", name_variants._FoldTable())
    monkeypatch.setattr(name_variants, "_FOLD_TABLE_MAX", 4)
    text = "ÀÉÎÕÜ ǄﬁİßØ Юлия" * 2
    assert name_variants.fold_chars(text) == _slow_fold_chars(text)
    assert len(name_variants._FOLD_TABLE) <= 4


@settings(max_examples=examples(500), deadline=None)
@given(names=st.lists(ANY_TEXT, max_size=3), texts=st.lists(ANY_TEXT, min_size=1, max_size=3),
       style=st.sampled_from(PseudonymStyle))
def test_the_fast_path_hides_exactly_what_the_exact_path_hides(
        names: list[str], texts: list[str], style: PseudonymStyle) -> None:
    fast = Pseudonymizer(names, style, "en")
    with mock.patch.object(privacy, "fold_chars", _slow_fold_chars):
        exact = Pseudonymizer(names, style, "en")
        expected = [exact.apply(text) for text in texts]
    assert fast.mapping == exact.mapping
    for text, wanted in zip(texts, expected, strict=True):
        out = fast.apply(text)
        assert out == wanted
        if out == text:
            assert out is text  # nothing found: the very same object
