"""The body of the minutes, step by step: each step's heading line with its time, its entries
grouped by kind and the dot-votes held in it, then the sections gathered from every step
(action points, learnings) and the timing table. Which kinds go where, under which heading,
comes from the table of kinds (``sessions/model/kinds.py``). Fixed words come through ``t``,
the meeting's own translator."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from kring.sessions.documents.markdown import inline, inline_line, text_lines
from kring.sessions.meeting.timing import StepState, StepTiming
from kring.sessions.model.dates import decimal, duration, long_date
from kring.sessions.model.kinds import KIND, SECTION_KINDS, STEP_KINDS, Capture
from kring.sessions.model.meeting import ActionStatus, Entry, Meeting
from kring.sessions.model.privacy import Pseudonymizer
from kring.sessions.model.protocol import Step
from kring.sessions.model.status import Status

Translate = Callable[[str], str]


def round_title(step: Step, hide: Pseudonymizer, t: Translate) -> str:
    assert step.block is not None
    block = inline_line(hide.apply(step.block.title))
    if step.client is not None and text_lines(step.client):
        return t("{block} {round} — client: {client}").format(
            block=block, round=step.round, client=inline_line(step.client))
    return t("{block} {round}").format(block=block, round=step.round)


def step_line(timing: StepTiming, language: str, t: Translate) -> str:
    planned = duration(timing.planned, language)
    if timing.extra:
        planned = t("{planned} ({change} during the meeting)").format(
            planned=planned, change=duration(timing.extra, language, sign=True))
    actual = duration(timing.actual, language)
    state = timing.state
    if state is StepState.CURRENT:
        return t("In progress: {actual} so far. Planned: {planned}.").format(
            actual=actual, planned=planned)
    if state is StepState.SKIPPED:
        if timing.actual:
            return t("Skipped after {actual}. Planned: {planned}.").format(
                actual=actual, planned=planned)
        return t("Skipped. Planned: {planned}.").format(planned=planned)
    if state is StepState.NOT_HELD:
        return t("Not held. Planned: {planned}.").format(planned=planned)
    if state is StepState.NOT_REACHED:
        return t("Not reached yet. Planned: {planned}.").format(planned=planned)
    return t("Planned: {planned}. Actual: {actual}.").format(planned=planned, actual=actual)


def kind_sections(entries: Sequence[Entry], level: int, meeting: Meeting,
                  t: Translate, where: str) -> list[str]:
    """The entries of one step (or of "Other notes"), under a heading per kind. Each heading
    names ``where`` too (the step's number and title, as its own heading has them): every
    heading of the minutes is then different (markdownlint's MD024), and one read out of
    context, in an outline or a search result, still says which phase it belongs to."""
    blocks: list[str] = []
    hashes = "#" * level
    for kind in STEP_KINDS:
        of_kind = [e for e in entries if e.kind is kind]
        if not of_kind:
            continue
        heading = t("{kind} — {step}").format(kind=t(KIND[kind].heading), step=where)
        blocks.append(f"{hashes} {heading}")
        if kind is Capture.QUESTION:
            lines = [_item(f"{number}.", e) for number, e in enumerate(of_kind, start=1)]
        elif kind is Capture.POSITION:
            lines = [_item("-", e) for e in _by_participant(of_kind, meeting.participants)]
        else:
            lines = [_item("-", e) for e in of_kind]
        blocks.append("\n".join(lines))
    return blocks


def vote_sections(meeting: Meeting, visible: Sequence[Entry], step_key: str, level: int,
                  t: Translate, where: str) -> list[str]:
    """The dot-votes of a step: what the room voted on and how many votes each option
    received, most votes first. ``visible``: the entries the minutes show (not private,
    protected names hidden); an option whose entry is private (or gone) is left out, so the
    minutes never show what they would not show as an entry."""
    votes = [vote for vote in meeting.votes if vote.step == step_key]
    if not votes:
        return []  # most steps: no pass over every entry of the meeting for each of them
    shown = {entry.id: entry for entry in visible}
    blocks: list[str] = []
    for vote in votes:
        rows = sorted(((count, shown[entry_id]) for entry_id, count in vote.counts
                       if entry_id in shown), key=lambda row: -row[0])
        if not rows:
            continue
        heading = t("Votes — {step}").format(step=where)
        blocks.append(f"{'#' * level} {heading}")  # a second vote's: numbered by the minutes
        blocks.append(t("{voters} voted, {each} votes each.").format(
            voters=vote.voters, each=vote.votes_each))
        blocks.append("\n".join(
            f"- **{count}** {inline(entry.text, indent='  ')}" for count, entry in rows))
    return blocks


def end_sections(entries: Sequence[Entry], language: str, t: Translate) -> list[str]:
    """The kinds gathered from every step into sections of their own (action points,
    learnings), in the order the table of kinds gives them."""
    blocks: list[str] = []
    for kind in SECTION_KINDS:
        of_kind = [e for e in entries if e.kind is kind]
        if kind is Capture.ACTION:
            blocks.extend(_action_points(of_kind, language, t))
        elif kind is Capture.EVALUATION:
            blocks.extend(_evaluation(of_kind, language, t))
        else:
            blocks.extend(_own_section(kind, of_kind, t))
    return blocks


def _item(marker: str, entry: Entry) -> str:
    """One entry as one list item; continuation lines are indented to stay inside it."""
    text = inline(entry.text, indent=" " * (len(marker) + 1)) or "—"
    author = inline_line(entry.author) if entry.author else ""
    return f"{marker} **{author}**: {text}" if author else f"{marker} {text}"


def _by_participant(entries: Iterable[Entry], participants: Sequence[str]) -> list[Entry]:
    """Positions and advice grouped per person: participants in their order, then other names
    in the order they first spoke, then what nobody is named for. Stable within a person."""
    order = {name: index for index, name in enumerate(participants)}
    entries = list(entries)
    for entry in entries:
        if entry.author and entry.author not in order:
            order[entry.author] = len(order)
    return sorted(entries, key=lambda e: order[e.author] if e.author else len(order))


def _action_points(actions: Sequence[Entry], language: str, t: Translate) -> list[str]:
    """The action points as a task list: checked when done. Dropped and carried-on ones say
    so, rather than being left out: the minutes keep everything that was captured."""
    row = KIND[Capture.ACTION]
    blocks = [f"## {t(row.heading)}"]
    if not actions:
        blocks.append(f"*{t(row.empty)}*")
        return blocks
    statuses = {ActionStatus.DROPPED: t("dropped"), ActionStatus.CARRIED_ON: t("carried on")}
    lines = []
    for entry in actions:
        owner = inline_line(entry.owner) if entry.owner else ""
        owner = f"**{owner}**" if owner else f"*{t('no owner yet')}*"
        details = [statuses[entry.status]] if entry.status in statuses else []
        details.append(t("due {date}").format(date=long_date(entry.due, language)) if entry.due
                       else t("no due date"))
        if entry.author and text_lines(entry.author) and entry.author != entry.owner:
            details.append(t("raised by {name}").format(name=inline_line(entry.author)))
        text = inline(entry.text, indent="  ") or "—"
        box = "[x]" if entry.status is ActionStatus.DONE else "[ ]"
        lines.append(f"- {box} {owner}: {text} ({'; '.join(details)})")
    blocks.append("\n".join(lines))
    return blocks


def _evaluation(entries: Sequence[Entry], language: str, t: Translate) -> list[str]:
    """The closing evaluation: the average score, then each person's score and line. Left out
    of a meeting nobody evaluated: most protocols have no evaluation, and an empty section
    in every set of minutes would only say so."""
    if not entries:
        return []
    blocks = [f"## {t(KIND[Capture.EVALUATION].heading)}"]
    scores = [e.score for e in entries if e.score is not None]
    if scores:
        average = decimal(sum(scores) / len(scores), language)
        blocks.append("*" + t("Average score {average} of 5 ({n} given)")
                      .format(average=average, n=len(scores)) + "*")
    blocks.append("\n".join(_item("-", replace(e, text=_scored(e))) for e in entries))
    return blocks


def _scored(entry: Entry) -> str:
    if entry.score is None:
        return entry.text
    return f"{entry.score}/5 · {entry.text}" if entry.text else f"{entry.score}/5"


def _own_section(kind: Capture, entries: Sequence[Entry], t: Translate) -> list[str]:
    row = KIND[kind]
    blocks = [f"## {t(row.heading)}"]
    if entries:
        blocks.append("\n".join(_item("-", e) for e in entries))
    else:
        blocks.append(f"*{t(row.empty)}*")
    return blocks


def timing_table(timings: Sequence[StepTiming], meeting: Meeting, hide: Pseudonymizer,
                  t: Translate) -> list[str]:
    language = meeting.language
    rows = [
        f"| {t('Phase')} | {t('Planned')} | {t('Actual')} | {t('Difference')} |",
        "| --- | ---: | ---: | ---: |",
    ]
    states = {
        StepState.SKIPPED: t("skipped"),
        StepState.NOT_HELD: t("not held"),
        StepState.NOT_REACHED: t("not reached yet"),
        StepState.CURRENT: t("in progress"),
    }
    for timing in timings:
        step = timing.step
        name = inline_line(hide.apply(step.phase.title))
        if step.block is not None:
            if step.client is not None and text_lines(step.client):
                name = t("{phase} — {client}").format(phase=name,
                                                      client=inline_line(step.client))
            else:
                name = t("{phase} — round {round}").format(phase=name, round=step.round)
        actual = duration(timing.actual, language) if timing.actual or timing.state in (
            StepState.HELD, StepState.CURRENT) else "—"
        difference = states.get(timing.state) or duration(timing.actual - timing.planned,
                                                          language, sign=True)
        rows.append(f"| {timing.number}. {name} | {duration(timing.planned, language)} "
                    f"| {actual} | {difference} |")
    planned = sum(timing.planned for timing in timings)
    held = sum(timing.actual for timing in timings)
    total = (duration(held - planned, language, sign=True) if meeting.status is Status.ENDED
             else t("in progress"))
    rows.append(f"| **{t('Total')}** | **{duration(planned, language)}** "
                f"| **{duration(held, language)}** | **{total}** |")
    return [f"## {t('Timing')}", "\n".join(rows)]
