"""Carrying a case from a school's intervision group to the CoP: the second loop.

A teacher brings a case to the intervision group at their own school; what the group learned
from it, and the action points it led to, may be worth the wider Community of Practice. With
the case-bringer's consent, ``carry`` copies the chosen parts into the CoP's data folder (its
own store, carried by its own sync engine) as a meeting of the CoP. Only what is chosen
travels, and only as the room may see it: the case and the notes with the meeting's protected
names already replaced by pseudonyms, no private entry, no participant list, no roles, no
authors. An action point keeps an owner, but by name only if that owner agreed too (named with
the case-bringer in ``consent_of``); any other owner becomes "Member 1", "Member 2", ... in its
owner field and wherever their name is typed in what travels, found as protected names are.
Research consent does not count here: sharing with colleagues is not research, and the owner's
agreement is asked for this copy. Carrying the same meeting again updates the same copy: the
copy keeps the meeting's id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from enum import StrEnum

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, translator
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.name_variants import name_key
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for, same_name
from kring.sessions.model.protocol import Role
from kring.sessions.model.status import Status
from kring.sessions.store.facade import Store


class Part(StrEnum):
    CASE = "case"  # its title, summary and focus question
    LEARNINGS = "learnings"
    ACTIONS = "actions"


_KINDS = {Part.LEARNINGS: Capture.LEARNING, Part.ACTIONS: Capture.ACTION}


class ConsentError(StoreError):
    """The case-bringer's consent is what lets a case leave its group."""


class ChosenLabels(Pseudonymizer):
    """Names replaced by labels the caller chose: found in a text exactly as protected names
    are (case, accents, joined parts, possessives, the longest name first), so a colleague's
    name that slipped past here would slip past the pupils' pseudonyms too.

    ``labels``: each spelling to find -> its label; spellings that are one name to the
    privacy module (the same ``name_key``) must share a label."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = {name_key(name): label for name, label in labels.items()}
        super().__init__(list(labels))  # which calls _assign: the labels must be known

    def _assign(self, keys: dict[str, list[str]]) -> None:
        # Chosen rather than lettered here: a colleague is no "Pupil B".
        for key, spellings in keys.items():
            self._by_key[key] = self._labels[key]
            for written in spellings:
                self.mapping[written] = self._labels[key]


def _people(meeting: Meeting, entries: Sequence[Entry]) -> list[str]:
    """Everyone the meeting names as a person: participants, role holders, then owners."""
    people: dict[str, str] = {}  # one spelling per person, as the privacy module tells them
    for name in [*meeting.participants, *meeting.roles.values(),
                 *(entry.owner for entry in entries if entry.owner and not entry.private)]:
        if name_key(name):
            people.setdefault(name_key(name), name)
    return list(people.values())


def _agreed(meeting: Meeting, people: Sequence[str], consent_of: Collection[str]) -> set[str]:
    """The name keys of the people ``consent_of`` names, each exactly one of ``people``; the
    case-bringer must be among them, or nothing travels."""
    bringer = meeting.roles.get(Role.CASE_BRINGER.value)
    if not bringer or not any(same_name(typed, bringer) for typed in consent_of):
        raise ConsentError(_("Only the case-bringer can agree to share a case: name them with "
                             "--consent-of (as they are named in the meeting)."))
    agreed = set()
    for typed in consent_of:
        found = [person for person in people if same_name(typed, person)]
        if not found:
            raise ConsentError(_("No one called '{name}' is in this meeting.").format(
                name=typed))
        if len(found) > 1:  # consent must be someone's own: never a guess between two
            raise ConsentError(_("'{name}' could be {people}: give the whole name.").format(
                name=typed, people=", ".join(found)))
        agreed.add(name_key(found[0]))
    return agreed


def member_labels(meeting: Meeting, entries: Sequence[Entry],
                  consent_of: Collection[str]) -> dict[str, str]:
    """Spelling -> "Member 1", "Member 2", ... for every owner of a public action point who is
    neither in ``consent_of`` nor a protected name (a pupil keeps the meeting's pseudonym),
    numbered by their first action point. Each is found by their whole name and, when on the
    meeting's roster, by their first name alone; a first name that is someone else's too (one
    of the meeting's people, or a pupil's) becomes "a member": it could name either of them,
    and one of them did not agree. A first name that is someone's whole name stays theirs."""
    people = _people(meeting, entries)
    agreed = _agreed(meeting, people, consent_of)
    protected = {name_key(name) for name in meeting.protected_names}
    roster = {name_key(name) for name in [*meeting.participants, *meeting.roles.values()]}
    everyone = {name_key(name): name for name in [*people, *meeting.protected_names]
                if name_key(name)}
    first_names = Counter(name_key(name.split()[0]) for name in everyone.values())
    t = translator(meeting.language).gettext  # the labels are in the document's language
    label, anyone = t("Member {number}"), t("a member")
    labels: dict[str, str] = {}
    numbered: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: (e.created_at, e.id)):
        owner = entry.owner or ""
        key = name_key(owner)
        if entry.private or not key or key in agreed or key in protected or key in numbered:
            continue
        numbered[key] = labels[owner] = label.format(number=len(numbered) + 1)
        first = owner.split()[0]
        if key in roster and len(name_key(first)) > 1 and name_key(first) not in everyone:
            labels[first] = numbered[key] if first_names[name_key(first)] == 1 else anyone
    return labels


