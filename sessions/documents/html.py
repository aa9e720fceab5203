"""The minutes as a standalone HTML page, rendered from their Markdown with markdown-it-py.

Raw HTML is off, so whatever a person typed (``<script>`` included) shows as text. The parser
knows only what the minutes use (headings, lists, tables, emphasis, escapes, hard line breaks):
a construct the escaping in ``sessions/documents/minutes.py`` might ever miss then still
shows as text rather than as markup, and the page renders faster. Task-list items
(``- [ ] ...``) become disabled checkboxes. The page has a small embedded stylesheet for
screen and print and loads nothing from elsewhere, so it can be mailed or opened offline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

FRONT_MATTER_FENCE = "---\n"
# Everything the minutes never write. Kept off: a missed escape cannot turn into a link, an
# image, code or a quote, and each rule left out is a check markdown-it skips on every line.
_UNUSED_RULES = ["code", "fence", "blockquote", "hr", "reference", "html_block", "lheading",
                 "backticks", "link", "image", "autolink", "html_inline", "entity"]
_TASK_MARKS = {"[ ] ": False, "[x] ": True, "[X] ": True}

# On screen a column of comfortable width. In print (@page, @media print) the page of
# `kring export --format pdf` (sessions/documents/pdf/document.py and minutes.py): A4, 18 mm
# margins, DejaVu Sans (else Verdana, nearly its widths), body 10.5pt, headings bold at
# 17/13/11pt, the PDF's gaps in mm (as padding where it adds them up, which margins would
# collapse), bullets and numbers at the margin, the time table in 9.5pt with a rule between
# rows, its header again on each page. Headings stay with what follows, an entry or a row is
# never split. A disabled checkbox prints pale grey, so an action point's box is drawn in
# black instead, its tick a character. No web font: the page loads nothing.
STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1f2328; background: #fff; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
  overflow-wrap: anywhere; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.12rem; margin: 1.6rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; color: #424a53; }
p, ul, ol { margin: .4rem 0 .8rem; }
li { margin: .2rem 0; }
em { color: #57606a; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem;
  font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; }
ul.tasks { list-style: none; padding-left: .4rem; }
li.task input { margin: 0 .5rem 0 0; vertical-align: middle; }
@page { size: A4; margin: 18mm; }
@media print {
  html, body { background: none; }
  body { max-width: none; margin: 0; padding: 0 1mm; color: #000; orphans: 3; widows: 3;
    font: 10.5pt/1.35 "DejaVu Sans", Verdana, sans-serif; }
  h1, h2, h3, h4 { line-height: 1.35; margin-bottom: 0; padding: 0 0 1mm; border: 0;
    color: #000; break-after: avoid; page-break-after: avoid; }
  h1 { font-size: 17pt; margin-top: 6mm; }
  h2 { font-size: 13pt; margin-top: 4.5mm; }
  h3 { font-size: 11pt; margin-top: 3.9mm; }
  h4 { font-size: 10.5pt; margin-top: 3.7mm; }
  p { margin: 1mm 0 0; }
  ul, ol { margin: 0; padding: 0 0 1.5mm; list-style-position: inside; }
  ul { list-style-type: "\\2022\\20"; }
  li ul, li ol { padding: 0; }
  li { margin: .6mm 0 0; padding-left: .91em; text-indent: -.91em; }
  ol > li { padding-left: 1.27em; text-indent: -1.27em; }
  li, tr { break-inside: avoid; page-break-inside: avoid; }
  em { color: #000; }
  a { color: inherit; text-decoration: none; }
  table { width: calc(100% + 2mm); margin: 2mm -1mm; font-size: 9.5pt; line-height: 1.4; }
  thead { display: table-header-group; }
  th, td { border: 0; padding: 0 1mm; vertical-align: middle; background: none; }
  tbody td { border-top: .5pt solid #000; }
  tr > :first-child { width: 40%; }
  ul.tasks { list-style: none; padding-left: 0; }
  li.task { padding-left: 1.21em; text-indent: -1.21em; }
  li.task input { appearance: none; -webkit-appearance: none; display: inline-block;
    position: relative; box-sizing: border-box; width: .8em; height: .8em;
    margin: 0 .09em 0 0; border: 1px solid #000; vertical-align: -.1em; }
  li.task input:checked::before { content: "\\2713"; position: absolute; left: .05em;
    top: -.3em; font-size: .95em; line-height: 1; text-indent: 0; color: #000; }
}
""".strip()


def strip_front_matter(markdown_text: str) -> str:
    """The document without its YAML front matter, which is data for tools, not for readers."""
    if markdown_text.startswith(FRONT_MATTER_FENCE):
        end = markdown_text.find("\n" + FRONT_MATTER_FENCE, len(FRONT_MATTER_FENCE) - 1)
        if end != -1:
            return markdown_text[end + 1 + len(FRONT_MATTER_FENCE):]
    return markdown_text


