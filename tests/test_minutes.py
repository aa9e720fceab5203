"""The Markdown minutes: structure, order, completeness, privacy, and text that stays text."""

from __future__ import annotations

import copy
import gettext
import json
import re
from datetime import date, timedelta

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kring.sessions.documents import actions as actions_module
from kring.sessions.documents import minutes as minutes_module
from kring.sessions.documents.html import strip_front_matter
from kring.sessions.documents.markdown import (
    LINE_BREAK_MARK,
    inline,
    inline_line,
    text_lines,
    yaml_string,
)
from kring.sessions.documents.minutes import minutes_title, render_markdown
from kring.sessions.guard.meeting import Verdict
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Entry, Meeting, Status
from kring.sessions.model.privacy import pseudonymizer_for
from kring.sessions.model.protocol import Capture, Role
from tests.support.minutes import HOSTILE, incident_meeting, live, troika_meeting

# What other viewers do: CommonMark with raw HTML *on*, tables and strikethrough (GitHub).
VIEWER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(markdown: str) -> list[Token]:
    return VIEWER.parse(strip_front_matter(markdown))


def text_of(token: Token) -> str:
    """An inline token's text as a reader sees it; line breaks as \\n."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = parse(markdown)
    return [(token.tag, text_of(tokens[index + 1]))
            for index, token in enumerate(tokens) if token.type == "heading_open"]


def sections(markdown: str) -> dict[str, list[str]]:
    """The text of every paragraph, list item and table cell, by the heading it is under."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    tokens = parse(markdown)
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        if tokens[index - 1].type == "heading_open":
            current = text_of(token)
            out.setdefault(current, [])
        else:
            out[current].append(text_of(token))
    return out


def front_matter(markdown: str) -> dict[str, object]:
    """The front matter read back. Our values are YAML that is also JSON, so json reads them;
    the layout is fixed: scalars, one list (participants) and one mapping (roles)."""
    head = markdown.removeprefix("---\n").split("\n---\n")[0]
    data: dict[str, object] = {}
    key = ""
    for line in head.split("\n"):
        if line.startswith("  - "):
            items = data[key]
            assert isinstance(items, list)
            items.append(json.loads(line[4:]))
        elif line.startswith("  "):
            mapping = data[key]
            assert isinstance(mapping, dict)
            name, _, value = line.strip().partition(": ")
            mapping[json.loads(name) if name.startswith('"') else name] = json.loads(value)
        else:
            key, _, value = line.partition(":")
            value = value.strip()
            if key == "date":
                data[key] = date.fromisoformat(value).isoformat()
            elif value in ("", "[]", "{}"):
                data[key] = [] if key == "participants" else {}
            else:
                data[key] = json.loads(value)
    return data


@pytest.fixture(scope="module")
def incident() -> tuple[Meeting, list[Entry]]:
    return incident_meeting()


@pytest.fixture(scope="module")
def incident_md(incident: tuple[Meeting, list[Entry]]) -> str:
    return render_markdown(*incident)


# -- the document as a whole -------------------------------------------------------------------


def test_the_sections_come_in_the_order_of_the_issue(incident_md: str) -> None:
    assert headings(incident_md) == [
        ("h1", "A pupil who stopped asking for help"),
        ("h2", "Goal"),
        ("h2", "Participants and roles"),
        ("h2", "Case"),
        ("h2", "Review of action points"),
        ("h2", "1. Choose an incident"),
        ("h3", "Decisions — 1. Choose an incident"), ("h3", "Notes — 1. Choose an incident"),
        ("h2", "2. The case-bringer sketches the incident"),
        ("h3", "Facts — 2. The case-bringer sketches the incident"),
        ("h2", "3. Everyone writes down factual questions"),
        ("h2", "4. Information round"), ("h3", "Questions — 4. Information round"),
        ("h3", "Facts — 4. Information round"), ("h3", "Notes — 4. Information round"),
        ("h2", "5. Analyse the situation"), ("h3", "Reflections — 5. Analyse the situation"),
        ("h2", "6. What would you have done? Write it down"),
        ("h2", "7. Round of positions"), ("h3", "Positions and advice — 7. Round of positions"),
        ("h2", "8. What the case-bringer actually did"),
        ("h3", "Facts — 8. What the case-bringer actually did"),
        ("h3", "Notes — 8. What the case-bringer actually did"),
        ("h2", "9. Closing discussion"), ("h3", "Reflections — 9. Closing discussion"),
        ("h2", "10. Evaluation"), ("h3", "Reflections — 10. Evaluation"),
        ("h2", "Other notes"), ("h3", "Notes — Other notes"),
        ("h2", "Action points"),
        ("h2", "Learnings"),
        ("h2", "Timing"),
    ]


