"""Whatever people type, the minutes keep their structure and show the text as it was typed.

Each example builds two meetings that differ only in their text: one with plain placeholders,
one with arbitrary Unicode and Markdown (and HTML) in *every* text field: community, goal,
case, names, protocol titles, entries of every kind, owners. Read back with markdown-it-py (as a
viewer with raw HTML *on* would read it), both must give the same blocks in the same order and,
where a placeholder stood, exactly the hostile text (normalised the documented way). The HTML
page must have exactly the elements of the plain meeting's page: nothing typed became a tag.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kring.sessions.documents.html import render_html, strip_front_matter
from kring.sessions.documents.markdown import LINE_BREAK_MARK, inline, text_lines
from kring.sessions.documents.minutes import minutes_title, render_markdown
from kring.sessions.model.kinds import KINDS
from kring.sessions.model.meeting import Case, Entry, Meeting, PhaseRun, Status
from kring.sessions.model.protocol import Capture
from kring.sessions.plain import plain
from kring.sessions.protocols.templates import load_protocol, parse_protocol, protocol_to_data
from kring.templates import BUILTIN_DIR
from tests.support.budget import examples

VIEWER = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # raw HTML on
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

SNIPPETS = [
    "#", "## ", "- ", "* ", "+ ", "1. ", "2) ", "> ", "|", " | ", "`", "```", "~~~", "~~", "~",
    "**", "__", "*", "_", "[", "]", "(", ")", "[link](https://x.org)", "![img](x.png)",
    "[ ] ", "[x] ", "[^1]", "[a]: /url", "<script>", "</script>", "<b>", "</b>",
    "<img src=x onerror=alert(1)>", "<!-- c -->", "<http://x.org>", "<a href='x'>",
    "&amp;", "&#60;", "&#x3C;", "&lt;", "&copy;", "&", "\\", "\\\n", "\n", "\r\n", "\r",
    "\u2028", "\x85", "\t", "    ", "---", "===", "***", "___", "$", "$$", "==", "%%", "^",
    "{", "}", ":", "!", "\x00", "\x1b", "\u202e", "\ufeff", "😀", "שלום", "é", "ﬁ", "…",
    "x" * 300,
]
PIECE = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=6))
# Text whose normalised form is not empty: empty fields are shown differently (placeholders,
# "not recorded"), which tests/test_minutes.py covers.
HOSTILE = st.lists(PIECE, min_size=1, max_size=6).map("".join).filter(text_lines)
# Protocol titles pass the template reader first, which wants text that is not blank.
TITLE = HOSTILE.filter(lambda text: text.strip())

# Every kind in the table of kinds, so a kind added there is in these tests at once; a second
# position and question, as those are grouped (per person) and numbered.
ENTRY_KINDS = [*(row.capture for row in KINDS), Capture.POSITION, Capture.QUESTION]
LINE_FIELDS = ["community", "name0", "name1", "name2", "phase", "block", "owner"]
TEXT_FIELDS = ["goal", "title", "summary", "focus",
               *(f"entry{i}" for i in range(len(ENTRY_KINDS)))]
FIELDS = LINE_FIELDS + TEXT_FIELDS


@dataclass(frozen=True)
class Built:
    meeting: Meeting
    entries: list[Entry]


@cache
def template_data(protocol_id: str) -> dict[str, Any]:
    return protocol_to_data(load_protocol(BUILTIN_DIR / "en" / f"{protocol_id}.toml"))


def build(protocol_id: str, texts: dict[str, str]) -> Built:
    """An ended meeting of three with every field's text taken from ``texts``."""
    data = copy.deepcopy(template_data(protocol_id))
    data["phases"][0]["title"] = texts["phase"]
    if protocol_id == "troika":
        data["phases"][1]["title"] = texts["block"]
    people = [texts["name0"], texts["name1"], texts["name2"]]
    steps = parse_protocol(data).steps(people)
    runs = []
    for index, step in enumerate(steps):
        began = START + timedelta(minutes=index)
        runs.append(PhaseRun(step.key, began, began + timedelta(seconds=50 + index),
                             skipped=index == 2))
    meeting = Meeting(
        id="p1", community=texts["community"], date=date(2026, 11, 25), protocol=data,
        created_at=START, goal=texts["goal"], participants=people,
        roles={"facilitator": people[0], "case-bringer": people[1]},
        case=Case(texts["title"], texts["summary"], texts["focus"]),
        status=Status.ENDED, current_step=len(steps) - 1, runs=runs,
        ended_at=START + timedelta(hours=2))
    entries = []
    for index, kind in enumerate(ENTRY_KINDS):
        entries.append(Entry(
            id=f"e{index}", kind=kind, text=texts[f"entry{index}"],
            step=steps[index % len(steps)].key, created_at=START + timedelta(seconds=index),
            author=people[index % 3] if index % 2 else None,
            owner=texts["owner"] if kind is Capture.ACTION else None,
            due=date(2026, 12, 1) if kind is Capture.ACTION else None))
    return Built(meeting, entries)


PLACEHOLDER = re.compile(r"plain(\d\d)word")


def plain_texts() -> dict[str, str]:
    return {field: f"plain{index:02d}word" for index, field in enumerate(FIELDS)}