def _task_lists(state: StateCore) -> None:
    """``[ ] `` or ``[x] `` opening a list item's paragraph becomes a checkbox. Checked on the
    raw source, where a bracket a person typed is always escaped (``\\[``), so only the
    minutes' own action points match."""
    tokens = state.tokens
    lists: list[Token] = []  # the lists the walk is inside, innermost last
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif (token.type == "inline" and index >= 2 and lists
              and tokens[index - 1].type == "paragraph_open"
              and tokens[index - 2].type == "list_item_open"):
            _task_item(token, tokens[index - 2], lists[-1])


def _task_item(inline: Token, item: Token, enclosing: Token) -> None:
    mark = inline.content[:4]
    children = inline.children
    if (mark not in _TASK_MARKS or not children or children[0].type != "text"
            or not children[0].content.startswith(mark)):
        return
    children[0].content = children[0].content[len(mark):]
    box = Token("task_checkbox", "input", 0)
    box.meta = {"checked": _TASK_MARKS[mark]}
    children.insert(0, box)
    item.attrJoin("class", "task")
    enclosing.attrSet("class", "tasks")


def _checkbox(checked: bool) -> str:
    return f'<input type="checkbox" disabled{" checked" if checked else ""}> '


def _render_checkbox(renderer: Any, tokens: Sequence[Token], index: int, options: Any,
                     env: Any) -> str:
    return _checkbox(bool(tokens[index].meta.get("checked")))


