"""Setting a meeting up: who is there, in which roles, following which protocol.

``MeetingPlan.problems()`` says what is still missing, in words the setup screen shows inline;
``MeetingPlan.create()`` turns a complete plan into a new meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from kring.sessions.i18n import _, ngettext
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Case, Meeting, new_id
from kring.sessions.model.protocol import Block, Need, Protocol, Role
from kring.sessions.protocols.templates import protocol_to_data


def role_label(role: Role) -> str:
    labels = {
        Role.FACILITATOR: _("facilitator"),
        Role.CASE_BRINGER: _("case-bringer"),
        Role.NOTE_TAKER: _("note-taker"),
        Role.TIMEKEEPER: _("timekeeper"),
    }
    return labels[role]


@dataclass
class MeetingPlan:
    protocol: Protocol
    community: str = ""
    date: date | None = None
    goal: str = ""
    participants: list[str] = field(default_factory=list)
    roles: dict[Role, str] = field(default_factory=dict)
    case: Case = field(default_factory=Case)
    protected_names: list[str] = field(default_factory=list)  # pupils, parents: pseudonymised

    def add_participant(self, name: str) -> bool:
        name = " ".join(name.split())
        if not name or any(p.casefold() == name.casefold() for p in self.participants):
            return False
        self.participants.append(name)
        return True

    def remove_participant(self, name: str) -> None:
        self.participants = [p for p in self.participants if p != name]
        self.roles = {role: who for role, who in self.roles.items() if who != name}

    def move_participant(self, name: str, offset: int) -> None:
        index = self.participants.index(name)
        target = max(0, min(len(self.participants) - 1, index + offset))
        self.participants.insert(target, self.participants.pop(index))

    def problems(self) -> list[str]:
        found: list[str] = []
        if not self.community.strip():
            found.append(_("Give the community or group a name."))
        count = len(self.participants)
        low, high = self.protocol.min_participants, self.protocol.max_participants
        if count < low:
            found.append(ngettext(
                "{protocol} needs at least {low} participants; there is {count}.",
                "{protocol} needs at least {low} participants; there are {count}.",
                count).format(protocol=self.protocol.name, low=low, count=count))
        if high is not None and count > high:
            found.append(_("{protocol} is for at most {high} participants; there are {count}.")
                         .format(protocol=self.protocol.name, high=high, count=count))
        for role, need in self.protocol.roles.items():
            if role is Role.CASE_BRINGER and self.rotating_case_bringer:
                continue
            if need is Need.REQUIRED and not self.roles.get(role):
                found.append(_("Choose a {role}.").format(role=role_label(role)))
        for role, who in self.roles.items():
            if who and who not in self.participants:
                found.append(_("The {role} is not among the participants.")
                             .format(role=role_label(role)))
        return found

    @property
    def rotating_case_bringer(self) -> bool:
        """In a protocol whose rounds repeat per participant, everyone brings a case in turn."""
        return any(isinstance(item, Block) for item in self.protocol.items)

    def create(self, clock: Clock) -> Meeting:
        problems = self.problems()
        if problems:
            raise ValueError(" ".join(problems))
        now = clock.now()
        return Meeting(
            id=new_id(),
            community=" ".join(self.community.split()),
            date=self.date or now.astimezone().date(),
            protocol=protocol_to_data(self.protocol),
            created_at=now,
            language=self.protocol.language,
            goal=self.goal.strip(),
            participants=list(self.participants),
            roles={role.value: who for role, who in self.roles.items() if who},
            case=Case(self.case.title.strip(), self.case.summary.strip(),
                      self.case.focus_question.strip()),
            protected_names=split_names(", ".join(self.protected_names)),
        )


def split_names(text: str) -> list[str]:
    """Names typed as a comma-separated list: trimmed, blanks and repeats left out."""
    names: list[str] = []
    for part in text.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names
