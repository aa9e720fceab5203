"""The minutes of a meeting as Markdown: complete, faithful, and safe whatever was typed.

``render_markdown`` writes YAML front matter, the meeting's details and case, one section per
step of the protocol with its entries grouped by kind, the action points as a task list, the
learnings and a timing table. Every entry that is not private appears exactly once: entries of
a step the protocol no longer has go to "Other notes".

Whatever a person typed passes through ``inline`` (or ``inline_line``), which escapes it so it
can never change the document's structure: a note starting with ``#`` stays a note, ``<script>``
shows as text, and a line break inside a note stays inside that note as a hard line break.

Fixed words go through the meeting's own translator, never the interface's ``_``: the minutes
are written in the language of the meeting, whatever language the screen is in. Dates and
durations are written as that language writes them (``sessions/dates.py``); only the front
matter, which is data for tools, keeps ISO dates.

The minutes are read by others: the names the meeting protects (pupils, parents) are replaced
by their pseudonyms (``sessions/privacy.py``) in everything typed, before it is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from kring.sessions.documents.actions import review_markdown
from kring.sessions.documents.markdown import (
    inline,
    inline_line,
    plain_line,
    text_lines,
    yaml_key,
    yaml_string,
)
from kring.sessions.i18n import translator
from kring.sessions.meeting.live import run_elapsed
from kring.sessions.model.dates import duration, long_date
from kring.sessions.model.meeting import ActionStatus, Case, Entry, Meeting, PhaseRun, Status
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for, redact_entry
from kring.sessions.model.protocol import Capture, PhaseKind, Role, Step
from kring.sessions.protocols.templates import TemplateError, parse_protocol

Translate = Callable[[str], str]

# The kinds shown inside a step's section, in this order. Action points and learnings are
# gathered in sections of their own at the end, where people look for them.
STEP_KINDS: tuple[Capture, ...] = (
    Capture.QUESTION,
    Capture.FACT,
    Capture.POSITION,
    Capture.REFLECTION,
    Capture.DECISION,
    Capture.NOTE,
)

# -- steps and their time ------------------------------------------------------------------------


class StepState(StrEnum):
    HELD = "held"
    SKIPPED = "skipped"
    CURRENT = "current"  # the meeting is in progress and this step's timer runs
    NOT_HELD = "not-held"  # no run at all, in an ended meeting or behind the current step
    NOT_REACHED = "not-reached"  # in a meeting in progress, the current step or later


@dataclass(frozen=True, slots=True)
class StepTiming:
    number: int  # 1-based, as the minutes number the steps
    step: Step
    state: StepState
    planned: int  # seconds, as the protocol planned
    extra: int  # seconds added (or, negative, taken away) during the meeting
    actual: int  # seconds, pauses left out


def meeting_steps(meeting: Meeting) -> tuple[Step, ...]:
    """The steps of the meeting's protocol snapshot, blocks repeated once per participant as
    the live meeting unfolds them. No steps when the snapshot cannot be read: every entry then
    still appears, under "Other notes"."""
    try:
        protocol = parse_protocol(meeting.protocol, f"meeting {meeting.id}")
    except TemplateError:
        return ()
    return protocol.steps(meeting.participants)


def step_timings(meeting: Meeting, steps: Sequence[Step], now: datetime) -> list[StepTiming]:
    runs_of: dict[str, list[PhaseRun]] = {}
    for run in meeting.runs:
        runs_of.setdefault(run.step, []).append(run)
    in_progress = meeting.status is Status.IN_PROGRESS
    current = min(meeting.current_step, len(steps) - 1)
    out: list[StepTiming] = []
    for index, step in enumerate(steps):
        runs = runs_of.get(step.key, [])
        if in_progress and any(run.ended_at is None for run in runs):
            state = StepState.CURRENT
        elif any(run.skipped for run in runs):
            state = StepState.SKIPPED
        elif runs:
            state = StepState.HELD
        elif in_progress and index >= current:
            state = StepState.NOT_REACHED
        else:
            state = StepState.NOT_HELD
        out.append(StepTiming(
            number=index + 1, step=step, state=state, planned=step.phase.seconds,
            extra=sum(run.extra_seconds for run in runs),
            actual=sum(run_elapsed(run, now) for run in runs),
        ))
    return out


def _default_now(meeting: Meeting, entries: Sequence[Entry]) -> datetime:
    """Without a clock reading: when the meeting ended, or else the last moment anything was
    recorded, so that the same data always gives the same minutes."""
    if meeting.ended_at is not None:
        return meeting.ended_at
    moments = [meeting.created_at]
    for run in meeting.runs:
        moments.append(run.started_at)
        moments.extend(m for m in (run.ended_at, *(p.ended_at for p in run.pauses)) if m)
        moments.extend(p.started_at for p in run.pauses)
    for entry in entries:
        moments.append(entry.updated_at or entry.created_at)
    return max(moments)


# -- the document -------------------------------------------------------------------------------


def minutes_title(meeting: Meeting) -> str:
    """The title of the minutes as plain text: the case, or else the community; protected
    names hidden, since it names the page and the file others open."""
    t = translator(meeting.language).gettext
    hide = pseudonymizer_for(meeting)
    return _title(meeting, t, lambda text: plain_line(hide.apply(text)))


def _title(meeting: Meeting, t: Translate, show: Callable[[str], str]) -> str:
    if text_lines(meeting.case.title):
        return show(meeting.case.title)
    return t("Meeting of {community}").format(community=show(meeting.community))


def shown_meeting(meeting: Meeting, hide: Pseudonymizer) -> Meeting:
    """A copy of ``meeting`` with protected names replaced in everything typed into it that
    the minutes show: so no part of the document can forget to hide one. The meeting itself
    when no name is protected, which is the usual case and costs nothing."""
    if not hide.active:
        return meeting
    apply = hide.apply
    case = meeting.case
    protocol = meeting.protocol
    if isinstance(protocol, dict) and isinstance(protocol.get("name"), str):
        protocol = {**protocol, "name": apply(protocol["name"])}
    return replace(
        meeting,
        community=apply(meeting.community),
        goal=apply(meeting.goal),
        participants=[apply(name) for name in meeting.participants],
        # Role keys too: a role this Kring does not know is shown by its (typed) name.
        roles={apply(role): apply(who) for role, who in meeting.roles.items()},
        case=Case(apply(case.title), apply(case.summary), apply(case.focus_question)),
        protocol=protocol,
    )


def render_markdown(meeting: Meeting, entries: Sequence[Entry], *,
                    now: datetime | None = None) -> str:
    """The minutes of ``meeting`` as Markdown (UTF-8 text, ``\\n`` line endings, a final
    newline). For a meeting in progress these are the minutes so far: pass ``now`` to count the
    running step's time up to that moment. Private entries are never included, and protected
    names show as their pseudonyms wherever they were typed."""
    t = translator(meeting.language).gettext
    hide = pseudonymizer_for(meeting)
    now = now or _default_now(meeting, entries)
    original = meeting
    meeting = shown_meeting(meeting, hide)
    # The steps unfold from the hidden participants, so a Troika round's client is hidden too;
    # their keys hold no names, so the runs and entries still find their step.
    steps = meeting_steps(meeting)
    timings = step_timings(meeting, steps, now)
    # Stable on the order given, so entries made in the same clock tick keep theirs.
    visible = sorted((redact_entry(e, hide) for e in entries if not e.private),
                     key=lambda e: e.created_at)
    known = {step.key for step in steps}
    by_step: dict[str, list[Entry]] = {}
    for entry in visible:
        if entry.kind not in (Capture.ACTION, Capture.LEARNING):
            by_step.setdefault(entry.step, []).append(entry)
    others = [e for e in visible
              if e.step not in known and e.kind not in (Capture.ACTION, Capture.LEARNING)]
    # The review of earlier action points belongs in the step held for it; a protocol without
    # one (or a snapshot that cannot be read) still shows it, in a section after the case.
    review_step = next((step.key for step in steps
                        if step.phase.kind is PhaseKind.ACTION_REVIEW), None)

    blocks = [_front_matter(meeting, t), *_header(meeting, t), *_case(meeting, t)]
    if review_step is None:
        # review_markdown hides the names itself, from the meeting as stored.
        blocks.extend(_nonempty(review_markdown(original, level=2)))
    round_of: tuple[str, int] | None = None
    for timing in timings:
        step = timing.step
        level = 2
        if step.block is not None:
            level = 3
            if round_of != (step.block.id, step.round):
                round_of = (step.block.id, step.round)
                blocks.append(f"## {_round_title(step, hide, t)}")
        else:
            round_of = None
        title = inline_line(hide.apply(step.phase.title))
        blocks.append(f"{'#' * level} {timing.number}. {title}")
        blocks.append(f"*{_step_line(timing, meeting.language, t)}*")
        if step.key == review_step:
            blocks.extend(_nonempty(review_markdown(original, level=level + 1)))
        blocks.extend(_kinds(by_step.get(step.key, []), level + 1, meeting, t))
    if others:
        blocks.append(f"## {t('Other notes')}")
        blocks.append(t("Noted in a phase this meeting's protocol does not have (any more)."))
        blocks.extend(_kinds(others, 3, meeting, t))
    blocks.extend(_actions([e for e in visible if e.kind is Capture.ACTION], meeting.language, t))
    blocks.extend(_learnings([e for e in visible if e.kind is Capture.LEARNING], t))
    blocks.extend(_timing_table(timings, meeting, hide, t))
    return "\n\n".join(blocks) + "\n"


def _nonempty(block: str) -> list[str]:
    return [block] if block else []


def _front_matter(meeting: Meeting, t: Translate) -> str:
    lines = [
        "---",
        f"title: {yaml_string(_title(meeting, t, plain_line))}",
        f"community: {yaml_string(meeting.community)}",
        f"date: {meeting.date.isoformat()}",
        f"protocol: {yaml_string(_protocol_name(meeting))}",
    ]
    if meeting.participants:
        lines.append("participants:")
        lines.extend(f"  - {yaml_string(name)}" for name in meeting.participants)
    else:
        lines.append("participants: []")
    roles = _roles_in_order(meeting)
    if roles:
        lines.append("roles:")
        lines.extend(f"  {yaml_key(role)}: {yaml_string(who)}" for role, who in roles)
    else:
        lines.append("roles: {}")
    lines.append(f"status: {yaml_string(meeting.status.value)}")
    lines.append("---")
    return "\n".join(lines)


def _protocol_name(meeting: Meeting) -> str:
    name = meeting.protocol.get("name") if isinstance(meeting.protocol, dict) else None
    return name if isinstance(name, str) else ""


def _roles_in_order(meeting: Meeting) -> list[tuple[str, str]]:
    """Known roles in their usual order, then any others (from a newer Kring) by name."""
    order = {role.value: index for index, role in enumerate(Role)}
    return sorted(((role, who) for role, who in meeting.roles.items() if who),
                  key=lambda item: (order.get(item[0], len(order)), item[0]))


def _role_label(role: str, t: Translate) -> str:
    labels = {
        Role.FACILITATOR.value: t("facilitator"),
        Role.CASE_BRINGER.value: t("case-bringer"),
        Role.NOTE_TAKER.value: t("note-taker"),
        Role.TIMEKEEPER.value: t("timekeeper"),
    }
    return labels.get(role) or inline_line(role)


def _header(meeting: Meeting, t: Translate) -> list[str]:
    blocks = [f"# {_title(meeting, t, inline_line)}"]
    details = [
        f"- **{t('Community:')}** {_or_missing(inline_line(meeting.community), t)}",
        f"- **{t('Date:')}** {long_date(meeting.date, meeting.language)}",
        f"- **{t('Protocol:')}** {_or_missing(inline_line(_protocol_name(meeting)), t)}",
    ]
    blocks.append("\n".join(details))
    if meeting.status is Status.IN_PROGRESS:
        blocks.append(f"*{t('Minutes so far: the meeting is still in progress.')}*")
    blocks.append(f"## {t('Goal')}")
    blocks.append(_or_missing(inline(meeting.goal), t))
    blocks.append(f"## {t('Participants and roles')}")
    roles_of: dict[str, list[str]] = {}
    for role, who in _roles_in_order(meeting):
        roles_of.setdefault(who, []).append(_role_label(role, t))
    # Whoever holds a role is listed even if missing from the participants: nobody left out.
    people = list(dict.fromkeys([*meeting.participants, *roles_of]))
    if people:
        lines = []
        for person in people:
            line = f"- {_name(person, t)}"
            if roles_of.get(person):
                line += f" — {', '.join(roles_of[person])}"
            lines.append(line)
        blocks.append("\n".join(lines))
    else:
        blocks.append(f"*{t('No participants recorded.')}*")
    return blocks


def _case(meeting: Meeting, t: Translate) -> list[str]:
    case = meeting.case
    fields = ((t("Title:"), case.title), (t("Intake:"), case.summary),
              (t("Focus question:"), case.focus_question))
    return [f"## {t('Case')}",
            *(f"**{label}** {_or_missing(inline(value), t)}" for label, value in fields)]


def _or_missing(text: str, t: Translate) -> str:
    return text or f"*{t('not recorded')}*"


def _name(name: str, t: Translate) -> str:
    return inline_line(name) or f"*{t('no name')}*"


def _round_title(step: Step, hide: Pseudonymizer, t: Translate) -> str:
    assert step.block is not None
    block = inline_line(hide.apply(step.block.title))
    if step.client is not None and text_lines(step.client):
        return t("{block} {round} — client: {client}").format(
            block=block, round=step.round, client=inline_line(step.client))
    return t("{block} {round}").format(block=block, round=step.round)


def _step_line(timing: StepTiming, language: str, t: Translate) -> str:
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


def _kind_title(kind: Capture, t: Translate) -> str:
    titles = {
        Capture.QUESTION: t("Questions"),
        Capture.FACT: t("Facts"),
        Capture.POSITION: t("Positions and advice"),
        Capture.REFLECTION: t("Reflections"),
        Capture.DECISION: t("Decisions"),
        Capture.NOTE: t("Notes"),
    }
    return titles[kind]


def _item(marker: str, entry: Entry) -> str:
    """One entry as one list item; continuation lines are indented to stay inside it."""
    text = inline(entry.text, indent=" " * (len(marker) + 1)) or "—"
    author = inline_line(entry.author) if entry.author else ""
    return f"{marker} **{author}**: {text}" if author else f"{marker} {text}"


def _kinds(entries: Sequence[Entry], level: int, meeting: Meeting, t: Translate) -> list[str]:
    blocks: list[str] = []
    hashes = "#" * level
    for kind in STEP_KINDS:
        of_kind = [e for e in entries if e.kind is kind]
        if not of_kind:
            continue
        blocks.append(f"{hashes} {_kind_title(kind, t)}")
        if kind is Capture.QUESTION:
            lines = [_item(f"{number}.", e) for number, e in enumerate(of_kind, start=1)]
        elif kind is Capture.POSITION:
            lines = [_item("-", e) for e in _by_participant(of_kind, meeting.participants)]
        else:
            lines = [_item("-", e) for e in of_kind]
        blocks.append("\n".join(lines))
    return blocks


def _by_participant(entries: Iterable[Entry], participants: Sequence[str]) -> list[Entry]:
    """Positions and advice grouped per person: participants in their order, then other names
    in the order they first spoke, then what nobody is named for. Stable within a person."""
    order = {name: index for index, name in enumerate(participants)}
    entries = list(entries)
    for entry in entries:
        if entry.author and entry.author not in order:
            order[entry.author] = len(order)
    return sorted(entries, key=lambda e: order[e.author] if e.author else len(order))


def _actions(actions: Sequence[Entry], language: str, t: Translate) -> list[str]:
    """The action points as a task list: checked when done. Dropped and carried-on ones say
    so, rather than being left out: the minutes keep everything that was captured."""
    blocks = [f"## {t('Action points')}"]
    if not actions:
        blocks.append(f"*{t('No action points.')}*")
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


def _learnings(learnings: Sequence[Entry], t: Translate) -> list[str]:
    blocks = [f"## {t('Learnings')}"]
    if learnings:
        blocks.append("\n".join(_item("-", e) for e in learnings))
    else:
        blocks.append(f"*{t('No learnings noted.')}*")
    return blocks


def _timing_table(timings: Sequence[StepTiming], meeting: Meeting, hide: Pseudonymizer,
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
    actual = sum(timing.actual for timing in timings)
    total = (duration(actual - planned, language, sign=True) if meeting.status is Status.ENDED
             else t("in progress"))
    rows.append(f"| **{t('Total')}** | **{duration(planned, language)}** "
                f"| **{duration(actual, language)}** | **{total}** |")
    return [f"## {t('Timing')}", "\n".join(rows)]
