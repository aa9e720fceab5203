"""What the room sent and the facilitator has not decided on yet: the queue, read from the
meeting's share journal (``journal.py``).

A contribution waits until the facilitator reveals it (it becomes a normal entry, written
through the live meeting like a typed line) or discards it; either is recorded as one more
line. So after a crash of the server or the app, every contribution not yet decided on comes
back, and one revealed just before the crash is recognised among the entries rather than
revealed twice. The queue is bounded: a room cannot fill the facilitator's disk.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import MAX_SCORE, MIN_SCORE, Entry, score_on_scale
from kring.sessions.model.votes import VoteResult
from kring.sessions.plain import plain_line
from kring.sessions.share.journal import Journal, ShareError
from kring.sessions.share.votes import VoteRound

MAX_TEXT = 1000  # characters: a question, a reflection, advice; not an essay
MAX_WAITING = 2000  # contributions waiting at once: a full room, for hours
# Waiting at once from one session, and from one address (a device): a participant with
# much to say waits for the facilitator like everyone; a script cannot fill the queue.
MAX_WAITING_EACH = 20
MAX_WAITING_ADDRESS = 40
_ID = re.compile(r"[A-Za-z0-9_-]{8,40}")  # what new_item_id gives, with room to spare
# A score as a phone's radio button sends it: one ASCII digit, nothing around it. Not int():
# that takes " 4", "+4", "4_0" and "٤" (an Arabic-Indic four) as well.
_SCORE = re.compile(f"[{MIN_SCORE}-{MAX_SCORE}]")
REVEALED = "revealed"
DISCARDED = "discarded"
RESTORED = "restored"  # a discard undone: the contribution waits again


@dataclass(frozen=True, slots=True)
class Contribution:
    id: str
    text: str
    kind: Capture
    author: str | None  # a participant's name as on the roster; None: anonymous
    step: str  # the phase it was written in
    at: datetime
    # The public id of the session that sent it (``Access``): a facilitator can discard
    # all of one phone's. None in a journal written before sessions had one.
    source: str | None = None
    # An evaluation's score, MIN_SCORE to MAX_SCORE; None for every other kind (and in a
    # journal written before phones could evaluate).
    score: int | None = None

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "type": "item", "id": self.id, "text": self.text, "kind": self.kind.value,
            "author": self.author, "step": self.step, "at": self.at.isoformat(),
            "source": self.source}
        if self.score is not None:  # a line as before for every other kind
            record["score"] = self.score
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Contribution | None:
        """The contribution a journal line holds, its text and name made plain once more: a
        journal written before the server made them plain may still wait to be revealed.
        A score is kept only on an evaluation and only within the scale: a hand-edited line
        is no score rather than one the average would be bent by."""
        try:
            kind = Capture(record["kind"])
            score = record.get("score")
            return cls(id=str(record["id"]), text=plain_line(str(record["text"])),
                       kind=kind,
                       author=plain_line(str(record["author"])) if record.get("author")
                       else None,
                       step=str(record["step"]), at=datetime.fromisoformat(record["at"]),
                       source=str(record["source"]) if record.get("source") else None,
                       score=score_on_scale(score) if kind is Capture.EVALUATION else None)
        except (KeyError, TypeError, ValueError):
            return None


class BadScore(ShareError):
    """A score that is none: missing, or anything but a whole number on the scale."""


def read_score(sent: str | None) -> int:
    """The score a phone sent, as its form field holds it: exactly one of "1" to "5". Raises
    BadScore, saying what is wanted (never repeating what was sent), for anything else:
    nothing, "0", "6", "4.5", " 4", a number of a thousand digits, markup."""
    if sent is None or _SCORE.fullmatch(sent) is None:
        raise BadScore(_("Choose a score from {low} to {high}.").format(low=MIN_SCORE,
                                                                       high=MAX_SCORE))
    return int(sent)


class QueueFull(ShareError):
    """The queue (the room's, a session's or an address's share of it) has no room now:
    the sender may try again later, unlike when the disk refuses."""


@dataclass(frozen=True, slots=True)
class Discarded:
    """What one discard took from the queue, for undoing it."""

    ids: tuple[str, ...]


def new_item_id() -> str:
    """A contribution's id, given with the form: sending the form twice sends it once."""
    return secrets.token_urlsafe(12)


def is_item_id(text: str) -> bool:
    """Whether ``text`` has the shape of an id this server gives (a contribution's, a
    voter's): a phone may send anything in its place, and anything else is refused."""
    return _ID.fullmatch(text) is not None


class ShareLog:
    """The journal folded into what it says now: the queue, and the vote (if one is open).
    Each process (the share server, the app) holds its own and calls ``refresh``."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._items: dict[str, Contribution] = {}  # waiting, in the order they came
        self._all: dict[str, Contribution] = {}  # every contribution seen: none counts twice
        self._resolved: set[str] = set()
        self._revealed: set[str] = set()  # never restored: it is an entry now
        self._reorder = False  # a restored item went to the end: put it back in its place
        self.vote: VoteRound | None = None  # the vote open now, or the last one closed
        self.changes = 0  # grows with every record folded in: cheap "anything new?"
        self.refresh(full=True)

    # -- reading -----------------------------------------------------------------------------

    def refresh(self, full: bool = False) -> bool:
        """Take in what was appended since; True when anything was."""
        records = self.journal.read_all() if full else self.journal.read_new()
        for record in records:
            self._fold(record)
        if self._reorder:
            self._reorder = False
            order = {key: n for n, key in enumerate(self._all)}
            self._items = dict(sorted(self._items.items(), key=lambda kv: order[kv[0]]))
        self.changes += len(records)
        return bool(records)

    def _fold(self, record: dict[str, Any]) -> None:
        kind = record["type"]
        if kind == "item":
            item = Contribution.from_record(record)
            if item is not None and item.id not in self._all:
                self._all[item.id] = item
                if item.id not in self._resolved:
                    self._items[item.id] = item
        elif kind == "resolved":
            key = str(record.get("id"))
            how = record.get("how")
            if how == RESTORED:
                self._restore(key)
            else:
                self._resolved.add(key)
                self._items.pop(key, None)
                if how == REVEALED:
                    self._revealed.add(key)
        elif kind == "vote":
            self.vote = VoteRound.from_record(record)
        elif kind == "ballot" and self.vote is not None and record.get("vote") == self.vote.id:
            voter, option = str(record.get("voter", "")), str(record.get("option", ""))
            if record.get("undo") is True:
                self.vote.take_back(voter, option)
            else:
                self.vote.ballot(voter, option)
        elif kind == "vote-counts" and self.vote is not None and record.get("id") == self.vote.id:
            self.vote.hidden = record.get("hidden") is True
        elif kind == "vote-closed" and self.vote is not None and record.get("id") == self.vote.id:
            self.vote.closed = True

    def _restore(self, item_id: str) -> None:
        """Back into the queue where it came, as if it had never been discarded."""
        item = self._all.get(item_id)
        if item is None or item_id not in self._resolved or item_id in self._revealed:
            return
        self._resolved.discard(item_id)
        self._items[item_id] = item
        self._reorder = True

    @property
    def waiting(self) -> list[Contribution]:
        return list(self._items.values())

    def waiting_from(self, sources: frozenset[str]) -> int:
        """How many waiting contributions came from one of ``sources``."""
        return sum(1 for item in self._items.values() if item.source in sources)

    @property
    def open_vote(self) -> VoteRound | None:
        return self.vote if self.vote is not None and not self.vote.closed else None

    # -- the room's side ---------------------------------------------------------------------

    # Each of these is two halves: what to write, decided from the state as it is (no
    # I/O), and the write. The share server decides on its event loop and writes in a
    # worker thread, one write at a time, then folds on the loop again (handlers.py): the
    # state is only ever read and changed on one thread, and a second request of the same
    # phone is decided after the first one's line is in.

    def submission(self, item: Contribution,
                   neighbours: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """The line that queues ``item``; none when it was queued before (the same form
        sent twice). ``neighbours``: the sources of the sender's address, which may have
        only so much waiting together. Raises ShareError when the queue (the room's, the
        session's or the address's) is full."""
        if item.id in self._all:
            return []
        if len(self._items) >= MAX_WAITING:
            raise QueueFull(_("The facilitator has too much waiting already: try again "
                              "later."))
        mine = frozenset({item.source}) if item.source else frozenset()
        if (mine and self.waiting_from(mine) >= MAX_WAITING_EACH) or (
                neighbours and self.waiting_from(neighbours | mine) >= MAX_WAITING_ADDRESS):
            raise QueueFull(_("You have much waiting already: send more when the "
                              "facilitator has taken some in."))
        return [item.record()]

    def balloting(self, voter: str, option: str, *, undo: bool = False
                  ) -> list[dict[str, Any]]:
        """The line that casts (or, ``undo``, takes back) ``voter``'s vote for ``option``;
        none when it would change nothing (see ``VoteRound.ballot`` and ``take_back``)."""
        vote = self.open_vote
        if vote is None:
            return []
        # Checked on a copy: a vote that does not count is not written at all.
        probe = VoteRound(vote.id, vote.step, vote.each, vote.options, vote.opened_at,
                          chosen={k: list(v) for k, v in vote.chosen.items()})
        if not (probe.take_back(voter, option) if undo else probe.ballot(voter, option)):
            return []
        record = {"type": "ballot", "vote": vote.id, "voter": voter, "option": option}
        return [{**record, "undo": True} if undo else record]

    def submit(self, item: Contribution, neighbours: frozenset[str] = frozenset()) -> bool:
        """Queue ``item`` now (see ``submission``); False when it was queued before.
        Raises ShareError when the queue is full or the disk refuses."""
        self.refresh()
        return self._commit(self.submission(item, neighbours))

    def ballot(self, voter: str, option: str) -> bool:
        """Record a vote; False when it does not count."""
        self.refresh()
        return self._commit(self.balloting(voter, option))

    def take_back(self, voter: str, option: str) -> bool:
        """Undo a vote of ``voter``'s while the vote is open; False when there is none."""
        self.refresh()
        return self._commit(self.balloting(voter, option, undo=True))

    def _commit(self, records: list[dict[str, Any]]) -> bool:
        self._append(records)
        return bool(records)

    # -- the facilitator's side --------------------------------------------------------------

    def reveal(self, item_id: str, live: LiveMeeting) -> Entry | None:
        """Make a waiting contribution a normal entry of the current phase, written like a
        typed line; then mark it revealed. None when it no longer waits."""
        self.refresh()
        item = self._items.get(item_id)
        if item is None:
            return None
        entry = live.add_entry(item.text, item.kind, author=item.author, score=item.score)
        self._resolve(item_id, REVEALED, entry.id)
        return entry

    def discard(self, item_id: str) -> bool:
        self.refresh()
        if item_id not in self._items:
            return False
        self._resolve(item_id, DISCARDED, None)
        return True

    def discard_all(self, source: str | None = None) -> Discarded:
        """Discard everything waiting (or only what ``source`` sent), in one write."""
        self.refresh()
        ids = tuple(item.id for item in self._items.values()
                    if source is None or item.source == source)
        self._append([{"type": "resolved", "id": key, "how": DISCARDED, "entry": None}
                      for key in ids])
        return Discarded(ids)

    def restore(self, discarded: Discarded) -> int:
        """Undo a discard: its items wait again where they came. How many came back (one
        revealed in the meantime, by another window, stays revealed)."""
        self.refresh()
        back = [key for key in discarded.ids if key in self._resolved and key in self._all
                and key not in self._revealed]
        self._append([{"type": "resolved", "id": key, "how": RESTORED, "entry": None}
                      for key in back])
        return len(back)

    def settle(self, entries: list[Entry]) -> None:
        """Mark revealed what already is an entry: the app may have crashed between writing
        the entry and recording that it did, and a contribution must not appear twice."""
        for item in self.waiting:
            if any(entry.text == item.text and entry.kind is item.kind
                   and entry.author == item.author and entry.score == item.score
                   and entry.created_at >= item.at
                   for entry in entries):
                self._resolve(item.id, REVEALED, None)

    def _resolve(self, item_id: str, how: str, entry_id: str | None) -> None:
        self._append([{"type": "resolved", "id": item_id, "how": how, "entry": entry_id}])

    def _append(self, records: list[dict[str, Any]]) -> None:
        if records:
            self.journal.append_all(records)
            self.refresh()

    def hide_counts(self, hidden: bool) -> bool:
        """Hide (or show) the open vote's running counts; False when no vote is open."""
        self.refresh()
        vote = self.open_vote
        if vote is None:
            return False
        self._append([{"type": "vote-counts", "id": vote.id, "hidden": hidden}])
        return True

    def open(self, vote: VoteRound) -> None:
        self.journal.append(vote.record())
        self.refresh()

    def close_vote(self, now: datetime) -> VoteResult | None:
        self.refresh()
        vote = self.open_vote
        if vote is None:
            return None
        self.journal.append({"type": "vote-closed", "id": vote.id})
        self.refresh()
        return vote.result(now)

    def forget_if_done(self) -> bool:
        """Remove the journal when nothing waits and no vote is open: what the room sent and
        the facilitator discarded does not stay on this device. True when removed."""
        self.refresh()
        if self._items or self.open_vote is not None:
            return False
        self.journal.remove()
        return True
