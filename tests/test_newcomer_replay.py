"""Issue 24's demonstration: a facilitator's first meeting, replayed in a real terminal (the
installed `kring` in tmux) in English and in Dutch, by keys only.

F1 at each screen, and on the meeting screen every key the help names is pressed and its
effect checked. The keys come from what F1 shows (read off the screen, scrolling the help),
never from a list kept here: a key the help names is pressed even when this test has no
specific check for it, and then it must at least visibly change the screen. Keys that leave
or end the meeting come last, or with their question answered "back"."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kring.sessions.i18n import translator
from kring.sessions.meeting.live import meeting_steps, snapshot_protocol
from kring.sessions.model.protocol import Capture
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.queue import Contribution, ShareLog
from kring.sessions.store.facade import Store
from tests.support.terminal import Terminal, close, needs_tmux, running, start_kring

pytestmark = [pytest.mark.e2e, needs_tmux]

PEOPLE = ["Zoë", "D'Angelo", "Çağrı", "Anne-Marie"]
PROTOCOL = {"en": "Consultancy protocol", "nl": "Consultancyprotocol"}
COMMUNITY = "CoP Zoë's school"
# What the note-taker types (a prefix of the language: see PREFIXES in capture.py).
LINES = {
    "en": ["q: What did Çağrı try first?", "action: Anne-Marie calls D'Angelo @Çağrı +7d",
           "What Zoë noticed in class"],
    "nl": ["vraag: Wat probeerde Çağrı eerst?", "actie: Anne-Marie belt D'Angelo @Çağrı +7d",
           "Wat Zoë opviel in de klas"],
}
# The same in both languages: not English left in the Dutch interface.
NEUTRAL = {"Help", "+1 min", "−1 min"}
TIMEOUT = 10.0


def tr(language: str, message: str) -> str:
    return translator(language).gettext(message)


# -- reading the screen ------------------------------------------------------------------------

def words(text: str, n: int = 3) -> str:
    """The first ``n`` words of ``text`` (up to a placeholder): what a toast shows on one
    line."""
    return " ".join(text.split("{")[0].split()[:n])


def normalized(screen: str) -> str:
    """The screen without what changes by itself: digits (the clock) and the big clock's
    strokes."""
    return re.sub(r"[0-9╭╮╰╯╶╴╵╷─│┤├┴┬┐┘└┌]", "", screen)


def esc(terminal: Terminal) -> None:
    """Escape, and a moment: a key right after it would read as alt+key."""
    terminal.keys("Escape")
    time.sleep(0.3)


def styled(terminal: Terminal) -> str:
    """The screen with its colours (tmux capture-pane -e)."""
    return terminal.tmux("capture-pane", "-p", "-e", "-t", terminal.name)


def wait(terminal: Terminal, check: Callable[[str], bool], what: str,
         timeout: float = TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while True:
        screen = terminal.screen()
        if check(screen):
            return screen
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: never seen; the screen was:\n{screen}")
        time.sleep(0.1)


def shows(terminal: Terminal, text: str, timeout: float = TIMEOUT) -> str:
    return wait(terminal, lambda s: text in s, f"{text!r} shown", timeout)


def gone(terminal: Terminal, text: str, timeout: float = TIMEOUT) -> str:
    return wait(terminal, lambda s: text not in s, f"{text!r} gone", timeout)


def changes(terminal: Terminal, before: str, what: str, timeout: float = 3.0) -> str:
    """Waits until the screen differs from ``before`` in more than the clock."""
    return wait(terminal, lambda s: normalized(s) != normalized(before), what, timeout)


def phase_number(language: str, screen: str) -> tuple[int, int]:
    label = re.escape(tr(language, "Phase {n} of {total}"))
    pattern = label.replace(r"\{n\}", r"(\d+)").replace(r"\{total\}", r"(\d+)")
    found = re.search(pattern, screen)
    assert found, f"no phase number on the screen:\n{screen}"
    return int(found[1]), int(found[2])


def planned_total(screen: str) -> str:
    found = re.search(r"\d+:\d\d / (\d+:\d\d)", screen)
    assert found, f"no planned total on the screen:\n{screen}"
    return found[1]


# -- the help, read off the screen -------------------------------------------------------------

def box_region(screen: str, footer: str, title: str) -> list[str] | None:
    """The help's scrolled lines as shown: inside its box, below its title, above its
    footer; None until the box is drawn whole. Over a dialog (the review) the dialog's own
    thick border frames the help's: the help's inside is then the middle part of a line."""
    inner = []
    for line in screen.splitlines():
        parts = line.split("█")
        if len(parts) < 2:
            continue
        text = parts[len(parts) // 2].split("▌")[0]  # a toast may cover the box's right side
        if text and set(text) <= {"▀", "▄"}:
            continue
        inner.append(text.rstrip().rstrip("▁▂▃▄▅▆▇█▔").rstrip())
    # The title stays put above the scrolled part (with a line of margin), the footer below.
    start = next((i for i, text in enumerate(inner) if text.strip() == title), None)
    end = next((i for i, text in enumerate(inner) if text.strip() == footer), None)
    return None if start is None or end is None else inner[start + 1:end]


def settled(terminal: Terminal, footer: str, title: str) -> list[str]:
    """The help's lines once they stay put (scrolling is animated) and no toast covers
    them (it would cut descriptions short)."""
    screen = terminal.screen()
    shown = box_region(screen, footer, title)
    for _look in range(150):
        time.sleep(0.1)
        screen = terminal.screen()
        now = box_region(screen, footer, title)
        if now == shown and now is not None and "▌" not in screen:
            return now
        shown = now
    raise AssertionError(f"the help never stopped moving:\n{screen}")


def read_help(terminal: Terminal, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """F1, then the help read page by page (PageDown until it no longer moves), closed with
    Esc: its tables of keys, each with its title, before the capture line's section."""
    title = tr(language, "Keys (also in the command palette, ctrl+p)")
    footer = tr(language, "esc closes")
    # A toast over the help's right side would cut its descriptions short: read it without.
    wait(terminal, lambda s: "▌" not in s, "no toast", 12)
    terminal.keys("F1")
    wait(terminal, lambda s: title in s and box_region(s, footer, title) is not None,
         "the help")
    page = settled(terminal, footer, title)
    lines = list(page)
    last_section = tr(language, "The capture line")  # where reading stops, when it is there
    for _page in range(20):
        if any(line.strip() == last_section for line in lines):
            break
        terminal.keys("PageDown")
        try:
            # Generous: on a busy CI machine a page took over a second to scroll, and taking
            # it for the last page lost the sections below (the entries' keys).
            wait(terminal,
                 lambda s, shown=page: box_region(s, footer, title) not in (None, shown),
                 "the help scrolled", 5.0)
        except AssertionError:
            break  # the last page
        page = settled(terminal, footer, title)
        overlap = next(k for k in range(min(len(lines), len(page)), -1, -1)
                       if lines[len(lines) - k:] == page[:k])
        lines += page[overlap:]
    esc(terminal)
    gone(terminal, title)
    time.sleep(0.2)  # the focus back where it was
    sections: list[tuple[str, list[tuple[str, str]]]] = [(title, [])]
    description_at = -1
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        if indent <= 2:
            if line.strip() == tr(language, "The capture line"):
                break
            sections.append((line.strip(), []))
            continue
        rows = sections[-1][1]
        if rows and indent == description_at:  # a description wrapped onto a second line
            rows[-1] = (rows[-1][0], f"{rows[-1][1]} {line.strip()}")
            continue
        row = re.fullmatch(r"(\S+)\s{2,}(\S.*)", line.strip())
        if row and row[1] != tr(language, "Key"):
            rows.append((row[1], row[2].strip()))
            description_at = line.index(row[2], indent + len(row[1]))
    assert sections and sections[0][0] == title and sections[0][1], lines
    return sections


