"""The room's phones give their closing evaluation when the meeting is shared: in a closing
phase that takes evaluations the contribute form asks for a score from 1 to 5 and, if one
likes, a line of what one takes with one. The score is checked strictly on the server (a
hostile phone gets a 400 that says why, never a traceback), journaled with the contribution
(a journal of before still reads), shown in the facilitator's queue ("4/5 · ...") and kept
on the entry the facilitator reveals, after the privacy guard read its line as any other.
The phone side in a real browser is tests/test_share_browser.py's and, for axe,
tests/test_share_a11y.py's."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from kring.sessions.guard.kinds import Kind
from kring.sessions.guard.meeting import Finding
from kring.sessions.guard.process import GuardState
from kring.sessions.guard.spotting import Span
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import InputMode, PhaseKind, Role, Speakers
from kring.sessions.share.access import AccessKind
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.page import COLLECTED, collects, page_state
from kring.sessions.share.queue import (
    BadScore,
    Contribution,
    ShareLog,
    new_item_id,
    read_score,
)
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.screens.dialogs import ChoiceDialog
from kring.tui.share.pages import contribute_page
from kring.tui.share.queue_panel import QueuePanel
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting, until
from tests.support.share import held, serving


def closing(data: Path, clock: FakeClock) -> LiveMeeting:
    """The incident method's meeting, in its closing evaluation."""
    return held(data, clock, phase="evaluation")


def evaluation(score: int | None = 4, text: str = "The questions helped",
               author: str | None = "Dev", clock: FakeClock | None = None,
               step: str = "evaluation") -> Contribution:
    return Contribution(new_item_id(), text, Capture.EVALUATION, author, step,
                        (clock or FakeClock()).now(), source="phone1", score=score)


# -- what the phase collects -------------------------------------------------------------------


