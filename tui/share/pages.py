"""The pages a device loads, rendered on the server in the interface's language (English or
Dutch), with no outside URL anywhere: every style, script and font comes from this server.

The pages are a frame; the data comes in as events (``feed.py``) and is written into the
frame with ``textContent`` by ``static/*.js``, never as HTML, so nothing typed can become
markup; the one exception, the phase's instructions, arrives as HTML rendered on the server
with raw HTML, links and images off (sessions/share/instructions.py). What is rendered here
is escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from kring.sessions.i18n import _, active_language
from kring.sessions.share.naming import Naming


def _page(title: str, body: str, script: str | None, *, extra_head: str = "",
          css: str = "kring.css") -> str:
    scripts = f'<script src="/static/{script}" defer></script>' if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(active_language())}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="/static/{css}">{extra_head}{scripts}</head>'
        f"<body>{body}</body></html>\n")


def _labels() -> str:
    """What the scripts write besides the data, translated here: data attributes."""
    words = {
        "paused": _("paused"), "overtime": _("overtime"), "left": _("left"),
        "now": _("Speaking now"), "next": _("Next"), "ended": _("The meeting has ended."),
        "offline": _("Connection lost: trying again…"),
        "votes": _("votes"), "left-votes": _("votes left: {n}"),
        "sent": _("Sent: it waits for the facilitator."),
        "not-sent": _("Not sent: {why}"), "closed": _("Nothing is collected in this phase."),
        "focus": _("Focus question"),
        "anonymous": _("Anonymous"), "choose-name": _("Choose your name"),
    }
    return " ".join(f'data-{key}="{escape(text)}"' for key, text in words.items())


def _phase_head() -> str:
    return (
        '<header><p id="phase" class="phase"></p><h1 id="title"></h1>'
        '<p id="timer" class="timer" aria-live="off"></p>'
        '<p id="offline" class="offline" hidden></p>'
        '<p id="ended" class="ended" hidden></p></header>')


def view_page() -> str:
    body = (
        f'<main class="view" {_labels()}>{_phase_head()}'
        '<p id="rule" class="rule"></p>'
        '<p class="turns"><span id="now"></span> <span id="next"></span></p>'
        '<p id="round" class="round"></p>'
        '<section class="case"><h2 id="case"></h2><p id="focus"></p></section>'
        '<section id="vote" class="vote" hidden><h2>' + escape(_("Votes")) + "</h2>"
        '<ol id="results"></ol></section>'
        '<section id="instructions" class="instructions"></section></main>')
    return _page(_("Kring: the meeting"), body, "kring.js")


def _who(naming: Naming) -> str:
    """The name field as ``naming`` has it when the page loads (the script follows a change
    later): none for anonymous only; for named only, required, its empty first choice a
    prompt the browser will not send."""
    first = escape(_("Choose your name") if naming is Naming.NAMED else _("Anonymous"))
    required = " required" if naming is Naming.NAMED else ""
    hidden = " hidden" if naming is Naming.ANONYMOUS else ""
    field = "" if naming is Naming.ANONYMOUS else (
        f'<select id="who" name="who"{required}><option value="">{first}</option></select>')
    return (f'<p id="who-box" class="who"{hidden}><label for="who">'
            f'{escape(_("Your name"))}</label>{field}</p>')


def contribute_page(item_id: str, naming: Naming = Naming.ANY,
                    state: dict[str, Any] | None = None, *, sent: bool = False) -> str:
    body = (
        f'<main class="contribute" {_labels()}>{_phase_head()}'
        '<p id="rule" class="rule"></p>'
        '<form id="send" method="post" action="/contribute" hidden>'
        '<label for="text" id="hint"></label>'
        '<textarea id="text" name="text" maxlength="1000" rows="4" required></textarea>'
        f"{_who(naming)}"
        f'<input type="hidden" id="item" name="item" value="{escape(item_id)}">'
        f'<button type="submit">{escape(_("Send"))}</button></form>'
        '<p id="closed" class="closed" hidden></p>'
        '<p id="status" class="status" role="status"></p>'
        '<section id="vote" class="vote" hidden><h2>' + escape(_("Vote")) + "</h2>"
        '<p id="votes-left"></p><ol id="options"></ol></section></main>')
    return _page(_("Kring: contribute"), body, "kring.js")


def scribe_page(websocket_url: str) -> str:
    """The note-taker's terminal: textual-serve's client, with its font served from here
    (its own page loads one from a public CDN)."""
    ended = escape(_("The scribe session ended. Reload to start again."))
    body = (f'<div id="terminal" class="textual-terminal" '
            f'data-session-websocket-url="{escape(websocket_url)}" data-font-size="16"></div>'
            f'<p class="closed-note">{ended}</p>')
    head = '<link rel="stylesheet" href="/static/xterm.css">'
    return _page(_("Kring: scribe"), body, "textual.js", extra_head=head, css="scribe.css")


def opening_page(target: str) -> str:
    """Sent in place of a redirect after the token is exchanged for a cookie: the next load
    starts from this page, so a SameSite=Strict cookie goes with it even when the link was
    opened from another app."""
    head = f'<meta http-equiv="refresh" content="0;url={escape(target)}">'
    body = f'<p><a href="{escape(target)}">{escape(_("Open"))}</a></p>'
    return _page("Kring", body, None, extra_head=head)
