"""The opening of the minutes: YAML front matter, the title, the meeting's details, who took
part in which role, and the case. Fixed words come through ``t``, the meeting's own translator
(``sessions/documents/minutes.py`` passes it), never the interface's ``_``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from kring.sessions.documents.markdown import (
    inline,
    inline_line,
    plain_line,
    text_lines,
    yaml_key,
    yaml_string,
)
from kring.sessions.guard.meeting import Verdict
from kring.sessions.model.dates import long_date
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.protocol import Role
from kring.sessions.model.status import Status

Translate = Callable[[str], str]
MEETING_KEY = "meeting"  # the front matter's key for the meeting's id


def title(meeting: Meeting, t: Translate, show: Callable[[str], str]) -> str:
    if text_lines(meeting.case.title):
        return show(meeting.case.title)
    return t("Meeting of {community}").format(community=show(meeting.community))


def front_matter(meeting: Meeting, t: Translate, guard: Verdict | None = None) -> str:
    """``guard``: what the privacy guard made of the meeting when these minutes were written
    (None: not said, as when it was still loading or the minutes are rendered for a view)."""
    lines = [
        "---",
        # First, so that Kring finds it in a file's first bytes: writing the minutes again
        # rewrites the file of the same meeting (sessions/documents/filenames.py).
        f"{MEETING_KEY}: {yaml_string(meeting.id)}",
        # The case, not a "title": markdownlint (MD025), pandoc and static-site tools read a
        # front-matter title as the document's own, and the "# ..." heading below is that.
        f"case: {yaml_string(plain_line(meeting.case.title))}",
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
    if guard is not None:
        lines.append(f"privacy_guard: {yaml_string(guard.value)}")
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


def header(meeting: Meeting, t: Translate) -> list[str]:
    blocks = [f"# {title(meeting, t, inline_line)}"]
    details = [
        f"- **{t('Community:')}** {_or_missing(inline_line(meeting.community), t)}",
        f"- **{t('Date:')}** {long_date(meeting.date, meeting.language)}",
        f"- **{t('Protocol:')}** {_or_missing(inline_line(_protocol_name(meeting)), t)}",
    ]
    blocks.append("\n".join(details))
    if meeting.status is Status.IN_PROGRESS:
        blocks.append(f"*{t('Minutes so far: the meeting is still in progress.')}*")
    if meeting.amended_at:
        blocks.append(t("Amended after the meeting: {times}.").format(
            times="; ".join(_moment(when, meeting.language) for when in meeting.amended_at)))
    blocks.append(f"## {t('Goal')}")
    # A sentence, not "*not recorded*": a paragraph of emphasis alone reads as a heading that
    # should have been one (markdownlint's MD036), unless it ends like a sentence.
    blocks.append(inline(meeting.goal) or f"*{t('No goal recorded.')}*")
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


def case_section(meeting: Meeting, t: Translate) -> list[str]:
    case = meeting.case
    fields = ((t("Title:"), case.title), (t("Intake:"), case.summary),
              (t("Focus question:"), case.focus_question))
    return [f"## {t('Case')}",
            *(f"**{label}** {_or_missing(inline(value), t)}" for label, value in fields)]


def _moment(when: datetime, language: str) -> str:
    # In UTC, said so: the same meeting gives the same minutes on every device, whatever its
    # time zone.
    when = when.astimezone(UTC)
    return f"{long_date(when.date(), language)} {when:%H:%M} UTC"


def _or_missing(text: str, t: Translate) -> str:
    return text or f"*{t('not recorded')}*"


def _name(name: str, t: Translate) -> str:
    return inline_line(name) or f"*{t('no name')}*"
