"""A phase's instructions as the view page shows them: the protocol's Markdown rendered on the
server (markdown-it-py) into HTML that can carry nothing executable and points nowhere.

Raw HTML is off, so ``<script>`` or an ``onerror=`` shows as text. A link shows as its words
and leads nowhere, an image as its description, and an address typed as text as its host
name alone: a page on the room's network names no outside URL (a phone would follow one off
the school's network, and the security tests check pages for them). What is left is
paragraphs, emphasis, lists, headings, quotes and code, each escaped by markdown-it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

# Any scheme's address (http, https, ftp, ...), "www." ones and protocol-relative ones: what a
# browser or a reader could take for a place to go.
_ADDRESS = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*:/{1,3}|www\.|//)([^\s/?#<>\"'`]*)[^\s<>\"'`]*")
_NOWHERE = frozenset({"link_open", "link_close"})


def _host(match: re.Match[str]) -> str:
    """An address as its host alone ("example.org"), "www." kept when it was typed."""
    host = match.group(1).rsplit("@", 1)[-1]  # user:password@ is nobody's business
    return ("www." + host if match.group(0).lower().startswith("www.") else host) or "…"


def without_addresses(text: str) -> str:
    return _ADDRESS.sub(_host, text)


def _defuse(state: StateCore) -> None:
    """Runs after inline parsing: links lose their target, images become their description,
    addresses in any text their host."""
    for block in state.tokens:
        if block.type in {"code_block", "fence"}:
            block.content = without_addresses(block.content)
        if not block.children:
            continue
        kept: list[Token] = []
        for token in block.children:
            if token.type in _NOWHERE:
                continue
            if token.type == "image":
                token = Token("text", "", 0, content=token.content)
            elif token.type in {"text", "code_inline"}:
                token.content = without_addresses(token.content)
            kept.append(token)
        block.children = kept


def _nothing(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
             env: EnvType) -> str:
    return ""


@cache
def _parser() -> MarkdownIt:
    # Built once: a parser keeps no state between documents. Reference definitions are off so
    # "[x]: http://…" does not vanish into a link target nobody sees but a crawler would.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["html_block", "html_inline", "reference"])
    md.core.ruler.push("kring_defuse", _defuse)
    for kind in ("link_open", "link_close"):
        md.add_render_rule(kind, _nothing)
    return md


@lru_cache(maxsize=64)  # a page's state is built every second from the same few phases
def instructions_html(markdown_text: str) -> str:
    """``markdown_text`` as safe HTML for the view page (empty for no instructions)."""
    if not markdown_text.strip():
        return ""
    env: dict[str, Any] = {}
    return str(_parser().render(markdown_text, env))  # markdown-it types it as Any