def tmux_key(shown: str) -> str:
    """The tmux name of a key as the help shows it (Textual's key display)."""
    if "/" in shown and len(shown) > 1:  # one action's keys ("esc/f4"): the first will do
        shown = shown.split("/")[0]
    named = {"esc": "Escape", "⏎": "Enter", "del": "DC", "shift+del": "S-DC",
             "space": "Space", "shift+↑": "S-Up", "shift+↓": "S-Down", "tab": "Tab"}
    if shown in named:
        return named[shown]
    if shown.startswith("^") and len(shown) == 2:
        return "C-" + shown[1].lower()
    if re.fullmatch(r"f\d{1,2}", shown):
        return shown.upper()
    if len(shown) == 1:
        return shown
    raise AssertionError(f"the help names a key this test cannot press: {shown!r}")


def untranslated(language: str, rows: list[tuple[str, str]]) -> list[str]:
    """Descriptions in the Dutch help that are still English (though Dutch exists)."""
    if language == "en":
        return []
    return sorted(message for _key, message in rows if tr(language, message) != message)


# -- the room's devices ------------------------------------------------------------------------

def room_sends(home: Path, texts: list[tuple[str, str]]) -> None:
    """What the room's phones send (``(phone, text)``), as the share server queues it: in the
    meeting's share journal in the state folder, which the meeting screen reads every second."""
    store = Store(home / "data")
    [summary] = store.list_meetings()
    meeting = store.load(summary.id).meeting
    step = meeting_steps(meeting, snapshot_protocol(meeting))[meeting.current_step]
    log = ShareLog(Journal(journal_path(meeting.id, home / "state")))
    for n, (phone, text) in enumerate(texts):
        log.submit(Contribution(f"replay{n:06d}", text, Capture.QUESTION, None, step.key,
                                datetime.now(UTC), source=phone))