def text_of(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def reading(markdown: str) -> list[tuple[str, str]]:
    """What a reader gets: every block token in order, with the text of inline ones and the
    kinds of markup inside them (strong, em, links, HTML, code ...), text and breaks aside."""
    out = []
    tokens = VIEWER.parse(strip_front_matter(markdown))
    for index, token in enumerate(tokens):
        if token.type != "inline":
            out.append((token.type, token.tag))
            continue
        markup = " ".join(child.type for child in token.children or []
                          if child.type not in ("text", "softbreak", "hardbreak"))
        context = "line" if tokens[index - 1].type in ("heading_open", "th_open",
                                                       "td_open") else "body"
        out.append((f"inline:{context}:{markup}", text_of(token)))
    return out


def expected_reading(plain: list[tuple[str, str]], texts: dict[str, str]) -> list[tuple[str, str]]:
    """The plain meeting's reading with each placeholder replaced by the hostile text as the
    minutes show it: one line (breaks marked) in headings, table cells and names; lines joined
    by hard breaks in the body."""
    out = []
    for kind, text in plain:
        if kind.startswith("inline:"):
            single = kind.startswith("inline:line:")

            def show(match: re.Match[str], single: bool = single) -> str:
                field = FIELDS[int(match.group(1))]
                lines = text_lines(texts[field])
                one_line = single or field in LINE_FIELDS
                return (LINE_BREAK_MARK if one_line else "\n").join(lines)

            text = PLACEHOLDER.sub(show, text)
        out.append((kind, text))
    return out


Element = tuple[str, tuple[tuple[str, str | None], ...]]  # a tag and its attributes


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "br":  # one per line break: the hostile text has more of them
            self.tags.append((tag, tuple(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def elements(page: str) -> list[Element]:
    parser = Tags()
    parser.feed(page)
    parser.close()
    return parser.tags


OWN_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "h4",
            "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th", "td",
            "input"}


def distinct_names(texts: dict[str, str]) -> bool:
    # Setting a meeting up refuses two participants of the same name (sessions/setup.py).
    names = {" ".join(text_lines(texts[f"name{i}"])).casefold() for i in range(3)}
    return len(names) == 3


@cache
def plain_minutes(protocol_id: str) -> tuple[list[tuple[str, str]], list[Element]]:
    """How the placeholder meeting reads, and its page's elements: the same every example."""
    plain = build(protocol_id, plain_texts())
    markdown = render_markdown(plain.meeting, plain.entries)
    return reading(markdown), elements(render_html(markdown, minutes_title(plain.meeting)))


@pytest.mark.parametrize("protocol_id", ["incident", "troika"])
def test_every_entry_of_every_kind_shows_once(protocol_id: str) -> None:
    """The comparison below is with the minutes of plain text, so it cannot see an entry the
    minutes leave out: this can (a kind missing from the minutes' sections, say)."""
    plain = build(protocol_id, plain_texts())
    markdown = render_markdown(plain.meeting, plain.entries)
    for index, kind in enumerate(ENTRY_KINDS):
        placeholder = f"plain{FIELDS.index(f'entry{index}'):02d}word"
        assert markdown.count(placeholder) == 1, kind


# A template's text is made plain as it is read (sessions/plain.py): its hostile titles reach
# the minutes as that leaves them.
TEMPLATE_TITLE = TITLE.map(plain).filter(lambda text: text.strip())
texts_strategy = st.fixed_dictionaries(
    {field: TEMPLATE_TITLE if field in ("phase", "block") else HOSTILE for field in FIELDS}
).filter(distinct_names)


@settings(max_examples=examples(400), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(texts=texts_strategy, protocol_id=st.sampled_from(["incident", "troika"]))
def test_hostile_text_in_every_field_keeps_the_structure_and_reads_as_typed(
        texts: dict[str, str], protocol_id: str) -> None:
    plain_reading, plain_elements = plain_minutes(protocol_id)
    hostile = build(protocol_id, texts)
    hostile_md = render_markdown(hostile.meeting, hostile.entries)

    assert hostile_md.endswith("\n") and "\r" not in hostile_md
    hostile_md.encode("utf-8")
    assert reading(hostile_md) == expected_reading(plain_reading, texts)

    found = elements(render_html(hostile_md, minutes_title(hostile.meeting)))
    assert found == plain_elements
    assert {tag for tag, _ in found} <= OWN_TAGS


@settings(max_examples=examples(2000), deadline=None)
@given(text=HOSTILE, marker=st.sampled_from(["-", "1.", "10."]))
def test_any_typed_text_is_one_list_item_holding_exactly_that_text(text: str,
                                                                    marker: str) -> None:
    markdown = f"{marker} {inline(text, indent=' ' * (len(marker) + 1))}\n"
    tokens = VIEWER.parse(markdown)
    assert [token.type for token in tokens][1:-1] == [
        "list_item_open", "paragraph_open", "inline", "paragraph_close", "list_item_close"]
    children = {child.type for child in tokens[3].children or []}
    assert children <= {"text", "hardbreak"}
    assert text_of(tokens[3]) == "\n".join(text_lines(text))


def test_text_lines_only_drops_whitespace_and_control_characters() -> None:
    @settings(max_examples=examples(1000), deadline=None)
    @given(text=st.text())
    def check(text: str) -> None:
        kept = "".join(text_lines(text))
        dropped = re.sub(r"[\s\x00-\x1f\x7f-\x9f]", "", text)
        assert re.sub(r"[\s\x00-\x1f\x7f-\x9f]", "", kept) == dropped

    check()