def test_front_matter_holds_the_meeting_data(incident_md: str) -> None:
    assert incident_md.startswith("---\n")
    data = front_matter(incident_md)
    assert data == {
        "meeting": "m0001",
        "case": "A pupil who stopped asking for help",
        "community": "CoP Inclusion",
        "date": "2026-11-25",
        "protocol": "Incident method",
        "participants": ["Anouk", "Bram", "Chantal", "Dev"],
        "roles": {"facilitator": "Anouk", "case-bringer": "Bram", "note-taker": "Chantal",
                  "timekeeper": "Dev"},
        "status": "ended",
    }


def test_the_header_goal_participants_and_case(incident_md: str) -> None:
    found = sections(incident_md)
    assert found["A pupil who stopped asking for help"] == [
        "Community: CoP Inclusion", "Date: 25 November 2026", "Protocol: Incident method"]
    assert found["Goal"] == ["Practise asking *factual* questions"]
    assert found["Participants and roles"] == [
        "Anouk — facilitator", "Bram — case-bringer", "Chantal — note-taker", "Dev — timekeeper"]
    assert found["Case"] == [
        "Title: A pupil who stopped asking for help",
        "Intake: Since the autumn break a quiet pupil no longer asks questions.\n"
        "Last Tuesday: an empty page after 20 minutes.",
        "Focus question: How do I notice sooner who needs me?",
    ]


def test_each_step_says_its_planned_and_actual_time(incident_md: str) -> None:
    found = sections(incident_md)
    assert found["1. Choose an incident"][0] == "Planned: 10 min. Actual: 11 min."
    assert found["2. The case-bringer sketches the incident"][0] == \
        "Planned: 5 min. Actual: 4 min 30 s."
    # 6 + 16 minutes running, a 3-minute pause left out, 5 minutes added
    assert found["4. Information round"][0] == \
        "Planned: 15 min (+5 min during the meeting). Actual: 22 min."


def test_a_skipped_phase_says_so(incident_md: str) -> None:
    assert sections(incident_md)["3. Everyone writes down factual questions"] == [
        "Skipped after 30 s. Planned: 3 min."]
    assert "| 3. Everyone writes down factual questions | 3 min | 30 s | skipped |" in incident_md


def test_questions_are_numbered_with_who_asked(incident_md: str) -> None:
    block = incident_md.split("### Questions — 4. Information round\n\n")[1].split("\n\n")[0]
    assert block.split("\n") == [
        "1. **Chantal**: What happened just before?",
        "2. **Dev**: Where were you standing?",
        "3. **Anouk**: \\# Not a heading",
    ]


def test_positions_are_grouped_by_participant_in_roster_order(incident_md: str) -> None:
    items = sections(incident_md)["Positions and advice — 7. Round of positions"]
    assert items == [
        "Anouk: I would have asked the whole class to show a first step.",
        "Chantal: [a link](https://example.org) and ![an image](x.png)",
        "Dev: I would have sat down next to him.",
        "Dev: I would have waited until after the lesson.",
        "**not bold** and _not italic_ and ~~not struck~~",
    ]


def test_action_points_are_a_task_list(incident_md: str) -> None:
    block = incident_md.split("## Action points\n\n")[1].split("\n\n")[0]
    assert block.split("\n") == [
        "- [ ] **Bram**: Check in with him at the start of every lesson (due 1 December 2026)",
        "- [x] **Chantal**: Ask the mentor what changed after the break (no due date)",
        "- [ ] *no owner yet*: Share the \\*first step\\* card\\",
        "  with the team (dropped; no due date; raised by Dev)",
    ]


