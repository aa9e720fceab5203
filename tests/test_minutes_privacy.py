"""Protected names in the minutes: never in the Markdown, the HTML page or the file names,
however they were typed; and the review of earlier action points and the action points' own
status, which the minutes show with them."""

from __future__ import annotations

import copy
import html
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.documents.filenames import minutes_filename
from kring.sessions.documents.html import render_html
from kring.sessions.documents.minutes import minutes_title, render_markdown, shown_meeting
from kring.sessions.model.meeting import ActionStatus, Case, Entry, Meeting, PseudonymStyle
from kring.sessions.model.privacy import fold, pseudonymizer_for
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.protocols.snapshot import meeting_steps
from tests.support.budget import examples
from tests.support.minutes import (
    PUPIL,
    earlier_action,
    incident_meeting,
    live,
    troika_meeting,
)

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


# The letters these tests type that fold to another without a mark to strip.
_LOOKALIKES = str.maketrans({"Ø": "o", "ø": "o", "’": "'", "`": "'"})
_MARKS = re.compile("[\u0300-\u036f]")


def folded(text: str) -> str:
    """``sessions.privacy.fold`` for the characters these tests type (checked below), done on
    the whole text at once: a hundred times faster on a page, and written independently."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", text.translate(_LOOKALIKES)))
    return " ".join(plain.casefold().split())


def shows(name: str, text: str, *, is_folded: bool = False) -> bool:
    """Whether ``name`` is in ``text`` as a whole word (or words), in any case or accents."""
    words = r"\s+".join(re.escape(word) for word in fold(name).split())
    return re.search(rf"(?<!\w){words}(?!\w)",
                     text if is_folded else folded(text)) is not None


def slug_words(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", fold(name))
                  .encode("ascii", "ignore").decode()).strip("-")


def in_file_name(name: str, file_name: str) -> bool:
    words = slug_words(name)
    return bool(words) and f"-{words}-" in f"-{file_name.rpartition('.')[0]}-"


# The page as a reader sees it: tags gone (inline ones join the text on either side, as on
# screen), the stylesheet gone, attribute values and entities as text.
_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_INLINE_TAG = re.compile(r"</?(?:strong|em)>|<input [^>]*>")
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"""=["']([^"']*)["']""")


def page_text(page: str) -> str:
    page = _INLINE_TAG.sub("", _STYLE.sub(" ", page))
    shown = _TAG.sub(lambda tag: " " + " ".join(_ATTRIBUTE.findall(tag.group())) + " ", page)
    return html.unescape(shown)


# -- any name, any spelling ----------------------------------------------------------------------

# Names made of syllables with and without accents: never English, so never one of the minutes'
# own words (checked below), and with the accents and letters people leave off when typing.
SYLLABLES = ["zo", "ë", "Ki", "bä", "ja", "ïn", "Øs", "tje", "ra", "Ñu", "wy", "lé", "Ço"]
FILLERS = ["the", "met", "and", "pupil", "said", ",", ".", "!", "?", "(", ")", "*", "**", "#",
           "\n", "- ", "1. ", "> ", "|", "[", "]", "`", "<b>", "&", ":", "—", "'s", "’s", "😀"]


@cache
def minutes_words() -> frozenset[str]:
    """Every word the minutes and their page write themselves, fillers included: a name
    spelled like one of those could not be told from it."""
    meeting, entries = incident_meeting()
    plain = copy.deepcopy(meeting)
    plain.protected_names = []
    markdown = render_markdown(plain, entries)
    text = markdown + page_text(render_html(markdown, "x")) + " ".join(FILLERS) + " pupil a"
    return frozenset(re.findall(r"\w+", folded(text)))


ONE_WORD = st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=3).map("".join)
NAME = st.one_of(ONE_WORD, st.tuples(ONE_WORD, ONE_WORD).map(" ".join)).filter(
    lambda name: not set(fold(name).split()) & minutes_words())


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).replace("Ø", "O").replace("ø", "o")


SPELLINGS = [str, str.upper, str.lower, str.casefold, str.title, strip_accents,
             lambda name: strip_accents(name).lower(), lambda name: name.upper() + "'s",
             lambda name: name + "’s", lambda name: "  ".join(name.split())]


def typed(names: list[str]) -> st.SearchStrategy[str]:
    """Text with the names in it, spelled every way people type them, among other words.
    Each piece is one number (a filler, or a name in one spelling): cheap to draw."""
    words = [*FILLERS, *(spell(name) for name in names for spell in SPELLINGS)]
    return st.tuples(st.lists(st.integers(0, len(words) - 1), min_size=1, max_size=6),
                     st.sampled_from([" ", "", "\n"])).map(
        lambda drawn: drawn[1].join(words[index] for index in drawn[0]))


@st.composite
def meetings(draw: st.DrawFn) -> tuple[Meeting, list[Entry]]:
    """A meeting protecting a few names, which are typed into every field of it. A few texts
    are drawn and handed round the fields from a drawn start, rather than one drawn per field:
    as thorough over the examples, at a fraction of the drawing."""
    names = draw(st.lists(NAME, min_size=1, max_size=3, unique_by=fold))
    texts = draw(st.lists(typed(names), min_size=1, max_size=4))
    start = draw(st.integers(0, 15))

    def text(field: int) -> str:
        return texts[(start + field) % len(texts)]

    participants = ["Anouk", "Bram", draw(st.sampled_from([*names, "Chantal"]))]
    # Two protocols: one with a step for the review, one without and with rounds that name
    # their client (a participant, maybe protected).
    base = base_meeting(draw(st.sampled_from(["incident-short", "troika"])))
    meeting = copy.copy(base)  # the protocol snapshot is shared, and never changed
    meeting.protected_names = names
    meeting.pseudonym_style = draw(st.sampled_from(PseudonymStyle))
    meeting.community = text(0)
    meeting.goal = text(1)
    meeting.participants = participants
    meeting.roles = {Role.FACILITATOR.value: participants[2], "observer": text(2)}
    meeting.case = Case(text(3), text(4), text(5))
    meeting.reviews = [earlier_action("r1", text(6), text(7), ActionStatus.DONE,
                                      comment=text(8))]
    steps = [step.key for step in meeting_steps(base)]
    kinds = draw(st.lists(st.sampled_from(Capture), min_size=1, max_size=5))
    entries = [Entry(id=f"e{number}", kind=kind, text=text(9 + number),
                     step=steps[number % len(steps)],
                     created_at=START + timedelta(seconds=number),
                     author=[None, *participants, text(number)][number % 5],
                     owner=text(10 + number) if kind is Capture.ACTION else None)
               for number, kind in enumerate(kinds)]
    return meeting, entries


@cache
def base_meeting(protocol_id: str) -> Meeting:
    return live(protocol_id, ["Anouk", "Bram", "Chantal"], Case("")).meeting


@settings(max_examples=examples(500), deadline=None)
@given(meetings())
def test_protected_names_never_show_in_the_minutes_the_page_or_the_file_names(
        built: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = built
    markdown = render_markdown(meeting, entries)
    title = minutes_title(meeting)
    seen = page_text(render_html(markdown, title, language=meeting.language))
    files = [minutes_filename(meeting, ext) for ext in ("md", "html")]
    documents = [folded(text) for text in (markdown, seen, title)]
    for name in meeting.protected_names:
        for document in documents:
            assert not shows(name, document, is_folded=True), name
        for file_name in files:
            assert not in_file_name(name, file_name), (name, file_name)


def test_the_checks_above_do_find_a_name() -> None:
    # The property only means something if its checks see a name that is there.
    typed_here = "".join(SYLLABLES + FILLERS + [PUPIL])
    for text in (typed_here, typed_here.upper(), render_markdown(*incident_meeting())):
        assert folded(text) == fold(text)
    assert shows("Zoë", "**Bram**: ZOË\\'s mother") and shows("Zoë", "zoe.")
    assert shows("Anne Marie", "anne\nmarie") and not shows("Zoë", "Zoëlle zoe_x")
    assert in_file_name("Zoë", "2026-11-25-zoe-s-chair.md")
    assert not in_file_name("Zoë", "2026-11-25-zoelle.md")
    assert shows("Zoë", page_text("<p>Z<em>o</em>ë</p>"))  # as a reader sees it
    assert shows("Zoë", page_text("<title>Zoë</title>"))
    assert not shows("Zoë", page_text("<style>zoe { }</style>"))


# -- the incident meeting ------------------------------------------------------------------------


def test_every_spelling_of_the_pupil_is_hidden_in_the_incident_minutes() -> None:
    meeting, entries = incident_meeting()
    assert meeting.protected_names == [PUPIL]
    typed_text = " ".join(e.text for e in entries) + " ".join(n.text for n in meeting.reviews)
    assert "zoe" in typed_text and "ZOË's" in typed_text  # the fixture does type them
    markdown = render_markdown(meeting, entries)
    assert not shows(PUPIL, markdown)
    assert "- Pupil A sits at the back, next to the window." in markdown
    assert "- **Bram**: Pupil A's mother called the next morning." in markdown
    assert not shows(PUPIL, render_html(markdown, minutes_title(meeting)))


def test_a_protected_name_in_every_field_of_the_meeting_is_hidden() -> None:
    meeting = live("troika", ["Anouk", "Zoë", "Chantal"], Case("What Zoë needs", "zoe", "ZOË?"),
                   community="Zoë's group", goal="Help zoe").meeting
    meeting.protected_names = ["Zoë"]
    meeting.roles = {"case-bringer": "Zoë", "zoë-watcher": "Anouk"}
    meeting.protocol = {**meeting.protocol, "name": "Troika for Zoë"}
    step = meeting_steps(meeting)[1].key
    entries = [Entry("e1", Capture.ACTION, "call zoe", step, START, author="Zoë", owner="ZOË")]
    markdown = render_markdown(meeting, entries)
    assert not shows("Zoë", markdown), markdown
    assert 'case: "What Pupil A needs"' in markdown
    assert 'community: "Pupil A\'s group"' in markdown
    assert '  - "Pupil A"' in markdown and 'case-bringer: "Pupil A"' in markdown
    assert "Consulting round 2 — client: Pupil A" in markdown  # a participant protected too
    assert minutes_title(meeting) == "What Pupil A needs"
    assert minutes_filename(meeting) == "2026-11-25-pupil-a-s-group-what-pupil-a-needs.md"


def test_initials_as_pseudonyms() -> None:
    meeting, entries = incident_meeting()
    meeting.pseudonym_style = PseudonymStyle.INITIALS
    assert "- Z. sits at the back, next to the window." in render_markdown(meeting, entries)


def test_without_protected_names_nothing_is_copied() -> None:
    meeting, _ = troika_meeting()
    assert meeting.protected_names == []
    assert shown_meeting(meeting, pseudonymizer_for(meeting)) is meeting


def test_file_names_hide_what_only_slugging_makes_a_name() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Zoë_x, zoe-y")).meeting
    meeting.protected_names = ["Zoë"]
    name = minutes_filename(meeting)
    assert not in_file_name("Zoë", name), name
    meeting.case = Case("Zoëlle" * 30)  # one word longer than the room: cut inside it
    meeting.protected_names = ["zoëllezoëllezoe"]
    assert not in_file_name("zoëllezoëllezoe", minutes_filename(meeting))


def test_only_recognising_old_files_asks_for_the_real_names_in_a_file_name() -> None:
    from kring.sessions.documents.filenames import minutes_stem

    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Zoë again")).meeting
    meeting.protected_names = ["Zoë"]
    assert minutes_stem(meeting) == "2026-11-25-cop-inclusion-pupil-a-again"
    assert minutes_stem(meeting, real_names=True) == "2026-11-25-cop-inclusion-zoe-again"


# -- the review and the action points' status ----------------------------------------------------


def test_the_review_follows_the_case_when_the_protocol_has_no_step_for_it() -> None:
    meeting, entries = incident_meeting()
    markdown = render_markdown(meeting, entries)
    review = markdown.split("## Review of action points\n\n")[1].split("\n\n")[0]
    assert markdown.index("## Case") < markdown.index("## Review of action points") \
        < markdown.index("## 1. Choose an incident")
    assert "- **Anouk**: Ask Pupil A's mentor about the seating plan — *done*" in review
    assert "*Comment:* Pupil A now sits at the front." in review
    assert "Talk to the parents of the girl in 2B — *carried on*" in review
    assert "secret" not in markdown  # a private action point's review stays out


def test_the_review_is_in_the_action_review_step() -> None:
    meeting = live("incident-short", ["Anouk", "Bram", "Chantal"], Case("Case"))
    meeting.start()
    meeting.add_entry("Went well overall.", Capture.NOTE)
    record = meeting.meeting
    record.reviews = [earlier_action("e1", "Phone the mentor", "Bram", ActionStatus.DROPPED)]
    markdown = render_markdown(record, meeting.entries)
    section = markdown.split("## 1. Review earlier advice and action points\n\n")[1]
    section = section.split("\n## ")[0]
    assert section.startswith("*In progress: 0 min so far. Planned: 5 min.*\n\n"
                              "### Review of action points\n\n"
                              "- **Bram**: Phone the mentor — *dropped*")
    assert section.index("### Review of action points") < section.index("### Notes")
    assert markdown.count("Review of action points") == 1


def test_no_review_no_section() -> None:
    meeting, entries = troika_meeting()
    assert meeting.reviews == []
    assert "Review of action points" not in render_markdown(meeting, entries)
    only_private = copy.deepcopy(meeting)
    only_private.reviews = [earlier_action("e1", "secret", "Bram", ActionStatus.DONE,
                                           private=True)]
    assert "Review of action points" not in render_markdown(only_private, entries)


def test_action_points_show_their_status() -> None:
    meeting, _ = incident_meeting()
    step = meeting.runs[-1].step
    entries = [
        Entry(f"e{number}", Capture.ACTION, status.value, step, START + timedelta(seconds=number),
              owner="Bram", status=status)
        for number, status in enumerate(ActionStatus)
    ]
    block = render_markdown(meeting, entries).split("## Action points\n\n")[1].split("\n\n")[0]
    assert block.split("\n") == [
        "- [ ] **Bram**: open (no due date)",
        "- [x] **Bram**: done (no due date)",
        "- [ ] **Bram**: dropped (dropped; no due date)",
        "- [ ] **Bram**: carried-on (carried on; no due date)",
    ]
