"""The minutes as a standalone HTML page, rendered from their Markdown with markdown-it-py.

Raw HTML is off, so whatever a person typed (``<script>`` included) shows as text. The parser
knows only what the minutes use (headings, lists, tables, emphasis, escapes, hard line breaks):
a construct the escaping in ``sessions/minutes.py`` might ever miss then still shows as text
rather than as markup, and the page renders faster. Task-list items (``- [ ] ...``) become
disabled checkboxes. The page has a small embedded stylesheet for screen and print and loads
nothing from elsewhere, so it can be mailed or opened offline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

FRONT_MATTER_FENCE = "---\n"
# Everything the minutes never write. Kept off: a missed escape cannot turn into a link, an
# image, code or a quote, and each rule left out is a check markdown-it skips on every line.
_UNUSED_RULES = ["code", "fence", "blockquote", "hr", "reference", "html_block", "lheading",
                 "backticks", "link", "image", "autolink", "html_inline", "entity"]
_TASK_MARKS = {"[ ] ": False, "[x] ": True, "[X] ": True}

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
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; color: #000; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  li, tr { break-inside: avoid; page-break-inside: avoid; }
  em, h4 { color: #000; }
  th { background: none; }
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


def _render_checkbox(renderer: Any, tokens: Sequence[Token], index: int, options: Any,
                     env: Any) -> str:
    checked = " checked" if tokens[index].meta.get("checked") else ""
    return f'<input type="checkbox" disabled{checked}> '


# The inline parser is most of the time a long meeting takes, and nearly every entry is plain
# text with backslash escapes and hard line breaks, maybe after the minutes' "**Name**: ". Such
# content is turned into tokens here directly (the same tokens markdown-it makes: one text, or
# texts between hard breaks, after a strong name); anything else goes to the parser. The name
# must begin and end with a letter or digit, so that the ``**`` around it can only open and
# close (CommonMark's flanking rules). tests/test_minutes_html.py checks on arbitrary text that
# the page is the same with and without this shortcut.
_AUTHOR = re.compile(r"\*\*([^\W_](?:[^\\\n*_]*[^\W_])?)\*\*(?=:)")
_SPECIAL = re.compile(r"\\(\n[ \t]*|[\s\S]|\Z)|[*_\n]")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _plain_children(content: str) -> list[Token] | None:
    """The inline tokens of ``content`` when it has one of the common shapes, else None."""
    if not ("\\" in content or "*" in content or "_" in content or "\n" in content):
        return [Token("text", "", 0, content=content)] if content else []
    out: list[Token] = []
    start = 0
    author = _AUTHOR.match(content)
    if author:
        out += [Token("strong_open", "strong", 1, markup="**"),
                Token("text", "", 0, content=author.group(1), level=1),
                Token("strong_close", "strong", -1, markup="**")]
        start = author.end()
    text: list[str] = []
    for special in _SPECIAL.finditer(content, start):
        text.append(content[start:special.start()])
        start = special.end()
        escaped = special.group(1)
        if escaped is None:
            return None  # emphasis or a soft line break: the parser's work
        if escaped.startswith("\n"):
            out.append(Token("text", "", 0, content="".join(text)))
            out.append(Token("hardbreak", "br", 0))
            text = []
        elif escaped in _ESCAPABLE:
            text.append(escaped)
        elif "\ud800" <= escaped <= "\udfff":
            return None  # half of a surrogate pair: the parser knows
        else:
            text.append("\\" + escaped)  # not an escape: the backslash stays
    text.append(content[start:])
    out.append(Token("text", "", 0, content="".join(text)))
    return [token for token in out if token.type != "text" or token.content]


def _fast_inline(state: StateCore) -> None:
    """markdown-it's core "inline" rule, taking the common shapes above without the parser."""
    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = _plain_children(token.content)
        if children is None:
            token.children = token.children or []
            md.inline.parse(token.content, md, state.env, token.children)
        else:
            token.children = children


def build_parser(*, fast_inline: bool = True) -> MarkdownIt:
    """The parser the HTML pages are rendered with; ``fast_inline=False`` gives the same
    parser without the shortcut, for tests to compare against."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable(_UNUSED_RULES)
    if fast_inline:
        md.core.ruler.at("inline", _fast_inline)
    md.core.ruler.push("task_lists", _task_lists)
    md.add_render_rule("task_checkbox", _render_checkbox)
    return md


@cache
def _parser() -> MarkdownIt:
    # Built once and reused: a parser keeps no state between documents, and building one
    # costs about as much as rendering a short page.
    return build_parser()


def render_body(markdown_text: str) -> str:
    """The HTML of the document itself, front matter left out."""
    return _parser().render(strip_front_matter(markdown_text))


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
