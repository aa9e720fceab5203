"""Laptops that sync by copying files: each a Store with a data folder and a state folder (its
device id) of its own; a sync copies every device's logs from one data folder to the others, as
a folder-sync engine does (each device writes only its own logs, so nothing conflicts). And a
meeting of CoP Inclusion started on the first of them and synced to all."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Meeting
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

START = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
PROTOCOL = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
TEAM = "CoP Inclusion"


class Laptop:
    """A laptop: its own data folder and state folder, a long-running store on them."""

    def __init__(self, root: Path, name: str, clock: FakeClock) -> None:
        self.data, self.state = root / name / "data", root / name / "state"
        self.clock = clock
        self.store = Store(self.data, clock, state=self.state)

    def fresh(self) -> Store:
        """The laptop as a new process (a `kring` command) sees it."""
        return Store(self.data, self.clock, state=self.state)


def sync(*laptops: Laptop) -> None:
    """Every device's files to every laptop: the longer copy of a log is the newer one."""
    for source in laptops:
        for target in laptops:
            if source is target or not (source.data / "devices").exists():
                continue
            for path in (source.data / "devices").rglob("*.jsonl"):
                copy = target.data / path.relative_to(source.data)
                if not copy.exists() or copy.stat().st_size < path.stat().st_size:
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, copy)


def started(laptops: tuple[Laptop, ...], clock: FakeClock) -> str:
    """A meeting started on the first laptop and synced to all; its id."""
    a = laptops[0]
    meeting = Meeting(id="m1", community=TEAM, date=START.date(), protocol=PROTOCOL,
                      created_at=START, participants=["Anouk", "Bram", "Chantal"],
                      roles={"facilitator": "Anouk", "case-bringer": "Bram"},
                      case=Case("Late again"))
    a.store.create_meeting(meeting)
    LiveMeeting(meeting, [], a.store, clock).start()
    sync(*laptops)
    return meeting.id


def live(laptop: Laptop, meeting_id: str) -> LiveMeeting:
    """The meeting as ``laptop`` holds it now."""
    record = laptop.store.load(meeting_id)
    return LiveMeeting(record.meeting, record.entries, laptop.store, laptop.clock)