# The inline parser is most of the time a long meeting takes, and nearly every entry is plain
# text with backslash escapes and hard line breaks, maybe after the minutes' "**Name**: " or an
# action point's "[ ] ". Such content is turned into its HTML here directly: one token holding
# what markdown-it renders for it (its text escaped, <strong> around the name, <br /> at the
# breaks), rather than a token per piece that the renderer then visits one by one. Anything else
# goes to the parser. The name must begin and end with a letter or digit, so that the ``**``
# around it can only open and close (CommonMark's flanking rules). tests/test_minutes_html.py
# checks on arbitrary text that the page is the same with and without this shortcut.
_AUTHOR = re.compile(r"\*\*([^\W_](?:[^\\\n*_]*[^\W_])?)\*\*(?=:)")
_SPECIAL = re.compile(r"\\(\n[ \t]*|[\s\S]|\Z)|[*_\n]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_HTML_TOKEN = "minutes_html"  # a token whose content is HTML ready to be written out


def _plain_html(content: str, line_break: str) -> str | None:
    """The HTML of ``content`` when it has one of the common shapes, else None."""
    if not ("\\" in content or "*" in content or "_" in content or "\n" in content):
        return escapeHtml(content)
    out: list[str] = []
    start = 0
    author = _AUTHOR.match(content)
    if author:
        out.append(f"<strong>{escapeHtml(author.group(1))}</strong>")
        start = author.end()
    text: list[str] = []
    for special in _SPECIAL.finditer(content, start):
        text.append(content[start:special.start()])
        start = special.end()
        escaped = special.group(1)
        if escaped is None:
            return None  # emphasis or a soft line break: the parser's work
        if escaped.startswith("\n"):
            out.append(escapeHtml("".join(text)))
            out.append(line_break)
            text = []
        elif escaped in _ESCAPABLE:
            text.append(escaped)
        elif "\ud800" <= escaped <= "\udfff":
            return None  # half of a surrogate pair: the parser knows
        else:
            text.append("\\" + escaped)  # not an escape: the backslash stays
    text.append(content[start:])
    out.append(escapeHtml("".join(text)))
    return "".join(out)


def _plain_children(content: str, line_break: str) -> list[Token] | None:
    """The inline tokens of ``content`` when it has one of the common shapes, else None. An
    action point's mark stays a text token of its own, for ``_task_lists`` to find."""
    mark = content[:4]
    if mark in _TASK_MARKS:
        rest = _plain_html(content[4:], line_break)
        if rest is None:
            return None
        return [Token("text", "", 0, content=mark), Token(_HTML_TOKEN, "", 0, content=rest)]
    shown = _plain_html(content, line_break)
    return None if shown is None else [Token(_HTML_TOKEN, "", 0, content=shown)]


def _fast_inline(state: StateCore) -> None:
    """markdown-it's core "inline" rule, taking the common shapes above without the parser."""
    md = state.md
    line_break = "<br />\n" if md.options.xhtmlOut else "<br>\n"
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = _plain_children(token.content, line_break)
        if children is None:
            token.children = token.children or []
            md.inline.parse(token.content, md, state.env, token.children)
        else:
            token.children = children


def _render_html_token(renderer: Any, tokens: Sequence[Token], index: int, options: Any,
                       env: Any) -> str:
    return tokens[index].content


# The block parser is the other half of the time: each list item is parsed as a nested
# document (list, paragraph, then its inline content), several tokens each. Nearly all of the
# minutes is lists of one shape: at the margin, "- " or "N. " and the item's text, continued
# on lines indented to that text after a hard break, the list ended by an empty line. Such a
# list is written out here as HTML in one token, exactly as markdown-it renders it (checked
# on arbitrary documents by tests/test_minutes_html.py); any other shape, or an item whose
# text is not one of the common shapes above, goes to markdown-it's own list rule.
_ITEM = re.compile(r"(?:-|([0-9]{1,9})\.) (?=\S)")  # what the minutes start an item with
# What could start another block, or end the text's paragraph, at the start of a line of an
# item's text: headings, list items, table rows, indented text. The minutes escape them all.
_NOT_TEXT = re.compile(r"[#|:+-]|\*(?:[ \t]|$)|[0-9]{1,9}[.)](?:[ \t]|$)|\s")
_ANY_ITEM = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")


def _fast_list(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's list rule, for a list of the shape the minutes write, at the margin."""
    if silent or state.blkIndent or state.listIndent != -1 or state.parentType != "root":
        return False
    src, begins, ends = state.src, state.bMarks, state.eMarks
    first = _ITEM.match(src, begins[start_line], ends[start_line])
    if first is None:
        return False
    ordered = first.group(1)
    line_break = "<br />\n" if state.md.options.xhtmlOut else "<br>\n"
    items: list[tuple[bool | None, str]] = []  # task mark (checked?) or None, and its HTML
    line = start_line
    while line < end_line:
        begin, end = begins[line], ends[line]
        item = _ITEM.match(src, begin, end)
        if item is None or (item.group(1) is None) != (ordered is None):
            break  # not an item, or one of another list: that is markdown-it's to judge
        indent = item.end() - begin
        lines = [src[item.end():end]]
        line += 1
        while line < end_line and src.startswith(" " * indent, begins[line]) \
                and begins[line] + indent < ends[line]:
            lines.append(src[begins[line] + indent:ends[line]])
            line += 1
        if any(_NOT_TEXT.match(text) or text != text.rstrip() for text in lines):
            return False
        content = "\n".join(lines)
        mark = content[:4]
        checked = _TASK_MARKS.get(mark)
        shown = _plain_html(content[4:] if checked is not None else content, line_break)
        if shown is None:
            return False
        items.append((checked, shown))
    # It must end at an empty line (or the end), and what follows must not carry it on.
    if line < end_line and not state.isEmpty(line):
        return False
    after = state.skipEmptyLines(line)
    if after < end_line and (state.sCount[after] or _ANY_ITEM.match(src, begins[after],
                                                                   ends[after])):
        return False
    tag = "ol" if ordered is not None else "ul"
    attributes = f' start="{int(ordered)}"' if ordered is not None and int(ordered) != 1 else ""
    tasks = any(checked is not None for checked, _ in items)
    if tasks:
        attributes += ' class="tasks"'
    out = [f"<{tag}{attributes}>\n"]
    for checked, shown in items:
        if checked is None:
            out.append(f"<li>{shown}</li>\n")
        else:
            out.append(f'<li class="task">{_checkbox(checked)}{shown}</li>\n')
    out.append(f"</{tag}>\n")
    token = state.push(_HTML_TOKEN, "", 0)
    token.block = True
    token.content = "".join(out)
    token.map = [start_line, line]
    state.line = line
    return True


def build_parser(*, shortcuts: bool = True) -> MarkdownIt:
    """The parser the HTML pages are rendered with; ``shortcuts=False`` gives the same
    parser without the shortcuts for common shapes, for tests to compare against."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable(_UNUSED_RULES)
    if shortcuts:
        md.block.ruler.before("list", "minutes_list", _fast_list)
        md.core.ruler.at("inline", _fast_inline)
    md.core.ruler.push("task_lists", _task_lists)
    md.add_render_rule("task_checkbox", _render_checkbox)
    md.add_render_rule(_HTML_TOKEN, _render_html_token)
    return md


@cache
def _parser() -> MarkdownIt:
    # Built once and reused: a parser keeps no state between documents, and building one
    # costs about as much as rendering a short page.
    return build_parser()


def render_body(markdown_text: str) -> str:
    """The HTML of the document itself, front matter left out."""
    return str(_parser().render(strip_front_matter(markdown_text)))  # typed Any upstream


def render_html(markdown_text: str, title: str, *, language: str = "en") -> str:
    """A standalone HTML page (UTF-8, no external assets) showing ``markdown_text``."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{render_body(markdown_text)}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