def test_learnings_are_listed_with_their_author(incident_md: str) -> None:
    items = sections(incident_md)["Learnings"]
    assert items[0] == "Bram: Silence is not the same as coping."
    assert items[1] == "Chantal: " + HOSTILE[11].strip()


def test_the_timing_table_has_every_step_and_a_total(incident_md: str) -> None:
    table = incident_md.split("## Timing\n\n")[1].rstrip("\n").split("\n")
    assert table[0] == "| Phase | Planned | Actual | Difference |"
    assert len(table) == 2 + 10 + 1
    assert table[1 + 4] == "| 4. Information round | 15 min | 22 min | +7 min |"
    assert table[-1] == "| **Total** | **1 h 18 min** | **1 h 23 min** | **+5 min** |"
    tokens = parse(incident_md)
    assert sum(1 for token in tokens if token.type == "tr_open") == 12


def test_troika_rounds_name_their_client() -> None:
    markdown = render_markdown(*troika_meeting())
    found = headings(markdown)
    rounds = [text for tag, text in found if tag == "h2" and text.startswith("Consulting")]
    assert rounds == ["Consulting round 1 — client: Anouk", "Consulting round 2 — client: Bram",
                      "Consulting round 3 — client: Chantal"]
    assert ("h3", "6. The client shares a challenge") in found
    assert found.index(("h2", "Consulting round 2 — client: Bram")) < found.index(
        ("h3", "6. The client shares a challenge"))
    assert "| 7. Clarifying questions — Bram | 2 min | 2 min 40 s | +40 s |" in markdown


# -- complete, and private things out ---------------------------------------------------------


def test_every_entry_but_private_ones_is_in_the_minutes_once(
        incident: tuple[Meeting, list[Entry]], incident_md: str) -> None:
    meeting, entries = incident
    hide = pseudonymizer_for(meeting)
    texts = [text for found in sections(incident_md).values() for text in found]
    for entry in entries:
        expected = "\n".join(text_lines(hide.apply(entry.text)))
        hits = [text for text in texts if text.endswith(expected) or f"{expected} (" in text]
        if entry.private:
            assert hits == []
            assert "tired" not in incident_md
        else:
            assert len(hits) == 1, entry.text


def test_private_entries_are_never_in_the_minutes() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"))
    meeting.start()
    meeting.add_entry("secret about a pupil", Capture.NOTE, private=True)
    meeting.add_entry("secret action", Capture.ACTION, owner="Bram", private=True)
    meeting.add_entry("secret learning", Capture.LEARNING, private=True)
    meeting.add_entry("open note", Capture.NOTE)
    markdown = render_markdown(meeting.meeting, meeting.entries)
    assert "secret" not in markdown
    assert "open note" in markdown
    assert "No action points." in markdown


def test_entries_of_an_unknown_step_go_to_other_notes() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"))
    meeting.start()
    entry = meeting.add_entry("a question from an old protocol", Capture.QUESTION,
                              author="Anouk")
    meeting.edit_entry(entry.id, step="gone#3")
    found = sections(render_markdown(meeting.meeting, meeting.entries))
    assert found["Other notes"] == [
        "Noted in a phase this meeting's protocol does not have (any more)."]
    assert found["Questions — Other notes"] == ["Anouk: a question from an old protocol"]


def test_an_unreadable_protocol_snapshot_still_gives_every_entry() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"))
    meeting.start()
    meeting.add_entry("kept anyway", Capture.FACT)
    meeting.add_entry("kept too", Capture.ACTION)
    broken = copy.deepcopy(meeting.meeting)
    broken.protocol = {"name": "Broken", "phases": "not a list"}
    markdown = render_markdown(broken, meeting.entries)
    found = sections(markdown)
    assert found["Facts — Other notes"] == ["kept anyway"]
    assert "kept too" in found["Action points"][0]


# -- a meeting in progress ----------------------------------------------------------------------