# -- the replay --------------------------------------------------------------------------------

@pytest.fixture
def session(tmp_path: Path) -> Iterator[Callable[[str], Terminal]]:
    started: list[Terminal] = []

    def start(language: str) -> Terminal:
        # As a newcomer has it: the privacy guard on.
        terminal = start_kring(f"kring-newcomer-{os.getpid()}-{language}", tmp_path / "home",
                               language=language, guard=True)
        started.append(terminal)
        return terminal

    yield start
    for terminal in started:
        close(terminal)


class Replay:
    """One language's meeting: the terminal, what to expect, and what was pressed."""

    def __init__(self, terminal: Terminal, language: str, home: Path) -> None:
        self.t = terminal
        self.lang = language
        self.home = home
        self.pressed: dict[str, list[str]] = {}  # screen -> keys pressed on it
        self.findings: list[str] = []

    def _(self, message: str) -> str:
        return tr(self.lang, message)

    def press(self, screen: str, key: str) -> None:
        self.pressed.setdefault(screen, []).append(key)
        if key == "esc":
            esc(self.t)
        else:
            self.t.keys(tmux_key(key))

    def toast(self, message: str) -> str:
        if self.lang != "en" and message not in NEUTRAL:
            assert self._(message) != message, f"English in the Dutch interface: {message!r}"
        return shows(self.t, words(self._(message)))

    def dialog(self, screen: str, key: str, title: str, close: str = "esc") -> None:
        """``key`` opens a dialog or screen titled ``title``; ``close`` closes it again."""
        self.press(screen, key)
        shows(self.t, self._(title))
        self.press(screen, close)
        gone(self.t, self._(title))