def carried_meeting(meeting: Meeting, entries: list[Entry], *, community: str,
                    parts: frozenset[Part], consent_of: Collection[str],
                    on: date) -> tuple[Meeting, list[Entry]]:
    """The meeting as it travels to ``community``: what ``carry`` writes there.
    ``consent_of``: who agreed, the case-bringer among them (see ``member_labels``)."""
    # One pass for pupils and colleagues together, so the longest name wins where they
    # overlap: "Daan Jansen" the pupil is not "Member 1 Jansen" for Daan the colleague.
    names = ChosenLabels({**pseudonymizer_for(meeting).mapping,
                          **member_labels(meeting, entries, consent_of)})
    shown = names.apply
    case = Case(title=shown(meeting.case.title), summary=shown(meeting.case.summary),
                focus_question=shown(meeting.case.focus_question)) \
        if Part.CASE in parts else Case()
    note = _("Shared from {community} on {date}, with the case-bringer's consent.").format(
        community=meeting.community, date=on.isoformat())
    shared = Meeting(
        id=meeting.id, community=community, date=meeting.date, protocol=meeting.protocol,
        created_at=meeting.created_at, language=meeting.language, goal=note, case=case,
        status=Status.ENDED, ended_at=meeting.ended_at or meeting.created_at,
        pseudonym_style=meeting.pseudonym_style)
    kinds = {_KINDS[part] for part in parts if part in _KINDS}
    travelling = [
        replace(entry, text=shown(entry.text), owner=names.apply_optional(entry.owner),
                author=None, history=[])
        for entry in entries if entry.kind in kinds and not entry.private
    ]
    return shared, travelling


def carry(source: Store, meeting_id: str, target: Store, *, community: str,
          parts: frozenset[Part], consent_of: Collection[str],
          on: date) -> tuple[Meeting, list[Entry]]:
    """Copy the chosen parts of a meeting into ``target`` as a meeting of ``community``;
    returns what was written. Safe to repeat (the copy is updated, never doubled)."""
    if source.layout.root.resolve() == target.layout.root.resolve():
        raise StoreError(_("The meeting is in that data folder already."))
    record = source.load(meeting_id)
    shared, entries = carried_meeting(record.meeting, record.entries, community=community,
                                      parts=parts, consent_of=consent_of, on=on)
    target.create_meeting(shared, entries)
    return shared, entries