def test_minutes_so_far_of_a_meeting_in_progress() -> None:
    clock = FakeClock()
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case(""), clock=clock)
    meeting.start()
    clock.advance(minutes=12)
    meeting.go_to(2)  # the sketch phase is jumped over: not held
    clock.advance(minutes=1)
    meeting.skip_phase()  # skipped after a minute
    clock.advance(minutes=4)
    meeting.add_entry("what happened before?", Capture.QUESTION)
    markdown = render_markdown(meeting.meeting, meeting.entries,
                               now=clock.now() + timedelta(seconds=30))
    assert front_matter(markdown)["status"] == "in-progress"
    found = sections(markdown)
    assert found["Case"][-1] == "Focus question: not recorded"
    assert found["Meeting of CoP Inclusion"][-1] == \
        "Minutes so far: the meeting is still in progress."
    assert found["1. Choose an incident"][0] == "Planned: 10 min. Actual: 12 min."
    assert found["2. The case-bringer sketches the incident"] == ["Not held. Planned: 5 min."]
    assert found["3. Everyone writes down factual questions"] == [
        "Skipped after 1 min. Planned: 3 min."]
    assert found["4. Information round"][0] == "In progress: 4 min 30 s so far. Planned: 15 min."
    assert found["5. Analyse the situation"] == ["Not reached yet. Planned: 10 min."]
    assert found["10. Evaluation"] == ["Not reached yet. Planned: 5 min."]
    assert "| 4. Information round | 15 min | 4 min 30 s | in progress |" in markdown
    assert "| 5. Analyse the situation | 10 min | — | not reached yet |" in markdown
    assert markdown.rstrip().endswith("| **in progress** |")


def test_minutes_so_far_without_a_clock_count_to_the_last_thing_recorded() -> None:
    clock = FakeClock()
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"), clock=clock)
    meeting.start()
    clock.advance(minutes=3)
    meeting.add_entry("noted at three minutes")
    clock.advance(minutes=30)  # nothing recorded since
    markdown = render_markdown(meeting.meeting, meeting.entries)
    assert "In progress: 3 min so far." in markdown
    assert render_markdown(meeting.meeting, meeting.entries) == markdown


def test_a_meeting_not_started_has_every_phase_not_reached() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case(""))
    markdown = render_markdown(meeting.meeting, [])
    assert markdown.count("Not reached yet.") == 10
    found = sections(markdown)
    assert found["Case"] == ["Title: not recorded", "Intake: not recorded",
                             "Focus question: not recorded"]
    assert found["Goal"] == ["No goal recorded."]
    assert headings(markdown)[0] == ("h1", "Meeting of CoP Inclusion")
    assert minutes_title(meeting.meeting) == "Meeting of CoP Inclusion"


# -- bytes ----------------------------------------------------------------------------------------


def test_output_is_deterministic(incident: tuple[Meeting, list[Entry]],
                                 incident_md: str) -> None:
    meeting, entries = incident
    again = render_markdown(copy.deepcopy(meeting), copy.deepcopy(entries))
    assert again == incident_md
    assert render_markdown(meeting, entries).encode("utf-8") == incident_md.encode("utf-8")


def test_entries_come_in_the_order_they_were_made_whatever_order_they_are_handed_in() -> None:
    clock = FakeClock()
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"), clock=clock)
    meeting.start()
    for number in range(5):
        meeting.add_entry(f"note {number}")
        clock.advance(seconds=1)
    in_order = render_markdown(meeting.meeting, meeting.entries)
    assert render_markdown(meeting.meeting, meeting.entries[::-1]) == in_order
    assert in_order.index("note 0") < in_order.index("note 4")


def test_line_endings_and_final_newline(incident_md: str) -> None:
    assert "\r" not in incident_md
    assert incident_md.endswith("\n") and not incident_md.endswith("\n\n")
    assert incident_md.encode("utf-8").decode("utf-8") == incident_md
    assert all(line == line.rstrip(" \t") for line in incident_md.split("\n"))
    for separator in ("\u2028", "\u2029", "\x85", "\x0b", "\x0c"):
        assert separator not in incident_md