def test_a_newcomers_first_meeting_by_keys_only(
        session: Callable[[str], Terminal], tmp_path: Path, language: str) -> None:
    started = time.monotonic()
    t = session(language)
    home = tmp_path / "home"
    r = Replay(t, language, home)
    _ = r._

    # -- home: the welcome, and its keys -------------------------------------------------------
    shows(t, _("New meeting"))
    home_help = read_help(t, language)
    home_keys = {desc: key for key, desc in home_help[0][1]}
    assert untranslated(language, home_help[0][1]) == []
    r.dialog("home", home_keys[_("Protocols")], PROTOCOL[language])
    r.press("home", home_keys[_("Communities")])
    shows(t, words(_("No communities yet: type a name on the left.")))
    r.press("home", "esc")
    gone(t, words(_("No communities yet: type a name on the left.")))

    # -- setup: a new meeting, typed -----------------------------------------------------------
    r.press("home", home_keys[_("New meeting")])
    shows(t, _("Community or group"))
    setup_help = read_help(t, language)
    assert untranslated(language, setup_help[0][1]) == []
    setup_keys = {desc: key for key, desc in setup_help[0][1]}
    t.keys(COMMUNITY, literal=True)
    shows(t, COMMUNITY)
    t.keys("Tab")
    time.sleep(0.2)
    t.keys("Tab")  # the date stays today's
    time.sleep(0.2)
    t.keys("Leren van elkaar", literal=True)
    shows(t, "Leren van elkaar")
    t.keys("Tab")
    time.sleep(0.2)
    t.keys("Enter")
    time.sleep(0.3)
    t.keys(PROTOCOL[language], literal=True)
    t.keys("Enter")
    shows(t, f"{PROTOCOL[language]} ({language}")
    time.sleep(0.3)
    t.keys("Tab")
    time.sleep(0.2)
    for name in PEOPLE:
        t.keys(name, literal=True)
        t.keys("Enter")
        wait(t, lambda s, name=name: re.search(rf"^\s+{re.escape(name)}(\s|$)", s, re.M)
             is not None, f"{name} on the list")
    t.keys("Tab")  # the list of participants, then the roles' choosers
    time.sleep(0.2)
    for role, name in (("facilitator", PEOPLE[0]), ("case-bringer", PEOPLE[1])):
        t.keys("Tab")
        time.sleep(0.2)
        t.keys("Enter")
        time.sleep(0.3)
        t.keys(name, literal=True)
        t.keys("Enter")
        wait(t, lambda s, name=name: re.search(rf"\s{{2,}}{re.escape(name)}\s+▼", s)
             is not None, f"{role}: {name} chosen")
    r.press("setup", setup_keys[_("Start meeting")])

    # -- the meeting -------------------------------------------------------------------------
    screen = wait(t, lambda s: bool(re.search(r"\d", s)) and _("Phase {n} of {total}")
                  .split("{")[0] in s, "the meeting screen")
    assert phase_number(language, screen) == (1, 6)
    help_sections = read_help(t, language)
    rows = [row for _title, section in help_sections for row in section]
    assert untranslated(language, rows) == []
    screen_keys = help_sections[0][1]
    widget_keys = {title: section for title, section in help_sections[1:]}
    done: set[tuple[str, str]] = set()  # (key, description) checked

    def key_for(message: str, section: list[tuple[str, str]] = screen_keys) -> str:
        for key, desc in section:
            if desc == _(message):
                done.add((key, desc))
                return key
        raise AssertionError(f"the help does not name {message!r}: {section}")

    # The capture line: a question, an action point, a note; each shows as typed.
    for line in LINES[language]:
        t.keys(line, literal=True)
        t.keys("Enter")
    for line in LINES[language]:
        shows(t, line.split(":", 1)[-1].split(" @")[0].strip()[:30])

    # Time: pause and resume, a minute more and less.
    key = key_for("Pause/resume")
    r.press("meeting", key)
    shows(t, r._("paused"))
    r.press("meeting", key)
    gone(t, _("paused"))
    before = planned_total(t.screen())
    r.press("meeting", key_for("+1 min"))
    wait(t, lambda s: planned_total(s) != before, "+1 min changed the planned total")
    r.press("meeting", key_for("−1 min"))
    wait(t, lambda s: planned_total(s) == before, "−1 min gave the minute back")

    # Only the case-bringer speaks now: the turn keys say so.
    r.press("meeting", key_for("Next speaker"))
    r.toast("Only {name} speaks in this phase: there is no next speaker.")
    before = t.screen()
    r.press("meeting", key_for("Speaker passes"))
    changes(t, before, "speaker passes said something")

    # Dialogs and screens: each opens (its title shows) and closes again.
    before = t.screen()
    r.press("meeting", key_for("Prompt cards"))
    changes(t, before, "prompt cards")
    r.press("meeting", key_for("Case details"))
    shows(t, _("The case-bringer's focus question"))
    t.keys("Zoë's first case", literal=True)
    t.keys("C-s")
    shows(t, "Zoë's first case")
    r.press("meeting", key_for("Names to protect"))
    shows(t, words(_("Names to protect (pupils, parents), separated by commas")))
    t.keys("Noor", literal=True)
    t.keys("C-s")
    r.toast("The minutes will show pseudonyms for: {names}")
    r.press("meeting", key_for("Review action points"))
    shows(t, _("Open action points from earlier meetings"))
    esc(t)  # F1 here: test_help_on_the_review_screen
    gone(t, _("Open action points from earlier meetings"))
    r.dialog("meeting", key_for("Share with the room's devices"),
             "Share this meeting with the room's devices")
    r.press("meeting", key_for("Amend the ended meeting"))
    r.toast("The meeting is still in progress: everything can still be changed.")
    r.press("meeting", key_for("Undo delete"))
    r.toast("Nothing to undo.")

    # The minutes so far: their own screen, with its own keys.
    r.press("meeting", key_for("Minutes so far"))
    shows(t, _("Minutes so far: the meeting is still in progress."))
    minutes_help = read_help(t, language)[0][1]
    assert untranslated(language, minutes_help) == []
    r.press("minutes", key_for("Export the minutes so far", minutes_help))
    wait(t, lambda s: any((home / "data" / "minutes").glob("*.md")), "minutes exported", 5)
    r.press("minutes", key_for("Back to the meeting", minutes_help))
    gone(t, _("Minutes so far: the meeting is still in progress."))

    # Projector view and light/dark.
    key = key_for("Projector")
    r.press("meeting", key)
    r.toast("Projector view: what you type is hidden and still saved. F5 shows it again.")
    gone(t, LINES[language][2])  # no entries on the wall
    r.press("meeting", key)
    shows(t, LINES[language][2])
    key = key_for("Light/dark")
    before = styled(t)
    r.press("meeting", key)
    wait(t, lambda s: styled(t) != before, "the colours changed")
    r.press("meeting", key)

    # The command palette.
    r.press("meeting", key_for("Commands"))
    shows(t, _("Bell on/off"))  # a command with no key: only the palette offers it
    esc(t)
    gone(t, _("Bell on/off"))
    time.sleep(0.3)
    # Help: how every list above was read.
    key_for("Help")

    # The entries: up from the capture line, each of their keys.
    entries = widget_keys[_("In the entries (up from the capture line)")]
    note = LINES[language][2]
    t.keys("Up")
    edit = key_for("Edit", entries)
    shows(t, f"{edit} {_('Edit')}")  # the footer offers the entries' keys
    r.press("entries", edit)
    shows(t, _("Save (ctrl+s)"))  # the entry's edit dialog
    time.sleep(0.2)
    t.keys("Edited: ", literal=True)
    t.keys("C-s")
    shows(t, "Edited: " + note[:20])
    r.press("entries", key_for("Change kind", entries))
    shows(t, _("What kind of entry is this?"))
    esc(t)
    gone(t, _("What kind of entry is this?"))
    r.press("entries", key_for("Move to phase", entries))
    shows(t, _("Move to which phase?"))
    esc(t)
    gone(t, _("Move to which phase?"))
    # The privacy guard's keys: the entry names only a participant, so nothing is found.
    for what in ("Protect the names found", "Dismiss what was found (nobody)"):
        r.press("entries", key_for(what, entries))
        shows(t, _("The privacy guard found nothing in this entry."))
        gone(t, _("The privacy guard found nothing in this entry."))
    r.press("entries", key_for("Delete", entries))
    gone(t, "Edited: " + note[:20])
    r.press("entries", key_for("Back to typing", entries))
    t.keys("xyz", literal=True)  # lands in the capture line again
    shows(t, "xyz")
    t.keys("BSpace", "BSpace", "BSpace")
    r.press("meeting", key_for("Undo delete"))
    shows(t, "Edited: " + note[:20])

    # What the room sent: down from the capture line, each of the queue's keys.
    queue = widget_keys[_("In what the room sent (down from the capture line)")]
    room_sends(home, [("phone-a", "Room question A1"), ("phone-a", "Room question A2"),
                      ("phone-b", "Room question B1"), ("phone-b", "Room question B2"),
                      ("phone-c", "Room question C1"), ("phone-c", "Room question C2")])
    shows(t, "Room question C2")
    time.sleep(0.3)
    reveal = f"{key_for('Reveal (becomes an entry)', queue)} {_('Reveal (becomes an entry)')}"
    t.keys("Down")
    shows(t, reveal)  # the footer offers the queue's keys
    r.press("queue", key_for("Reveal (becomes an entry)", queue))
    wait(t, lambda s: ": Room question A1" not in s and "Room question A2" in s,
         "A1 taken from the queue")
    stored = [e.text for e in Store(home / "data").load(
        Store(home / "data").list_meetings()[0].id).entries]
    assert "Room question A1" in stored, stored
    shows(t, "Room question A1")  # now an entry
    time.sleep(0.5)  # the queue shown again without it
    r.press("queue", key_for("Discard", queue))
    gone(t, "Room question A2")
    time.sleep(0.5)
    r.press("queue", key_for("Discard all from this phone", queue))
    gone(t, "Room question B2")
    assert "Room question B1" not in t.screen()
    time.sleep(0.5)
    r.press("queue", key_for("Back to typing", queue))
    t.keys("xyz", literal=True)
    shows(t, "xyz")
    t.keys("BSpace", "BSpace", "BSpace", "Down")
    shows(t, reveal)
    r.press("queue", key_for("Discard everything waiting", queue))
    gone(t, "Room question C1")
    r.press("meeting", key_for("Undo delete"))
    shows(t, "Room question C1")
    time.sleep(0.3)
    t.keys("Down")
    shows(t, reveal)
    t.keys(tmux_key(key_for("Discard everything waiting", queue)))
    gone(t, "Room question C1")

    # Leaving (asked first) keeps the meeting in progress; quitting is asked first too.
    key = key_for("Leave (meeting stays in progress)")
    r.press("meeting", key)
    shows(t, words(_("Leave the meeting? It stays in progress and resumes where it was; "
                     "the text being typed is kept.")))
    t.keys("Enter")
    shows(t, COMMUNITY)
    t.keys("Enter")  # the meeting in progress, first on the list
    wait(t, lambda s: _("Phase {n} of {total}").split("{")[0] in s, "the meeting again")
    time.sleep(0.3)
    r.press("meeting", key_for("Quit"))
    shows(t, words(_("Quit Kring? The meeting stays in progress and resumes where it was; "
                     "the text being typed is kept.")))
    esc(t)
    gone(t, words(_("Quit Kring? The meeting stays")))

    # The course: next, previous, skip; the turns in a phase where people take turns.
    next_key, back_key = key_for("Next phase"), key_for("Previous phase")
    skip_key, end_key = key_for("Skip phase"), key_for("End meeting")
    r.press("meeting", end_key)  # asked first: back to the meeting
    shows(t, _("Action points"))
    esc(t)
    gone(t, words(_("This is phase {n} of {total}: the phases still to come are left out.")))
    r.press("meeting", next_key)
    wait(t, lambda s: phase_number(language, s)[0] == 2, "phase 2")
    r.press("meeting", back_key)
    wait(t, lambda s: phase_number(language, s)[0] == 1, "back to phase 1")
    r.press("meeting", skip_key)
    wait(t, lambda s: phase_number(language, s)[0] == 2, "phase 1 skipped")
    turn_keys = (key_for("Next speaker"), key_for("Speaker passes"))
    turns_seen = False
    while (number := phase_number(language, t.screen()))[0] < number[1]:
        before = t.screen()
        for key in turn_keys:
            screen = t.screen()
            r.press("meeting", key)
            changes(t, screen, f"{key} in phase {number[0]}")
        turns_seen = turns_seen or _("Only {name} speaks").split("{")[0] not in t.screen()
        r.press("meeting", next_key)
        wait(t, lambda s, n=number[0]: phase_number(language, s)[0] == n + 1,
             f"phase {number[0] + 1}")
    t.keys("q: Last question of the meeting", literal=True)
    t.keys("Enter")
    shows(t, "Last question of the meeting")

    # Every key the help named on the meeting screen was pressed.
    missed = [row for row in rows if row not in done]
    assert missed == [], f"keys the help names that this replay did not press: {missed}"

    # The end: F10, and F10 again in its dialog.
    r.press("meeting", end_key)
    shows(t, _("Action points"))
    shows(t, "Anne-Marie")
    t.keys("F10")
    shows(t, COMMUNITY)
    minutes = sorted((home / "data" / "minutes").glob("*.md"))
    assert len(minutes) == 1, minutes
    text = minutes[0].read_text(encoding="utf-8")
    for name in PEOPLE:
        assert name in text
    for line in LINES[language][:2]:
        assert line.split(":", 1)[1].split(" @")[0].strip() in text
    assert "Last question of the meeting" in text and "Room question A1" in text

    # The ended meeting: F1, and F9 asks before amending.
    t.keys("Enter")
    shows(t, words(_("This meeting has ended and is shown read-only. F9 amends it.")))
    ended_help = read_help(t, language)
    assert untranslated(language, ended_help[0][1]) == []
    ended_keys = {desc: key for key, desc in ended_help[0][1]}
    before = t.screen()
    r.press("ended", ended_keys[_("Amend the ended meeting")])
    changes(t, before, "F9 asked whether to amend")
    esc(t)
    assert _("Leave (meeting stays in progress)") in ended_keys, ended_help
    t.keys(tmux_key(ended_keys[_("Leave (meeting stays in progress)")]))
    shows(t, COMMUNITY)

    # Home again: F1, then quit.
    home_help = read_help(t, language)
    r.press("home", {desc: key for key, desc in home_help[0][1]}[_("Quit")])
    deadline = time.monotonic() + TIMEOUT
    while running(t) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(t), "q on the home screen did not quit"
    assert time.monotonic() - started < 90


@pytest.fixture(params=["en", "nl"])
def language(request: pytest.FixtureRequest) -> str:
    return request.param


def test_help_on_the_review_screen(session: Callable[[str], Terminal], language: str) -> None:
    """F1 on the review of earlier action points (F7) shows its keys, as on every screen."""
    t = session(language)
    shows(t, tr(language, "Demo meeting"))
    t.keys("d")  # the demo meeting: no setup needed to reach F7
    wait(t, lambda s: tr(language, "Phase {n} of {total}").split("{")[0] in s, "the meeting")
    time.sleep(0.3)
    t.keys("F7")
    shows(t, tr(language, "Open action points from earlier meetings"))
    time.sleep(0.3)
    keys = read_help(t, language)[0][1]
    assert ("d", tr(language, "Done")) in keys
    # Both keys of the way back, and F1 offered in its footer as on every screen.
    assert ("esc/f7", tr(language, "Back to the meeting")) in keys
    assert "f1" in t.screen().rstrip().splitlines()[-1].lower()
