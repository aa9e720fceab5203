"""The pages a device loads, rendered on the server in the interface's language (English or
Dutch), with no outside URL anywhere: every style, script and font comes from this server.

The view page is a frame; the data comes in as events (``feed.py``) and is written into the
frame with ``textContent`` by ``static/*.js``, never as HTML, so nothing typed can become
markup; the one exception, the phase's instructions, arrives as HTML rendered on the server
with raw HTML, links and images off (sessions/share/instructions.py). The contribute page
comes with the phase as it is now, its form ready, so a phone can write before its stream
arrives, and without JavaScript at all. What is rendered here is escaped."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from kring.sessions.i18n import _, active_language, ngettext
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import MAX_SCORE, MIN_SCORE
from kring.sessions.share.naming import Naming
from kring.sessions.share.queue import MAX_TEXT


def _page(title: str, body: str, script: str | None, *, extra_head: str = "",
          css: str = "kring.css", referrer: str = "no-referrer") -> str:
    scripts = f'<script src="/static/{script}" defer></script>' if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(active_language())}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="referrer" content="{referrer}">'
        f"<title>{escape(title)}</title>"
        f'<link rel="stylesheet" href="/static/{css}">{extra_head}{scripts}</head>'
        f"<body>{body}</body></html>\n")


def number(n: int) -> str:
    """``n`` as the interface's language writes it: 1,000 in English, 1.000 in Dutch (the
    script does the same with Intl.NumberFormat)."""
    text = f"{n:,}"
    return text.replace(",", ".") if active_language() == "nl" else text


def _plural(forms: Callable[[int], str]) -> dict[str, str]:
    """Both forms of a count for the script, which picks one by n === 1: English and Dutch
    both have nplurals=2, plural=(n != 1), so 1 and 2 give every form there is. A language
    with other rules would need its catalog's formula in the script. ``forms`` calls
    ngettext with the literal strings, so the catalog tool finds them."""
    return {"one": forms(1), "other": forms(2)}


def _votes(n: int) -> str:
    return ngettext("{n} vote", "{n} votes", n)


def _voters(n: int) -> str:
    return ngettext("{n} voter", "{n} voters", n)


def _votes_left(n: int) -> str:
    return ngettext("{n} vote left", "{n} votes left", n)


def _chars_left(n: int) -> str:
    return ngettext("{n} character left", "{n} characters left", n)


def _retrying(n: int) -> str:
    return ngettext("Connection lost: trying again in {n} second…",
                    "Connection lost: trying again in {n} seconds…", n)


def _labels() -> str:
    """What the scripts write besides the data, translated here: data attributes."""
    words = {
        "paused": _("paused"), "overtime": _("overtime"), "left": _("left"),
        "now": _("Speaking now"), "next": _("Next"), "ended": _("The meeting has ended."),
        "connecting": _("Connection lost: trying again…"),
        "revoked": _("This link no longer works: scan the code again, or ask for a new one."),
        "sent": _("Sent: it waits for the facilitator."),
        "not-sent": _("Not sent: {why}"), "closed": _("Nothing is collected in this phase."),
        "no-connection": _("there is no connection to the meeting. Try again in a moment."),
        "focus": _("Focus question"),
        "anonymous": _("Anonymous"), "choose-name": _("Choose your name"),
        "names-note": _names_note(),
    }
    counts = {"votes": _votes, "voters": _voters, "votes-left": _votes_left,
              "chars-left": _chars_left, "offline": _retrying}
    for key, forms in counts.items():
        words |= {f"{key}-{form}": text for form, text in _plural(forms).items()}
    return " ".join(f'data-{key}="{escape(text)}"' for key, text in words.items())


def _text(element: str, ident: str, text: str = "", *, cls: str = "") -> str:
    """An element the script fills in later, with ``text`` in it already where the server
    knows it; hidden while it has none, so no empty heading or paragraph is announced."""
    hidden = "" if text else " hidden"
    classes = f' class="{cls}"' if cls else ""
    return f'<{element} id="{ident}"{classes}{hidden}>{escape(text)}</{element}>'


def _phase_head(state: dict[str, Any]) -> str:
    ended = bool(state.get("ended"))
    return (
        # Before the header and kept in sight (kring.css): a phone scrolled down to the vote
        # still sees that it is not following. Said once a try, not counted down: a screen
        # reader would read out every second.
        '<p id="offline" class="offline" role="status" hidden></p>'
        "<header>"
        + _text("p", "phase", str(state.get("phase") or ""), cls="phase")
        + f'<h1 id="title">{escape(str(state.get("title") or "Kring"))}</h1>'
        '<p id="timer" class="timer" aria-live="off"></p>'
        + _text("p", "ended", _("The meeting has ended.") if ended else "", cls="ended")
        + "</header>")


def _noscript(sentence: str) -> str:
    return f'<noscript><p class="noscript">{escape(sentence)}</p></noscript>'


def view_page() -> str:
    votes = (
        '<section id="vote" class="vote" aria-labelledby="vote-title" hidden>'
        f'<h2 id="vote-title">{escape(_("Votes"))}</h2>'
        '<p id="voters" class="voters" hidden></p>'
        f'<p id="counts-hidden" class="note" hidden>{escape(_counts_hidden())}</p>'
        '<ol id="results"></ol></section>')
    body = (
        f'<main class="view" {_labels()}>{_phase_head({})}'
        + _noscript(_("This page needs JavaScript to follow the meeting."))
        + _text("p", "rule", cls="rule")
        + '<p class="turns"><span id="now"></span> <span id="next"></span></p>'
        + _text("p", "round", cls="round")
        + '<section class="case">' + _text("h2", "case") + _text("p", "focus") + "</section>"
        + votes
        + _minutes_offered()
        + '<section id="instructions" class="instructions"></section></main>')
    return _page(_("Kring: the meeting"), body, "kring.js")


def _minutes_offered() -> str:
    """The ended meeting's minutes to take home, shown once the server says they are
    offered (``state.minutes``): the links lead nowhere before (404)."""
    told = escape(_("The meeting has ended. Take its minutes with you, as the room may "
                    "read them:"))
    handout = escape(_("One page to keep (PDF)"))
    whole = escape(_("The whole minutes (Markdown)"))
    return ('<section id="minutes" class="minutes" aria-labelledby="minutes-title" hidden>'
            f'<h2 id="minutes-title">{escape(_("The minutes"))}</h2><p>{told}</p><ul>'
            f'<li><a href="/handout.pdf" download>{handout}</a></li>'
            f'<li><a href="/minutes.md" download>{whole}</a></li></ul></section>')


def _counts_hidden() -> str:
    return _("The counts stay hidden until the vote closes.")


def _who(naming: Naming, names: list[str]) -> str:
    """The name field as ``naming`` has it when the page loads (the script follows a change
    later): none for anonymous only; for named only, required, its empty first choice a
    prompt the browser will not send, and a plain word that nobody checks the names."""
    first = escape(_("Choose your name") if naming is Naming.NAMED else _("Anonymous"))
    required = " required" if naming is Naming.NAMED else ""
    hidden = " hidden" if naming is Naming.ANONYMOUS else ""
    # The value is the name's place on the roster: what handlers.send and sign() expect.
    options = "".join(f'<option value="{place}">{escape(name)}</option>'
                      for place, name in enumerate(names))
    field = "" if naming is Naming.ANONYMOUS else (
        f'<select id="who" name="who"{required} aria-describedby="names-note">'
        f'<option value="">{first}</option>{options}</select>')
    note = _text("span", "names-note", _names_note() if naming is Naming.NAMED else "",
                 cls="note")
    return (f'<p id="who-box" class="who"{hidden}><label for="who">'
            f'{escape(_("Your name"))}</label>{field}{note}</p>')


def _names_note() -> str:
    return _("Names are chosen by each person on their phone, not checked.")


def _score(evaluating: bool, chosen: int | None) -> str:
    """The evaluation's score: five radio buttons in a group the legend names, drawn as one
    row of large buttons (kring.css). Being native radios, a keyboard enters the group with
    Tab and chooses with the arrows, and a screen reader says "3, 3 of 5" under the legend.
    Disabled as well as hidden outside an evaluation: a score chosen in the debrief and
    left behind is not sent with a question later."""
    off = "" if evaluating else " hidden disabled"
    required = " required" if evaluating else ""
    choices = "".join(
        f'<span class="choice"><input type="radio" id="score-{n}" name="score" value="{n}"'
        f'{required}{" checked" if n == chosen else ""}>'
        f'<label for="score-{n}">{n}</label></span>'
        for n in range(MIN_SCORE, MAX_SCORE + 1))
    scale = _("{low} is poor, {high} is very good.").format(low=MIN_SCORE, high=MAX_SCORE)
    return (f'<fieldset id="score-box" class="score" aria-describedby="score-note"{off}>'
            f'<legend>{escape(_("Your score for this meeting"))}</legend>'
            f'<p id="score-note" class="note">{escape(scale)}</p>'
            f'<div class="scores">{choices}</div></fieldset>')


def contribute_page(item_id: str, naming: Naming = Naming.ANY,
                    state: dict[str, Any] | None = None, *, sent: bool = False,
                    problem: str | None = None, text: str = "",
                    score: int | None = None) -> str:
    """The contribute page as the phase is now (``state``: ``page_state``): the form when
    the phase collects, the roster's names in it, else the sentence that nothing is; ``sent``
    after a plain form post went through (the script follows every change after that);
    ``problem`` why one did not, with the ``text`` it sent back in the field to send again
    and the ``score`` still chosen. In an evaluation the form asks for a score first, and
    its line may stay empty."""
    state = state or {}
    collect = state.get("collect")
    open_now = bool(collect) and not state.get("ended")
    evaluating = (open_now and collect is not None
                  and collect.get("kind") == Capture.EVALUATION)
    hint = str(collect.get("hint") or "") if open_now and collect else ""
    names = [str(name) for name in state.get("names") or []]
    form_hidden = "" if open_now else " hidden"
    # Without a state (never from the server) the script decides, as soon as it has one.
    closed = _text("p", "closed", _("Nothing is collected in this phase.")
                   if state and not open_now else "", cls="closed")
    left = max(0, MAX_TEXT - len(text))
    sent_text = (_("Not sent: {why}").format(why=problem) if problem
                 else _("Sent: it waits for the facilitator.") if sent else "")
    form = (
        f'<form id="send" method="post" action="/contribute"{form_hidden}>'
        f"{_score(evaluating, score)}"
        f'<label for="text" id="hint">{escape(hint)}</label>'
        f'<textarea id="text" name="text" maxlength="{MAX_TEXT}" rows="4"'
        f'{"" if evaluating else " required"} '
        f'aria-describedby="count">{escape(text)}</textarea>'
        # Seen as it changes; said by a screen reader when the field is reached, and in
        # #count-said once the typing pauses, not at every key.
        f'<p id="count" class="chars" data-max="{MAX_TEXT}">'
        f"{escape(_chars_left(left).format(n=number(left)))}</p>"
        '<p id="count-said" class="visually-hidden" aria-live="polite"></p>'
        f"{_who(naming, names)}"
        f'<input type="hidden" id="item" name="item" value="{escape(item_id)}">'
        f'<button type="submit">{escape(_("Send"))}</button></form>')
    how = _("Tap an option to give it a vote; tap it again to take the vote back.")
    votes = (
        '<section id="vote" class="vote" aria-labelledby="vote-title" hidden>'
        f'<h2 id="vote-title">{escape(_("Vote"))}</h2>'
        f'<p class="note">{escape(how)}</p>'
        f'<p id="counts-hidden" class="note" hidden>{escape(_counts_hidden())}</p>'
        '<p id="votes-left"></p><ol id="options"></ol>'
        '<p id="vote-status" class="status" role="status"></p></section>')
    body = (
        f'<main class="contribute" {_labels()}>{_phase_head(state)}'
        + _noscript(_("This page does not update itself without JavaScript: reload it to "
                      "see the current phase. Sending still works."))
        + _text("p", "rule", str(state.get("rule") or ""), cls="rule")
        + form + closed
        + f'<p id="status" class="status" role="status">{escape(sent_text)}</p>'
        + votes + "</main>")
    # "same-origin", not "no-referrer": under no-referrer a browser sends a plain form post
    # with "Origin: null" (the Fetch standard), which the server must refuse, and a phone
    # without JavaScript could never send. This page's address holds no secret, and no
    # request of it goes to another site, so nothing leaves with the referrer anyway.
    return _page(_("Kring: contribute"), body, "kring.js", referrer="same-origin")


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
