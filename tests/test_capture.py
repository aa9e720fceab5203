"""The capture line: prefixes, private marks, @mentions and due dates, and that nothing typed is
ever lost or makes the parser fail."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.i18n import use_language
from kring.sessions.meeting.capture import (
    PREFIXES,
    PRIVATE_PREFIXES,
    Parsed,
    complete_mention,
    parse_capture,
    parse_due,
)
from kring.sessions.model.protocol import Capture
from tests.support.budget import examples

TODAY = date(2026, 11, 25)  # a Wednesday
ROSTER = ["Anouk", "Annelies", "Özlem", "Jan Jansen", "Jan de Vries", "Bram", "Zoë",
          "Sean O'Brien", "An"]


def parse(line: str, default: Capture = Capture.NOTE, roster: list[str] | None = None,
          today: date = TODAY) -> Parsed:
    return parse_capture(line, default=default, roster=ROSTER if roster is None else roster,
                         today=today)


def test_today_is_a_wednesday() -> None:
    assert TODAY.strftime("%A") == "Wednesday"


# --- prefixes ---------------------------------------------------------------------------------

ENGLISH = {"q": Capture.QUESTION, "question": Capture.QUESTION, "f": Capture.FACT,
           "fact": Capture.FACT, "p": Capture.POSITION, "position": Capture.POSITION,
           "advice": Capture.POSITION, "adv": Capture.POSITION, "d": Capture.DECISION,
           "decision": Capture.DECISION, "a": Capture.ACTION, "act": Capture.ACTION,
           "action": Capture.ACTION, "r": Capture.REFLECTION, "reflection": Capture.REFLECTION,
           "l": Capture.LEARNING, "learning": Capture.LEARNING, "n": Capture.NOTE,
           "note": Capture.NOTE}
DUTCH = {"v": Capture.QUESTION, "vraag": Capture.QUESTION, "feit": Capture.FACT,
         "advies": Capture.POSITION, "standpunt": Capture.POSITION, "b": Capture.DECISION,
         "besluit": Capture.DECISION, "actie": Capture.ACTION, "reflectie": Capture.REFLECTION,
         "leerpunt": Capture.LEARNING, "geleerd": Capture.LEARNING, "notitie": Capture.NOTE}


@pytest.mark.parametrize(("prefix", "kind"), [*ENGLISH.items(), *DUTCH.items()])
def test_each_prefix_in_both_languages_chooses_its_kind(prefix: str, kind: Capture) -> None:
    assert PREFIXES[prefix] is kind
    for typed in (prefix, prefix.upper(), prefix.capitalize()):
        parsed = parse(f"{typed}: what happened then?", default=Capture.NOTE)
        assert (parsed.kind, parsed.text, parsed.private) == (kind, "what happened then?", False)


def test_the_table_covers_every_kind_and_its_own_name() -> None:
    assert set(PREFIXES.values()) == set(Capture)
    for kind in Capture:
        assert PREFIXES[kind.value] is kind
    assert all(word == word.casefold() and ":" not in word for word in PREFIXES)


def test_a_prefix_alone_gives_an_empty_entry_of_that_kind() -> None:
    assert (parse("q:").kind, parse("q:").text) == (Capture.QUESTION, "")


def test_every_listed_prefix_works_for_a_line_in_a_phase_with_another_default() -> None:
    for prefix, kind in PREFIXES.items():
        assert parse(f"{prefix}: x", default=Capture.FACT).kind is kind


@pytest.mark.parametrize("line", [
    "Ratio: 3 to 1",
    "f:oo",
    "q:why no space",
    "https://example.org/q: x",
    "10:30 coffee break",
    "mailto:someone@example.org",
    "qq: not a prefix",
    "Note the 3: 2 ratio",
    "Vraagje: mag dat?",
    "q : a space before the colon",
])
def test_unknown_prefixes_urls_and_times_stay_as_typed(line: str) -> None:
    parsed = parse(line, default=Capture.REFLECTION, roster=[])
    assert (parsed.kind, parsed.text, parsed.problems) == (Capture.REFLECTION, line, ())


def test_only_the_first_prefix_is_read() -> None:
    parsed = parse("Note: the 3: 2 ratio")
    assert (parsed.kind, parsed.text) == (Capture.NOTE, "the 3: 2 ratio")
    parsed = parse("q: f: both?")
    assert (parsed.kind, parsed.text) == (Capture.QUESTION, "f: both?")


def test_leading_and_trailing_whitespace_is_stripped() -> None:
    parsed = parse("   q:   why?  \t")
    assert (parsed.kind, parsed.text) == (Capture.QUESTION, "why?")


# --- private ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "kind", "text"), [
    ("!q: is she ok?", Capture.QUESTION, "is she ok?"),
    ("! q: is she ok?", Capture.QUESTION, "is she ok?"),
    ("!keep an eye on time", Capture.FACT, "keep an eye on time"),
    ("private: Bram seems tired", Capture.NOTE, "Bram seems tired"),
    ("Private: Bram seems tired", Capture.NOTE, "Bram seems tired"),
    ("prive: Bram lijkt moe", Capture.NOTE, "Bram lijkt moe"),
    ("Privé: Bram lijkt moe", Capture.NOTE, "Bram lijkt moe"),
    ("private: q: really?", Capture.QUESTION, "really?"),
    ("q: private: really?", Capture.QUESTION, "really?"),
    ("!private: twice is still private", Capture.NOTE, "twice is still private"),
])
def test_private_marking(line: str, kind: Capture, text: str) -> None:
    parsed = parse(line, default=Capture.FACT)
    assert (parsed.kind, parsed.text, parsed.private) == (kind, text, True)


def test_private_prefixes_are_listed_and_not_kinds() -> None:
    assert set(PRIVATE_PREFIXES) == {"private", "prive"}
    assert not set(PRIVATE_PREFIXES) & set(PREFIXES)


def test_an_exclamation_mark_elsewhere_is_text() -> None:
    parsed = parse("q: really!")
    assert (parsed.text, parsed.private) == ("really!", False)


# --- mentions ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "author", "text"), [
    ("q: @Anouk why then?", "Anouk", "why then?"),
    ("q: @anouk why then?", "Anouk", "why then?"),
    ("q: why then? @anouk", "Anouk", "why then?"),
    ("q: why @anouk then?", "Anouk", "why then?"),
    ("q: @ano why then?", "Anouk", "why then?"),  # unique prefix
    ("q: @ozlem why then?", "Özlem", "why then?"),  # diacritics-insensitive
    ("q: @ÖZLEM why then?", "Özlem", "why then?"),
    ("q: @zoe why then?", "Zoë", "why then?"),
    ("q: @Zoe\u0308 why then?", "Zoë", "why then?"),  # typed decomposed
    ("q: @an why then?", "An", "why then?"),  # an exact name beats longer ones it begins
    ("q: @br why then?", "Bram", "why then?"),
    ('q: @"Jan Jansen" why then?', "Jan Jansen", "why then?"),
    ('q: @"jan de vries" why then?', "Jan de Vries", "why then?"),
    ('q: @"jan d" why then?', "Jan de Vries", "why then?"),
    ("q: @sean why then?", "Sean O'Brien", "why then?"),  # first name of a name with spaces
    ("q: @anouk: why then?", "Anouk", "why then?"),  # speaker label
    ("@anouk's idea: more structure", "Anouk", "idea: more structure"),
])
def test_mentions_name_the_author_and_leave_the_text(line: str, author: str, text: str) -> None:
    parsed = parse(line)
    assert (parsed.author, parsed.owner, parsed.text, parsed.problems) == (
        author, None, text, ())


def test_a_name_with_an_apostrophe_can_be_quoted() -> None:
    assert parse("""q: @"sean o'brien" hi""").author == "Sean O'Brien"


def test_an_unknown_mention_stays_in_the_text_with_a_problem() -> None:
    parsed = parse("q: @zoey why then?")
    assert (parsed.author, parsed.text) == (None, "@zoey why then?")
    assert parsed.problems == ("no participant called '@zoey'",)


def test_an_unknown_quoted_mention_stays_as_typed() -> None:
    parsed = parse('q: @"Piet Pietersen" why?')
    assert (parsed.author, parsed.text) == (None, '@"Piet Pietersen" why?')
    assert parsed.problems == ("no participant called '@\"Piet Pietersen\"'",)


@pytest.mark.parametrize(("line", "candidates"), [
    ("q: @ann why?", None),  # unique: Annelies
    ("q: @a why?", ["Anouk", "Annelies", "An"]),
    ("q: @jan why?", ["Jan Jansen", "Jan de Vries"]),
    ('q: @"jan" why?', ["Jan Jansen", "Jan de Vries"]),
])
def test_an_ambiguous_mention_lists_the_candidates(line: str, candidates: list[str] | None
                                                   ) -> None:
    parsed = parse(line)
    if candidates is None:
        assert parsed.author == "Annelies"
        return
    assert parsed.author is None
    assert parsed.text == line.removeprefix("q: ")
    (problem,) = parsed.problems
    assert "more than one participant" in problem
    assert all(name in problem for name in candidates)


def test_the_first_mention_is_the_author_and_later_ones_are_text() -> None:
    parsed = parse("p: @bram agrees with @anouk")
    assert (parsed.author, parsed.text) == ("Bram", "agrees with @anouk")


def test_an_email_address_is_not_a_mention() -> None:
    parsed = parse("n: mail jan@school.nl")
    assert (parsed.author, parsed.text, parsed.problems) == (None, "mail jan@school.nl", ())


def test_a_lone_at_sign_is_text() -> None:
    parsed = parse("n: meet @ 3pm, or @3")
    assert (parsed.author, parsed.text, parsed.problems) == (None, "meet @ 3pm, or @3", ())


def test_an_empty_roster_makes_every_mention_unknown() -> None:
    parsed = parse("q: @anouk hi", roster=[])
    assert (parsed.author, parsed.text) == (None, "@anouk hi")
    assert parsed.problems == ("no participant called '@anouk'",)


def test_blank_and_repeated_roster_names_do_not_make_a_mention_ambiguous() -> None:
    assert parse("q: @bram hi", roster=["Bram", " Bram ", "", "   "]).author == "Bram"


def test_an_action_mention_names_the_owner() -> None:
    parsed = parse("a: @bram phones the parents")
    assert (parsed.kind, parsed.owner, parsed.author, parsed.text) == (
        Capture.ACTION, "Bram", None, "phones the parents")


@pytest.mark.parametrize(("partial", "names"), [
    ("an", ["Anouk", "Annelies", "An"]),
    ("@an", ["Anouk", "Annelies", "An"]),
    ("ANO", ["Anouk"]),
    ("oz", ["Özlem"]),
    ("Öz", ["Özlem"]),
    ("jan", ["Jan Jansen", "Jan de Vries"]),
    ('"jan d', ["Jan de Vries"]),
    ("x", []),
])
def test_complete_mention(partial: str, names: list[str]) -> None:
    assert complete_mention(partial, ROSTER) == names


def test_complete_mention_of_nothing_offers_everyone() -> None:
    assert complete_mention("", ROSTER) == ROSTER
    assert complete_mention("@", ["Bram", "Bram", " "]) == ["Bram"]


# --- due dates --------------------------------------------------------------------------------

DATE_FORMS = [
    ("2026-12-01", date(2026, 12, 1)),
    ("1-12", date(2026, 12, 1)),
    ("1/12", date(2026, 12, 1)),
    ("01-12", date(2026, 12, 1)),
    ("25-11", date(2026, 11, 25)),  # today counts
    ("24-11", date(2027, 11, 24)),  # already past this year: next year
    ("3/1", date(2027, 1, 3)),
    ("1-12-2026", date(2026, 12, 1)),
    ("1/12/2027", date(2027, 12, 1)),
    ("+7d", date(2026, 12, 2)),
    ("+2w", date(2026, 12, 9)),
    ("+1m", date(2026, 12, 25)),
    ("+0d", TODAY),
    ("today", TODAY),
    ("vandaag", TODAY),
    ("Today", TODAY),
    ("tomorrow", date(2026, 11, 26)),
    ("morgen", date(2026, 11, 26)),
    ("overmorgen", date(2026, 11, 27)),
    ("day after tomorrow", date(2026, 11, 27)),
    ("next week", date(2026, 11, 30)),
    ("volgende week", date(2026, 11, 30)),
    ("Next  Week", date(2026, 11, 30)),
    ("monday", date(2026, 11, 30)),
    ("maandag", date(2026, 11, 30)),
    ("tuesday", date(2026, 12, 1)),
    ("dinsdag", date(2026, 12, 1)),
    ("wednesday", date(2026, 12, 2)),  # the next one, not today
    ("woensdag", date(2026, 12, 2)),
    ("thursday", date(2026, 11, 26)),
    ("donderdag", date(2026, 11, 26)),
    ("friday", date(2026, 11, 27)),
    ("vrijdag", date(2026, 11, 27)),
    ("Friday", date(2026, 11, 27)),
    ("saturday", date(2026, 11, 28)),
    ("zaterdag", date(2026, 11, 28)),
    ("sunday", date(2026, 11, 29)),
    ("zondag", date(2026, 11, 29)),
    ("next friday", date(2026, 12, 4)),
    ("volgende vrijdag", date(2026, 12, 4)),
    ("volgende week vrijdag", date(2026, 12, 4)),
    ("in 3 days", date(2026, 11, 28)),
    ("in 1 day", date(2026, 11, 26)),
    ("over 3 dagen", date(2026, 11, 28)),
    ("in 2 weeks", date(2026, 12, 9)),
    ("over 2 weken", date(2026, 12, 9)),
    ("in 1 month", date(2026, 12, 25)),
    ("over 1 maand", date(2026, 12, 25)),
]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS)
def test_parse_due(text: str, expected: date) -> None:
    assert parse_due(text, TODAY) == expected


@pytest.mark.parametrize("text", [
    "", "   ", "blursday", "next blursday", "31-2", "31-2-2027", "2026-13-01", "0-1", "1-0",
    "+3", "+3y", "+99999d", "in days", "in 3 lightyears", "3", "2026", "10:30", "١-١٢",
])
def test_parse_due_reads_nothing_else(text: str) -> None:
    assert parse_due(text, TODAY) is None


def test_plus_one_month_clamps_to_the_end_of_the_month() -> None:
    assert parse_due("+1m", date(2027, 1, 31)) == date(2027, 2, 28)
    assert parse_due("+1m", date(2028, 1, 31)) == date(2028, 2, 29)
    assert parse_due("+2m", date(2026, 12, 31)) == date(2027, 2, 28)
    assert parse_due("+13m", date(2026, 11, 25)) == date(2027, 12, 25)


def test_the_29th_of_february_waits_for_a_leap_year() -> None:
    assert parse_due("29-2", TODAY) == date(2028, 2, 29)


def test_parse_due_never_overflows() -> None:
    assert parse_due("+1d", date.max) is None
    assert parse_due("next week", date.max) is None
    assert parse_due("+9999m", date(9500, 1, 1)) is None


@pytest.mark.parametrize(("form", "expected"), DATE_FORMS)
def test_an_action_takes_an_owner_and_a_trailing_date(form: str, expected: date) -> None:
    parsed = parse(f"a: @bram phones the parents {form}")
    assert (parsed.kind, parsed.owner, parsed.author, parsed.text, parsed.due, parsed.problems) == (
        Capture.ACTION, "Bram", None, "phones the parents", expected, ())


@pytest.mark.parametrize("keyword", ["due:", "by:", "voor:", "Due:", "VOOR:"])
@pytest.mark.parametrize(("form", "expected"), [
    ("friday", date(2026, 11, 27)), ("volgende week", date(2026, 11, 30)),
    ("over 3 dagen", date(2026, 11, 28)), ("1-12", date(2026, 12, 1)),
])
def test_a_due_keyword_works_anywhere(keyword: str, form: str, expected: date) -> None:
    for line, text in [
        (f"a: phone the parents {keyword} {form}", "phone the parents"),
        (f"a: phone the parents {keyword} {form} and the team", "phone the parents and the team"),
        (f"a: {keyword} {form} phone the parents", "phone the parents"),
    ]:
        parsed = parse(line)
        assert (parsed.due, parsed.text, parsed.problems) == (expected, text, ()), line


def test_a_due_keyword_may_touch_its_date() -> None:
    parsed = parse("a: phone due:friday")
    assert (parsed.due, parsed.text) == (date(2026, 11, 27), "phone")


@pytest.mark.parametrize(("line", "text"), [
    ("a: mail the parents by friday", "mail the parents"),
    ("a: mail de ouders voor vrijdag", "mail de ouders"),
    ("a: mail de ouders uiterlijk morgen", "mail de ouders"),
    ("a: prepare the slides for next week", "prepare the slides"),
    ("a: mail the parents by friday.", "mail the parents."),  # the sentence keeps its end
    ("a: mail the parents friday!", "mail the parents!"),
    ("a: mail the parents, friday", "mail the parents,"),
])
def test_a_word_that_only_introduces_the_date_goes_with_it(line: str, text: str) -> None:
    parsed = parse(line)
    assert parsed.text == text
    assert parsed.due is not None


def test_the_date_comes_after_the_owner_is_taken_out() -> None:
    parsed = parse("a: phone the parents friday @bram")
    assert (parsed.owner, parsed.due, parsed.text) == ("Bram", date(2026, 11, 27),
                                                       "phone the parents")


def test_an_action_from_the_phase_default_takes_a_date_too() -> None:
    parsed = parse("@bram phones the parents morgen", default=Capture.ACTION)
    assert (parsed.kind, parsed.owner, parsed.due, parsed.text) == (
        Capture.ACTION, "Bram", date(2026, 11, 26), "phones the parents")


def test_an_action_without_a_date_has_none() -> None:
    parsed = parse("a: @bram phones the parents")
    assert (parsed.due, parsed.problems) == (None, ())


def test_a_date_in_the_past_is_kept_with_a_warning() -> None:
    parsed = parse("a: phone the parents 2026-11-01")
    assert (parsed.due, parsed.text) == (date(2026, 11, 1), "phone the parents")
    (problem,) = parsed.problems
    assert "due date is in the past" in problem
    parsed = parse("a: phone the parents due: 1-1-2020 please")
    assert (parsed.due, parsed.text) == (date(2020, 1, 1), "phone the parents please")
    assert len(parsed.problems) == 1


def test_an_unreadable_due_date_stays_in_the_text_with_a_problem() -> None:
    parsed = parse("a: phone the parents due: next blursday")
    assert (parsed.due, parsed.text) == (None, "phone the parents due: next blursday")
    assert parsed.problems == ("could not read the date 'next blursday'",)


def test_a_trailing_date_that_does_not_exist_gives_a_problem() -> None:
    parsed = parse("a: phone the parents 31-2")
    assert (parsed.due, parsed.text) == (None, "phone the parents 31-2")
    assert parsed.problems == ("could not read the date '31-2'",)


def test_an_owner_problem_and_a_date_problem_come_together() -> None:
    parsed = parse("a: @nobody phones due: someday")
    assert (parsed.owner, parsed.due, parsed.text) == (None, None, "@nobody phones due: someday")
    assert len(parsed.problems) == 2


@pytest.mark.parametrize("kind", [k for k in Capture if k is not Capture.ACTION])
def test_other_kinds_never_read_dates(kind: Capture) -> None:
    for line in ["can we meet friday", "what happens over 3 dagen", "why 2020-01-01",
                 "is 31-2 a date", "hold on due: next blursday", "meeting by friday"]:
        # An evaluation starts with its score; the rest is read like any other kind's.
        score = "3 " if kind is Capture.EVALUATION else ""
        parsed = parse(score + line, default=kind)
        assert (parsed.kind, parsed.text, parsed.due, parsed.problems) == (kind, line, None, ())


@pytest.mark.parametrize(("line", "score", "text"), [
    ("e: 4 the questions helped", 4, "the questions helped"),
    ("eval: 5/5 calm and clear", 5, "calm and clear"),
    ("evaluatie: 3: te weinig tijd", 3, "te weinig tijd"),
    ("e: 2. rushed", 2, "rushed"),
    ("e: 1", 1, ""),
    ("e: 4.5 was it", None, "4.5 was it"),  # no half scores: the line is kept as typed
    ("e: 10 out of 10", None, "10 out of 10"),
    ("e: 0 nothing", None, "0 nothing"),
    ("e: great meeting", None, "great meeting"),
])
def test_an_evaluation_reads_its_score_first(line: str, score: int | None, text: str) -> None:
    parsed = parse(line + " @Anouk")
    assert (parsed.kind, parsed.score, parsed.text, parsed.author) == (
        Capture.EVALUATION, score, text, "Anouk")
    assert bool(parsed.problems) is (score is None)  # a missing score is said, never refused


def test_problems_in_another_language_do_not_break_parsing() -> None:
    parsed = parse_capture("a: @nobody belt due: ooit", default=Capture.NOTE, roster=ROSTER,
                           today=TODAY, language="nl")
    assert parsed.kind is Capture.ACTION
    assert len(parsed.problems) == 2
    assert all(isinstance(problem, str) and problem for problem in parsed.problems)


def test_a_dutch_meeting_gets_dutch_problems_whatever_the_interface() -> None:
    line = "a: @nobody belt due: ooit"
    dutch = parse_capture(line, default=Capture.NOTE, roster=ROSTER, today=TODAY,
                          language="nl")
    english = parse_capture(line, default=Capture.NOTE, roster=ROSTER, today=TODAY,
                            language="en")
    assert dutch.problems == ("geen deelnemer die '@nobody' heet",
                              "datum 'ooit' niet herkend")
    assert english.problems == ("no participant called '@nobody'",
                                "could not read the date 'ooit'")
    assert (dutch.kind, dutch.text) == (english.kind, english.text)


def test_without_a_language_problems_are_in_the_interface_s() -> None:
    line = "q: @nobody why?"
    try:
        use_language("nl")
        assert parse(line).problems == ("geen deelnemer die '@nobody' heet",)
    finally:
        use_language("en")
    assert parse(line).problems == ("no participant called '@nobody'",)


# --- text is kept as typed --------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "# heading",
    "- [ ] x",
    "- [x] done",
    "use `git log --oneline` and ```python``` blocks",
    "<script>alert('x')</script>",
    "**bold** _italic_ [link](https://example.org) ![img](a.png)",
    "> quoted | table | row |",
    "1. first \\* escaped",
    "😀 👩‍👩‍👧 🇳🇱 ✅ 👍🏽",
    "ما هو السؤال؟ مرحبا بالعالم",
    "מה השאלה? שלום עולם",
    "mixed עברית and English and العربية",
    "\u200fRLM and \u202eRLO\u202c marks",
    "tab\tinside  double  spaces",
])
def test_text_is_kept_exactly_as_typed(text: str) -> None:
    for line, default in [(text, Capture.NOTE), (f"q: {text}", Capture.NOTE),
                          (f"!f: {text}", Capture.NOTE)]:
        assert parse(line, default=default).text == text
    parsed = parse(f"q: @anouk {text}")
    assert (parsed.author, parsed.text) == ("Anouk", text)


def test_rtl_text_around_a_mention() -> None:
    parsed = parse("q: لماذا @ozlem الآن؟")
    assert (parsed.author, parsed.text) == ("Özlem", "لماذا الآن؟")


def test_ten_thousand_characters_are_kept() -> None:
    text = ("Lorem ipsum dolor sit amet, *consectetur* — ëmoji 🎉 and عربي. " * 200)[:10_000]
    text = text.strip()
    for kind in Capture:
        parsed = parse(text, default=kind)
        assert parsed.text == text
        assert parse(f"n: {text}", default=kind).text == text


def test_ten_thousand_characters_without_spaces_are_quick_and_kept() -> None:
    text = "a:" + "x" * 10_000 + ":" + "@" * 5_000
    parsed = parse(text, default=Capture.ACTION)
    assert parsed.text == text


def test_parsed_is_frozen() -> None:
    parsed = parse("q: x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.text = "y"  # type: ignore[misc]


# --- never raises, never loses what was typed -------------------------------------------------

def is_subsequence(part: str, whole: str) -> bool:
    rest = iter(whole)
    return all(char in rest for char in part)


# Pieces of the syntax, joined at random: far more likely than arbitrary text to hit the corners.
PIECES = [*"@@@:::!!!  \t\"“”'’-/+.,?qfapvnQ0123456789dwm", "due:", "by:", "voor:", "private",
          "a:", "q:", "friday", "in 3 days", "next week", "1-12", "+1m", "Anouk", "an", "jan",
          "ö", "\u0308", "é", "😀", "ع", "\n", "\u200f"]
HEAVY = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)
LINES = st.one_of(st.text(max_size=80), HEAVY)
ROSTERS = st.one_of(st.just(ROSTER), st.lists(st.text(max_size=12), max_size=5))
TODAYS = st.one_of(st.just(TODAY), st.dates())
FAST = settings(max_examples=examples(1500), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(line=LINES, default=st.sampled_from(list(Capture)), roster=ROSTERS, today=TODAYS)
def test_any_line_parses_and_keeps_what_was_typed_in_order(
        line: str, default: Capture, roster: list[str], today: date) -> None:
    parsed = parse_capture(line, default=default, roster=roster, today=today)
    assert parsed.kind in Capture
    assert parsed.text == parsed.text.strip()
    assert is_subsequence(parsed.text, line)
    assert all(isinstance(problem, str) and problem for problem in parsed.problems)
    if parsed.kind is not Capture.ACTION:
        assert parsed.due is None and parsed.owner is None
    else:
        assert parsed.author is None
    if parsed.author is not None:
        assert parsed.author in [name.strip() for name in roster]
    if parsed.owner is not None:
        assert parsed.owner in [name.strip() for name in roster]


@FAST
@given(line=LINES, default=st.sampled_from([k for k in Capture if k is not Capture.ACTION]))
def test_a_plain_line_is_the_text(line: str, default: Capture) -> None:
    parsed = parse_capture(line, default=default, roster=ROSTER, today=TODAY)
    if "@" not in line and parsed.kind is not Capture.ACTION:
        # Prefixes only ever come off the front.
        assert line.strip().endswith(parsed.text)
    if "@" not in line and ":" not in line and not line.strip().startswith("!"):
        assert (parsed.kind, parsed.private) == (default, False)
        if parsed.score is None:
            assert parsed.text == line.strip()
        else:  # an evaluation's score, when it starts the line, is taken off it as well
            assert default is Capture.EVALUATION
            assert line.strip().startswith(str(parsed.score))
            assert line.strip().endswith(parsed.text) and len(parsed.text) < len(line.strip())


@settings(max_examples=examples(500), deadline=None)
@given(prefix=st.sampled_from(sorted(PREFIXES)), body=st.text(
    alphabet=st.characters(blacklist_characters="@:!", blacklist_categories=["Cs"]), max_size=30))
def test_a_listed_prefix_always_chooses_its_kind(prefix: str, body: str) -> None:
    parsed = parse(f"{prefix.upper()}: {body}", default=Capture.NOTE)
    assert parsed.kind is PREFIXES[prefix]
    if parsed.kind is not Capture.ACTION:
        assert parsed.text == body.strip()


@settings(max_examples=examples(500), deadline=None)
@given(text=st.text(max_size=30), today=TODAYS)
def test_parse_due_never_raises(text: str, today: date) -> None:
    due = parse_due(text, today)
    assert due is None or isinstance(due, date)
