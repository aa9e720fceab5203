"""Carrying a case from a school's intervision group to the CoP: the second loop.

A teacher brings a case to the intervision group at their own school; what the group learned
from it, and the action points it led to, may be worth the wider Community of Practice. With
the case-bringer's consent, ``carry`` copies the chosen parts into the CoP's data folder (its
own store, carried by its own sync engine) as a meeting of the CoP. Only what is chosen
travels, and only as the room may see it: the case and the notes with the meeting's protected
names already replaced by pseudonyms, no private entry, no participant list, no roles, no
authors (an action point keeps its owner). Carrying the same meeting again updates the same
copy: the copy keeps the meeting's id.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Case, Entry, Meeting, Status
from kring.sessions.model.privacy import pseudonymizer_for, redact_entry, same_name
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.store.facade import Store


class Part(StrEnum):
    CASE = "case"  # its title, summary and focus question
    LEARNINGS = "learnings"
    ACTIONS = "actions"


_KINDS = {Part.LEARNINGS: Capture.LEARNING, Part.ACTIONS: Capture.ACTION}


class ConsentError(StoreError):
    """The case-bringer's consent is what lets a case leave its group."""


def carried_meeting(meeting: Meeting, entries: list[Entry], *, community: str,
                    parts: frozenset[Part], consent_of: str, on: date) -> tuple[Meeting,
                                                                                list[Entry]]:
    """The meeting as it travels to ``community``: what ``carry`` writes there."""
    bringer = meeting.roles.get(Role.CASE_BRINGER.value)
    if not bringer or not same_name(consent_of, bringer):
        raise ConsentError(_("Only the case-bringer can agree to share a case: name them with "
                             "--consent-of (as they are named in the meeting)."))
    hide = pseudonymizer_for(meeting)
    case = Case(title=hide.apply(meeting.case.title), summary=hide.apply(meeting.case.summary),
                focus_question=hide.apply(meeting.case.focus_question)) \
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
        replace(redact_entry(entry, hide), author=None, history=[])
        for entry in entries if entry.kind in kinds and not entry.private
    ]
    return shared, travelling


def carry(source: Store, meeting_id: str, target: Store, *, community: str,
          parts: frozenset[Part], consent_of: str, on: date) -> tuple[Meeting, list[Entry]]:
    """Copy the chosen parts of a meeting into ``target`` as a meeting of ``community``;
    returns what was written. Safe to repeat (the copy is updated, never doubled)."""
    if source.layout.root.resolve() == target.layout.root.resolve():
        raise StoreError(_("The meeting is in that data folder already."))
    record = source.load(meeting_id)
    shared, entries = carried_meeting(record.meeting, record.entries, community=community,
                                      parts=parts, consent_of=consent_of, on=on)
    target.create_meeting(shared, entries)
    return shared, entries