def test_a_closing_evaluation_collects_evaluations_before_reflections_and_learnings(
        data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    phase = live.step.phase
    assert phase.kind is PhaseKind.EVALUATION
    assert phase.captures[:2] == (Capture.REFLECTION, Capture.LEARNING)  # listed first
    assert collects(live) is Capture.EVALUATION
    state = page_state(live, ShareLog(Journal(journal_path(live.meeting.id))), clock.now())
    assert state["collect"]["kind"] == "evaluation"
    assert state["collect"]["hint"] == "What I take with me (one line, optional)"


def before(live: LiveMeeting) -> Capture | None:
    """What collects() answered before phones could evaluate: the rule, written out."""
    if not live.editable:
        return None
    phase = live.step.phase
    own = next((kind for kind in phase.captures if kind in COLLECTED), None)
    if own is not None:
        return own
    silent = phase.input is InputMode.WRITING or phase.speakers is Speakers.NOBODY
    if silent and not live.is_last_step:
        following = live.steps[live.step_index + 1].phase
        return next((kind for kind in following.captures if kind in COLLECTED), None)
    return None


def test_every_other_phase_of_every_built_in_protocol_collects_what_it_did(
        data: Path, clock: FakeClock) -> None:
    store = Store(data)
    evaluating: set[tuple[str, str]] = set()
    for number, entry in enumerate(CATALOG.entries):
        room = ["Anouk", "Bram", "Chantal", "Dev"][:entry.protocol.max_participants]
        plan = MeetingPlan(entry.protocol, community="CoP Inclusion", participants=room,
                           case=Case("A case", "", ""))
        plan.roles = dict(zip((Role.FACILITATOR, Role.CASE_BRINGER, Role.NOTE_TAKER,
                               Role.TIMEKEEPER), room * 2, strict=False))
        meeting = plan.create(clock)
        meeting.id = f"eval{number:04d}"
        store.create_meeting(meeting)
        live = LiveMeeting(meeting, [], store, clock)
        live.start()
        for index, step in enumerate(live.steps):
            live.go_to(index)
            phase = step.phase
            if phase.kind is PhaseKind.EVALUATION and Capture.EVALUATION in phase.captures:
                evaluating.add((entry.protocol.id, entry.protocol.language))
                assert collects(live) is Capture.EVALUATION, (entry.protocol.id, step.key)
            else:
                assert collects(live) == before(live), (entry.protocol.id, step.key)
        live.end()
        assert collects(live) is None  # an ended meeting takes nothing, evaluations neither
    assert {("incident", "en"), ("incident", "nl"), ("gossip", "en")} <= evaluating


def test_evaluations_are_collected_only_in_a_closing_phase(data: Path, clock: FakeClock) -> None:
    """A regular phase that happens to capture evaluations, and a closing phase that does
    not, collect as before: no score is asked for there."""
    live = closing(data, clock)
    here = live.step_index

    def phase_becomes(**changes: Any) -> None:
        step = live.steps[here]
        live.steps = (*live.steps[:here], replace(step, phase=replace(step.phase, **changes)),
                      *live.steps[here + 1:])

    phase_becomes(kind=PhaseKind.REGULAR)
    assert collects(live) is Capture.REFLECTION
    phase_becomes(kind=PhaseKind.EVALUATION, captures=(Capture.REFLECTION, Capture.LEARNING))
    assert collects(live) is Capture.REFLECTION


# -- the contribution, journaled -----------------------------------------------------------------


def test_a_contribution_keeps_its_score_through_the_journal_and_others_stay_as_they_were(
        tmp_path: Path) -> None:
    scored = evaluation(5)
    only_a_score = evaluation(2, text="", author=None)
    question = Contribution(new_item_id(), "What did you try?", Capture.QUESTION, None,
                            "questions", FakeClock().now())
    assert scored.record()["score"] == 5
    assert "score" not in question.record()  # a line of any other kind is as it was
    for item in (scored, only_a_score, question):
        assert Contribution.from_record(json.loads(json.dumps(item.record()))) == item
    journal = Journal(tmp_path / "share.jsonl")
    log = ShareLog(journal)
    for item in (scored, only_a_score, question):
        log.submit(item)
    again = ShareLog(Journal(tmp_path / "share.jsonl"))  # after a restart
    assert [(item.text, item.score) for item in again.waiting] == [
        ("The questions helped", 5), ("", 2), ("What did you try?", None)]


def test_a_journal_of_before_reads_and_a_hand_edited_score_is_none() -> None:
    old = {"type": "item", "id": "abcdefgh1234", "text": "What did you try?",
           "kind": "question", "author": None, "step": "questions",
           "at": "2025-09-01T10:00:00+00:00"}  # no source, no score: an older Kring's
    item = Contribution.from_record(old)
    assert item is not None and item.score is None and item.source is None
    line = {**old, "kind": "evaluation"}
    for score in (0, 6, -1, 4.5, "4", True, None, [4], {"4": 4}, 10**100):
        read = Contribution.from_record({**line, "score": score})
        assert read is not None and read.score is None, score
    read = Contribution.from_record({**line, "score": 3})
    assert read is not None and read.score == 3
    # A score on another kind is none: only an evaluation has one.
    read = Contribution.from_record({**old, "score": 3})
    assert read is not None and read.score is None


@pytest.mark.parametrize("sent", ["1", "2", "3", "4", "5"])
def test_a_score_is_one_digit_on_the_scale(sent: str) -> None:
    assert read_score(sent) == int(sent)


@pytest.mark.parametrize("sent", [
    None, "", "0", "6", "4.5", "4,5", " 4", "4 ", "+4", "04", "-1", "4/5", "four", "٤", "４",
    "<script>alert(1)</script>", "9" * 5000, "[4]", "4\n", "1e0", "0x4", "True"])
def test_anything_else_is_refused_with_a_sentence_that_repeats_nothing_sent(
        sent: str | None) -> None:
    with pytest.raises(BadScore) as refused:
        read_score(sent)
    assert refused.value.message == "Choose a score from 1 to 5."


# -- revealed ----------------------------------------------------------------------------------


def test_revealed_it_is_an_evaluation_entry_with_its_score_and_a_crash_reveals_it_once(
        data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    kept, alone = evaluation(4, clock=clock, step=live.step.key), evaluation(
        5, text="", author=None, clock=clock, step=live.step.key)
    log.submit(kept)
    log.submit(alone)
    entry = log.reveal(kept.id, live)
    assert entry is not None
    assert (entry.kind, entry.score, entry.text, entry.author, entry.step) == (
        Capture.EVALUATION, 4, "The questions helped", "Dev", live.step.key)
    stored = [e for e in Store(data).load(live.meeting.id).entries if not e.private]
    assert [(e.kind, e.score, e.text, e.author) for e in stored] == [
        (Capture.EVALUATION, 4, "The questions helped", "Dev")]
    # The app wrote the score-only entry, then crashed before recording that it did.
    live.add_entry("", Capture.EVALUATION, score=5)
    after = ShareLog(Journal(journal_path(live.meeting.id)))
    after.settle(Store(data).load(live.meeting.id).entries)
    assert after.waiting == []
    # Another score is another evaluation: not taken for the one revealed.
    other = evaluation(3, text="", author=None, clock=clock, step=live.step.key)
    after.submit(other)
    after.settle(Store(data).load(live.meeting.id).entries)
    assert [item.id for item in after.waiting] == [other.id]


# -- over the wire: what a phone may send ------------------------------------------------------


async def posting(data: Path, live: LiveMeeting, forms: list[Any], *, plain: bool = False
                  ) -> tuple[list[tuple[int, str]], list[Contribution]]:
    """Each of ``forms`` posted from one phone (``plain``: as a browser without JavaScript
    does): the statuses with the bodies, and what reached the queue."""
    answers = []
    async with serving(data, live) as server, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        base = f"http://127.0.0.1:{server.port}"
        async with session.get(server.url(AccessKind.CONTRIBUTE)) as entered:
            assert entered.status == 200
        headers = {"Origin": base} | ({} if plain else {"Accept": "application/json"})
        for form in forms:
            async with session.post(base + "/contribute", data=form, headers=headers,
                                    allow_redirects=False) as response:
                answers.append((response.status, await response.text()))
        assert server.feed is not None
        server.feed.log.refresh()
        return answers, server.feed.log.waiting


def form(**fields: Any) -> dict[str, Any]:
    return {"text": "The questions helped", "item": new_item_id(), "who": "3"} | fields


async def test_a_phone_sends_a_score_with_a_line_or_alone(data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    answers, waiting = await posting(data, live, [
        form(score="4"), form(score="5", text="", who=""), form(score="1", text="  ")])
    assert [status for status, _body in answers] == [200, 200, 200]
    assert [(i.kind, i.score, i.text, i.author) for i in waiting] == [
        (Capture.EVALUATION, 4, "The questions helped", "Dev"),
        (Capture.EVALUATION, 5, "", None), (Capture.EVALUATION, 1, "", "Dev")]


BAD = ["6", "0", "4.5", "<script>alert(1)</script>", "9" * 4000, "", " 4", "٤", "[4, 5]"]


async def test_a_hostile_phone_s_scores_are_refused_with_a_400_that_says_why(
        data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    forms: list[Any] = [form(score=bad) for bad in BAD]
    forms.append(form())  # no score at all
    forms.append([("text", "x"), ("item", new_item_id()), ("score", "4"), ("score", "5")])
    forms.append(form(score="4", text="W" * 1001))  # a line too long, score or no score
    answers, waiting = await posting(data, live, forms)
    assert waiting == []
    assert [status for status, _body in answers] == [400] * len(forms)
    messages = [json.loads(body)["message"] for _status, body in answers]
    assert messages[:-1] == ["Choose a score from 1 to 5."] * (len(forms) - 1)
    assert messages[-1] == "Write at most 1000 characters."
    assert not any("Traceback" in body or "script" in body for _status, body in answers)


async def test_without_javascript_a_refused_score_comes_back_as_the_page_saying_why(
        data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    [(status, page)], _waiting = await posting(data, live, [form(score="7", text="Kept <b>")],
                                               plain=True)
    assert status == 400 and "Not sent: Choose a score from 1 to 5." in page
    assert "Kept &lt;b&gt;</textarea>" in page and " checked>" not in page
    [(status, page)], _waiting = await posting(
        data, live, [form(score="3", who="9", text="W" * 1001)], plain=True)
    assert status == 400 and 'value="3" required checked' in page  # the score still chosen


async def test_a_score_outside_a_closing_evaluation_is_refused_like_a_kind_the_phase_takes_not(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock, phase="questions")
    answers, waiting = await posting(data, live, [form(score="4"), form(score="")])
    assert [status for status, _body in answers] == [409, 409]
    assert json.loads(answers[0][1])["message"] == (
        "This phase takes no evaluations: reload the page.")
    assert waiting == []
    answers, waiting = await posting(data, live, [form()])  # a question, as ever
    assert [status for status, _body in answers] == [200]
    assert [(i.kind, i.score) for i in waiting] == [(Capture.QUESTION, None)]


def test_the_form_asks_for_a_score_only_in_a_closing_evaluation(data: Path,
                                                                   clock: FakeClock) -> None:
    live = closing(data, clock)
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    page = contribute_page("x" * 16, state=page_state(live, log, clock.now()))
    assert '<fieldset id="score-box" class="score" aria-describedby="score-note">' in page
    assert "<legend>Your score for this meeting</legend>" in page
    assert "1 is poor, 5 is very good." in page
    assert all(f'id="score-{n}" name="score" value="{n}" required>' in page
               for n in range(1, 6))
    assert 'rows="4" aria-describedby="count"' in page  # the line may stay empty
    live.go_to(next(i for i, s in enumerate(live.steps) if s.phase.id == "questions"))
    page = contribute_page("x" * 16, state=page_state(live, log, clock.now()))
    assert 'aria-describedby="score-note" hidden disabled>' in page
    assert 'rows="4" required aria-describedby="count"' in page


# -- the facilitator's queue -------------------------------------------------------------------


async def test_the_queue_shows_the_score_and_the_guard_asks_before_revealing_it(
        data: Path, clock: FakeClock) -> None:
    live = closing(data, clock)
    log = ShareLog(Journal(journal_path(live.meeting.id)))
    log.submit(Contribution("item00000000", "Jayden's story stays with me",
                            Capture.EVALUATION, "Dev", live.step.key, clock.now(), score=4))
    log.submit(Contribution("item00000001", "", Capture.EVALUATION, None, live.step.key,
                            clock.now(), score=5))
    app = create_app(data, CATALOG, clock)  # no guard process: its answers are told here
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting(pilot, live.meeting.id, pause=0.5)
        queue = screen.query_one(QueuePanel)
        rows = [str(queue.get_option_at_index(n).prompt) for n in range(2)]
        assert rows == ["evaluation · Dev: 4/5 · Jayden's story stays with me",
                        "evaluation · anonymous: 5/5"]
        span = Span(0, 6, "Jayden", Kind.PERSON)
        queue.show_findings({"item00000000": [Finding("item00000000", span)]},
                            frozenset({"item00000000", "item00000001"}), GuardState.READY)
        queue.focus()
        await pilot.press("enter")  # a name nobody protected: asked first
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), 5)
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.options[0] == "Protect Jayden, then reveal"
        assert not [e for e in Store(data).load(live.meeting.id).entries if not e.private]
        await pilot.press("enter")
        await until(pilot, lambda: [i.id for i in queue.items] == ["item00000001"], 5)
        await pilot.press("enter")  # nothing found in a score alone: revealed at once
        await until(pilot, lambda: not queue.items, 5)
    stored = Store(data).load(live.meeting.id)
    assert "Jayden" in stored.meeting.protected_names
    assert [(e.kind, e.score, e.text, e.author) for e in stored.entries if not e.private] == [
        (Capture.EVALUATION, 4, "Jayden's story stays with me", "Dev"),
        (Capture.EVALUATION, 5, "", None)]