def test_control_characters_and_lone_surrogates_still_give_utf8() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"],
                   Case("bad \ud800 title", "a\x00b\x1bc\x7fd", ""))
    meeting.start()
    meeting.add_entry("bell\x07 and \udfff and\u2028separator\x85next")
    markdown = render_markdown(meeting.meeting, meeting.entries)
    markdown.encode("utf-8")  # no surrogate left
    assert "bad \ufffd title" in markdown
    assert "abcd" in markdown
    assert "bell and \ufffd and\\\n  separator\\\n  next" in markdown


# -- escaping -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    *HOSTILE,
    "+ plus", "* star", "2) closing paren", "123456789. long number", "=== setext",
    "--- rule", "___", "***", "    indented code", "\tindented by tab", "[x]: /reference",
    "[^1] footnote", "<!-- comment -->", "<http://autolink.example>", "x <div>block</div>",
    "trailing backslash \\", "\\*already escaped\\*", "C:\\Users\\anouk", "a | b\n--|--",
    "$x^2$ math", "==highlight== and %%hidden%%", "emoji 😀 and ✓", "שלום עולם", "\u202eevil",
    "`", "#", "1.", "-", ">", "&", "&#x3C;", "&copy;", "[ ] not a task", "[x] done?",
    "line\n\n\nafter empty lines", "   \n  \n", "",
    "https://example.org/a?b=c", "see WWW.kring.nl.", "mail a.b+c@school.nl", "@bram said",
    "x\\://y", "ftp://host", "www.", "a@b",
])
def test_typed_text_stays_one_list_item_with_its_own_text(text: str) -> None:
    for marker in ("-", "1.", "10."):
        markdown = f"{marker} {inline(text, indent=' ' * (len(marker) + 1)) or '—'}\n"
        tokens = VIEWER.parse(markdown)
        types = [token.type for token in tokens]
        list_type = "bullet_list" if marker == "-" else "ordered_list"
        assert types == [f"{list_type}_open", "list_item_open", "paragraph_open", "inline",
                         "paragraph_close", "list_item_close", f"{list_type}_close"], markdown
        inline_token = tokens[3]
        assert {child.type for child in inline_token.children or []} <= {"text", "hardbreak"}
        assert text_of(inline_token) == ("\n".join(text_lines(text)) or "—")


@pytest.mark.parametrize("text", [*HOSTILE, "# x #", "Room #", "a\nb", "x \\"])
def test_typed_text_in_a_heading_or_table_cell_stays_there(text: str) -> None:
    expected = LINE_BREAK_MARK.join(text_lines(text))
    tokens = VIEWER.parse(f"## 1. {inline_line(text)}\n")
    assert [token.type for token in tokens] == ["heading_open", "inline", "heading_close"]
    assert text_of(tokens[1]) == f"1. {expected}"
    table = f"| a | b |\n| --- | --- |\n| {inline_line(text)} | x |\n"
    tokens = VIEWER.parse(table)
    cells = [text_of(token) for token in tokens if token.type == "inline"]
    assert cells == ["a", "b", expected, "x"]


def test_plain_text_is_left_readable() -> None:
    text = "Hij zei: 'ik snap het niet' (na 20 min.) - dat is 1.5 keer zo lang, toch?"
    assert inline(text) == text
    assert inline("C:\\Users\\anouk") == "C:\\Users\\anouk"


def test_bare_web_and_mail_addresses_stay_text() -> None:
    """GFM viewers would make them links (markdownlint: MD034); a backslash keeps them as
    typed text, which reads the same."""
    assert inline("see https://x.org, www.y.nl or a.b@c.nl") == \
        "see https\\://x.org, www\\.y.nl or a.b\\@c.nl"
    assert inline("@bram at 10:30 in www") == "@bram at 10:30 in www"


def test_line_breaks_become_hard_breaks_inside_the_item() -> None:
    assert inline("one\ntwo\r\n\n  - three", indent="  ") == "one\\\n  two\\\n  \\- three"
    assert inline_line("one\ntwo") == f"one{LINE_BREAK_MARK}two"


