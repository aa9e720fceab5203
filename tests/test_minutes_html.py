"""The HTML page of the minutes: standalone, readable, and never running what was typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.documents.html import build_parser, render_body, render_html, strip_front_matter
from kring.sessions.documents.minutes import minutes_title, render_markdown
from tests.support.budget import examples
from tests.support.minutes import incident_meeting, troika_meeting


@pytest.fixture(scope="module")
def page() -> str:
    meeting, entries = incident_meeting()
    return render_html(render_markdown(meeting, entries), minutes_title(meeting),
                       language=meeting.language)


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((tag, name, value) for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def test_a_standalone_utf8_page_with_its_own_stylesheet(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">")
    assert "<title>A pupil who stopped asking for help</title>" in page
    assert "<style>" in page and "@media print" in page
    assert page.endswith("</html>\n")
    # Nothing fetched from elsewhere: no scripts, links, images, imports or urls.
    found = outline(page)
    assert not {"script", "link", "img", "iframe", "object", "a"} & set(found.tags)
    assert not re.search(r"@import|url\(|\bsrc=|\bhref=", page)


def test_front_matter_is_not_shown(page: str) -> None:
    assert "status:" not in page and "participants:" not in page
    assert outline(page).tags.count("hr") == 0


def test_typed_html_shows_as_text(page: str) -> None:
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "<script" not in page
    assert "&amp;amp; &amp;lt;b&amp;gt; &amp;#60; stay as typed" in page
    text = "".join(outline(page).text)
    assert "<script>alert('x')</script>" in text
    assert "[a link](https://example.org) and ![an image](x.png)" in text


def test_only_the_pages_own_attributes(page: str) -> None:
    found = outline(page)
    allowed = {("html", "lang"), ("meta", "charset"), ("meta", "name"), ("meta", "content"),
               ("ul", "class"), ("li", "class"), ("input", "type"), ("input", "disabled"),
               ("input", "checked"), ("th", "style"), ("td", "style")}
    assert {(tag, name) for tag, name, _ in found.attrs} <= allowed


def test_action_points_are_disabled_checkboxes(page: str) -> None:
    block = page.split("<h2>Action points</h2>")[1].split("</ul>")[0]
    assert block.startswith('\n<ul class="tasks">\n')
    assert block.count('<li class="task"><input type="checkbox" disabled> ') == 2
    assert block.count('<li class="task"><input type="checkbox" disabled checked> ') == 1
    assert "[ ]" not in block and "[x]" not in block


def test_multi_line_entries_keep_their_lines(page: str) -> None:
    assert ("<li>first line<br />\nsecond line<br />\n- third line<br />\nfourth, indented</li>"
            in page)


def test_the_timing_table_is_a_table() -> None:
    meeting, entries = troika_meeting()
    body = render_body(render_markdown(meeting, entries))
    table = body.split("<table>")[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 13 + 1
    assert '<td style="text-align:right">2 min 40 s</td>' in table


def test_title_and_language_are_escaped() -> None:
    html = render_html("# x\n", 'a <b> & "c"', language='en"><script>')
    assert "<title>a &lt;b&gt; &amp; &quot;c&quot;</title>" in html
    assert '<html lang="en&quot;&gt;&lt;script&gt;">' in html


@pytest.mark.parametrize(("text", "body"), [
    ("---\ntitle: \"x\"\n---\n\n# Head\n", "\n# Head\n"),
    ("---\n---\nrest\n", "rest\n"),
    ("no front matter\n---\n", "no front matter\n---\n"),
    ("---\nnever closed\n", "---\nnever closed\n"),
])
def test_strip_front_matter(text: str, body: str) -> None:
    assert strip_front_matter(text) == body


def test_a_checkbox_only_for_the_minutes_own_task_marks() -> None:
    html = render_body("- [ ] open\n- [x] done\n- \\[ \\] typed\n1. [ ] numbered\n")
    assert '<ul class="tasks">' in html
    assert '<li class="task"><input type="checkbox" disabled> open</li>' in html
    assert '<li class="task"><input type="checkbox" disabled checked> done</li>' in html
    assert "<li>[ ] typed</li>" in html
    assert '<ol class="tasks">' in html  # numbered task lists work the same way


FAST, REFERENCE = build_parser(), build_parser(shortcuts=False)
INLINE_PIECE = st.one_of(
    st.sampled_from(["**", "*", "_", "\\", "\\\n", "\n", " ", "\t", ":", "**Anouk**: ",
                     "**x y**:", "**é**: ", "**1**:", "[ ] ", "&amp;", "<b>", "\\*", "\\_",
                     "é", "😀", "\ud83d", "1. ", "- ", "  \n", "\\\\\n"]),
    st.text(max_size=4),
)


@settings(max_examples=examples(2000), deadline=None)
@given(text=st.lists(INLINE_PIECE, max_size=8).map("".join),
       prefix=st.sampled_from(["", "- ", "- [ ] ", "## ", "| a |\n| - |\n| "]))
def test_the_inline_shortcut_renders_exactly_what_markdown_it_renders(text: str,
                                                                      prefix: str) -> None:
    source = prefix + text
    assert FAST.render(source) == REFERENCE.render(source)


# Documents as the minutes write them (lists of items, continued after a hard break on lines
# indented to the text; headings; empty lines between blocks) with what they never write mixed
# in: other markers and indents, lazy and soft-broken lines, an item's text that starts a block,
# a list carried on after an empty line. The list shortcut must take exactly the lists that
# markdown-it's own rule renders the same, and leave the others to it.
MARKER = st.sampled_from(["- ", "- ", "- ", "1. ", "2. ", "10. ", "- [ ] ", "- [x] ",
                          "1. [ ] ", "1) ", "* ", "+ ", "-", "  - ", " - ", "-\t"])
TEXT_START = st.sampled_from(["", "", "", "", "- ", "-", "* ", "*", "+ ", "# ", "#", "| ",
                              ":", "1. ", "2) ", "12", " ", "\t", "\u3000", "[ ] ", "[x] ",
                              "**Anouk**: ", "--- ", "|-|", "> ", "\\"])
TEXT = st.tuples(TEXT_START, st.lists(INLINE_PIECE, max_size=3).map("".join)).map("".join)
BREAK = st.sampled_from(["\\\n", "\\\n", "\\\n", "\n", " \\\n", "\\\n\n"])
INDENT_CHANGE = st.sampled_from([0, 0, 0, 0, -1, 1, 2, -10])


@st.composite
def items(draw: st.DrawFn) -> str:
    marker = draw(MARKER)
    lines = draw(st.lists(TEXT, min_size=1, max_size=3))
    indent = max(0, len(marker) + draw(INDENT_CHANGE))
    joined = lines[0]
    for line in lines[1:]:
        joined += draw(BREAK) + " " * indent + line
    return marker + joined + "\n"


BLOCK = st.one_of(
    st.lists(items(), min_size=1, max_size=4).map("".join),
    st.sampled_from(["## Heading\n", "Paragraph text\n", "| a | b |\n| --- | --- |\n",
                     "   indented\n", "\n"]),
    st.lists(INLINE_PIECE, max_size=4).map(lambda pieces: "".join(pieces) + "\n"),
)


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(BLOCK, min_size=1, max_size=5), st.sampled_from(["\n", "\n", ""]))
def test_the_list_shortcut_renders_exactly_what_markdown_it_renders(blocks: list[str],
                                                                    between: str) -> None:
    document = between.join(blocks)
    assert FAST.render(document) == REFERENCE.render(document)


@pytest.mark.parametrize("document", [
    "- a\n- b\n\n## x\n",
    "- a\\\n  b\n- c\n",
    "1. a\n2. b\n10. c\\\n    d\n",
    "3. a\n4. b\n",
    "- [ ] **Bram**: a (due x)\n- [x] b\\\n  c\n\ntext\n",
    "- a\n\n- b\n",  # loose: markdown-it's
    "- a\n  b\n",  # a soft break: markdown-it's
    "- a\n\n  b\n",  # the item carried on: markdown-it's
])
def test_lists_of_the_minutes_shape_and_near_it(document: str) -> None:
    assert FAST.render(document) == REFERENCE.render(document)


def test_the_shortcut_renders_the_golden_meetings_as_markdown_it_does() -> None:
    for build in (incident_meeting, troika_meeting):
        body = strip_front_matter(render_markdown(*build()))
        assert FAST.render(body) == REFERENCE.render(body)
