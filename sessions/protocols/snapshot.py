"""The protocol a meeting keeps: read back from its snapshot and unfolded into steps.

A meeting stores the template data of its protocol as it was when the meeting was set up
(``protocol_to_data``), so a template edited later never changes a past meeting. Everything
that walks a meeting's steps (the live meeting, the minutes, the journal) unfolds them here,
so they all see the same steps with the same keys.
"""

from __future__ import annotations

from kring.sessions.model.meeting import Meeting
from kring.sessions.model.protocol import Protocol, Step
from kring.sessions.protocols.template_format import TemplateError
from kring.sessions.protocols.templates import parse_protocol


def snapshot_protocol(meeting: Meeting) -> Protocol:
    """The protocol stored in ``meeting``. Raises ``TemplateError`` when it cannot be read."""
    return parse_protocol(meeting.protocol, f"meeting {meeting.id}")


def meeting_steps(meeting: Meeting, protocol: Protocol | None = None) -> tuple[Step, ...]:
    """The steps of the meeting, blocks repeated once per participant (each the client of one
    round). ``protocol`` is the meeting's protocol when the caller holds it already (the live
    meeting); otherwise the snapshot is read, and one that cannot be read gives no steps:
    documents then still show every entry, under "Other notes"."""
    if protocol is None:
        try:
            protocol = snapshot_protocol(meeting)
        except TemplateError:
            return ()
    return protocol.steps(list(meeting.participants))