@pytest.mark.parametrize("text", [
    'plain', 'with "quotes" and \\ backslash', "line\nbreak\r\nand\rmore", "tab\there",
    "\x00\x01\x1f\x7f\x85\u2028\u2029\ufeff\ufffe\uffff", "emoji 😀", "---", "key: value # x",
    "\ud800 lone surrogate",
])
def test_yaml_strings_are_one_quoted_line_read_back_exactly(text: str) -> None:
    quoted = yaml_string(text)
    assert quoted.startswith('"') and quoted.endswith('"')
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]", quoted)
    assert json.loads(quoted) == text.replace("\ud800", "\ufffd")


def test_fixed_words_come_from_the_meetings_translator(
        monkeypatch: pytest.MonkeyPatch, incident: tuple[Meeting, list[Entry]]) -> None:
    class Marked(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return f"«{message}»"

    asked: list[str] = []

    def translator(language: str) -> gettext.NullTranslations:
        asked.append(language)
        return Marked()

    monkeypatch.setattr(minutes_module, "translator", translator)
    monkeypatch.setattr(actions_module, "translator", translator)  # the review's heading
    meeting, entries = incident
    dutch = copy.deepcopy(meeting)
    dutch.language = "nl"
    found = headings(render_markdown(dutch, entries))
    assert set(asked) == {"nl"}
    fixed = [text for tag, text in found
             if not re.match(r"\d+\. ", text) and tag != "h1"]
    assert fixed and all(text.startswith("«") and text.endswith("»") for text in fixed)


def test_minutes_module_never_uses_the_interface_language() -> None:
    with open(minutes_module.__file__, encoding="utf-8") as file:
        source = file.read()
    assert "from kring.sessions.i18n import translator\n" in source
    assert not re.search(r"\b_\(", source)


def test_an_action_without_owner_or_date_and_an_empty_text() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"))
    meeting.start()
    meeting.add_entry("   ", Capture.ACTION)
    meeting.add_entry("\n", Capture.NOTE, author="  ")
    markdown = render_markdown(meeting.meeting, meeting.entries)
    assert "- [ ] *no owner yet*: — (no due date)" in markdown
    assert "\n- —\n" in markdown


def test_role_holders_missing_from_the_participants_are_still_listed() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"))
    record = copy.deepcopy(meeting.meeting)
    record.roles = {"timekeeper": "Zoë", "facilitator": "Anouk", "observer": "Bram"}
    found = sections(render_markdown(record, []))
    assert found["Participants and roles"] == [
        "Anouk — facilitator", "Bram — observer", "Chantal", "Zoë — timekeeper"]
    assert front_matter(render_markdown(record, []))["roles"] == {
        "facilitator": "Anouk", "timekeeper": "Zoë", "observer": "Bram"}


@pytest.mark.parametrize("verdict", list(Verdict))
def test_the_front_matter_says_what_the_privacy_guard_made_of_the_meeting(
        verdict: Verdict) -> None:
    meeting, entries = troika_meeting()
    assert front_matter(render_markdown(meeting, entries, guard=verdict))[
        "privacy_guard"] == verdict.value
    # Not said when not known (a view, or the guard still loading): never a guess.
    assert "privacy_guard" not in front_matter(render_markdown(meeting, entries))


def test_an_ended_meeting_needs_no_clock() -> None:
    meeting, entries = troika_meeting()
    assert meeting.status is Status.ENDED
    later = render_markdown(meeting, entries, now=meeting.ended_at + timedelta(hours=5)
                            if meeting.ended_at else None)
    assert later == render_markdown(meeting, entries)


def test_roles_in_the_front_matter_are_known_roles_first() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case"),
                   roles={Role.TIMEKEEPER: "Chantal", Role.FACILITATOR: "Anouk",
                          Role.CASE_BRINGER: "Bram"})
    markdown = render_markdown(meeting.meeting, [])
    assert markdown.index("facilitator:") < markdown.index("case-bringer:") < markdown.index(
        "timekeeper:")
    assert date(2026, 11, 25).isoformat() in markdown
