"""The dot-votes of a step in the minutes: what the room voted on and how many votes each
option received, most votes first. An option whose entry is private (or gone) is left out:
the minutes never show what they would not show as an entry."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kring.sessions.documents.markdown import inline
from kring.sessions.model.meeting import Entry, Meeting

Translate = Callable[[str], str]


def vote_sections(meeting: Meeting, visible: Sequence[Entry], step_key: str, level: int,
                  t: Translate, where: str) -> list[str]:
    """``visible``: the entries the minutes show (not private, protected names hidden)."""
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
