"""Purging removes every file of the purged meetings, and nothing else."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.care.purge import execute, plan_purge, suggest_purge
from kring.sessions.documents.filenames import default_minutes_dir
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.files.locking import file_lock
from tests.support.minutes import write_minutes_of
from tests.support.store import Mutate

TEAM = "Team 4B"
BEFORE = date(2026, 1, 1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(root: Path) -> Store:
    return Store(root, FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)), lock_timeout=0.2)


def held(store: Store, meeting_id: str, day: date, community: str = TEAM,
         title: str = "Late again", *, notes: int = 2, draft: bool = True,
         minutes: bool = True) -> Meeting:
    made = Meeting(id=meeting_id, community=community, date=day, protocol={"id": "x"},
                   created_at=datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC),
                   participants=["Anna", "Bram"], case=Case(title=title))
    store.create_meeting(made)
    entries = []
    for number in range(notes):  # a second save leaves a backup
        entry = Entry(id=f"e{number}", kind=Capture.FACT, text="Daan was late", step="x",
                      created_at=made.created_at + timedelta(minutes=number))
        store.apply(meeting_id, AddEntry(entry))
        entries.append(entry)
    if draft:
        with store.draft_slot(meeting_id) as window:  # closed mid-sentence: the draft waits
            window.save("half a sentence")
    if minutes:
        write_minutes_of(default_minutes_dir(store.layout.root), made, entries, html=True)
    return made


def files(folder: Path) -> set[Path]:
    return {Path(path) / name for path, _, names in os.walk(folder) for name in names}


def test_purge_removes_every_file_of_the_purged_meetings_and_nothing_else(
        store: Store, root: Path, tmp_path: Path) -> None:
    minutes = default_minutes_dir(root)
    held(store, "old", date(2025, 1, 10))
    held(store, "same", date(2025, 1, 10))  # same day, same case: minutes named "-2"
    held(store, "other", date(2025, 3, 1), community="Bovenbouw")
    held(store, "new", date(2026, 6, 1))
    held(store, "today", date(2026, 1, 1))  # not before the date: stays
    # Another member's laptop added to the old meeting: its log goes too.
    laptop = Store(root, store.clock, state=tmp_path / "laptop")
    laptop.apply("old", AddEntry(Entry(id="e9", kind=Capture.FACT, text="Daan again", step="x",
                                       created_at=datetime(2025, 1, 10, 16, 0, tzinfo=UTC))))
    own = store.layout.device_meetings(store.device)
    # A sync engine's conflict copy of the old meeting's log, and older-format copies.
    copy = own / "old.sync-conflict-20250110-150000-ABCDEFG.jsonl"
    copy.write_bytes((own / "old.jsonl").read_bytes())
    migrated = store.layout.migrated / "meetings"
    migrated.mkdir(parents=True)
    (migrated / "old.json").write_bytes(b"{}")
    (migrated / "old.json.bak").write_bytes(b"{}")
    store.layout.legacy_drafts.mkdir()
    (store.layout.legacy_drafts / "old.json").write_bytes(b"a draft an older Kring kept")
    # A log whose header line broke: no date known, so it stays and is reported.
    (own / "lost.jsonl").write_bytes(b"{not json\n")
    # Minutes of the old meeting whose Markdown file was deleted: found by name.
    (minutes / "2025-01-10-team-4b-late-again-3.html").write_bytes(b"<p>old</p>")
    # Files Kring did not write, or cannot tie to a purged meeting, stay.
    (minutes / "notes.txt").write_text("mine")
    (minutes / "2025-01-10-something-else.txt").write_text("mine")
    (root / "my-export.md").write_text("mine")
    store.save_community(Community(TEAM, ["Anna", "Bram"]))

    plan = plan_purge(root, before=BEFORE, community="team 4b", minutes_dir=minutes)
    assert sorted(m.meeting_id for m in plan.meetings) == ["old", "same"]
    assert plan.undated == ["lost"]
    state = store.layout.local
    names = {re.sub(r"/[0-9a-f]{16}\.json", "/<window>.json",
                    path.relative_to(root if path.is_relative_to(root) else state).as_posix()
                    ).replace(f"{store.device}/", "<me>/").replace(f"{laptop.device}/", "<it>/")
             for path in plan.files}
    assert names == {
        "devices/<me>/meetings/old.jsonl", "devices/<it>/meetings/old.jsonl",
        "devices/<me>/meetings/old.sync-conflict-20250110-150000-ABCDEFG.jsonl",
        "migrated-v1/meetings/old.json", "migrated-v1/meetings/old.json.bak",
        "drafts/old.json", "drafts/old/<window>.json",
        "devices/<me>/meetings/same.jsonl", "drafts/same/<window>.json",
        "minutes/2025-01-10-team-4b-late-again.md", "minutes/2025-01-10-team-4b-late-again.html",
        "minutes/2025-01-10-team-4b-late-again-2.md",
        "minutes/2025-01-10-team-4b-late-again-2.html",
        "minutes/2025-01-10-team-4b-late-again-3.html",
    }
    before = files(root) | files(state)
    assert set(plan.files) <= before

    report = execute(plan, store)

    after = files(root) | files(state)

    def derived(path: Path) -> bool:  # this device's locks and index: made as it goes
        return "locks" in path.parts or path.name.startswith("index.sqlite")

    assert {p for p in before - after if not derived(p)} == set(plan.files)
    assert {p for p in after - before if not derived(p)} == set()
    assert report.complete and sorted(report.removed) == plan.files
    assert sorted(m.meeting_id for m in report.meetings) == ["old", "same"]
    assert report.indexed == 3
    listed = Store(root, store.clock).list_meetings()
    assert sorted(summary.id for summary in listed) == ["new", "other", "today"]
    assert [c.name for c in store.communities()] == [TEAM]
    assert sorted(os.listdir(store.layout.drafts)) == ["new", "other", "today"]


def test_without_a_community_every_community_is_purged(store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10))
    held(store, "other", date(2025, 3, 1), community="Bovenbouw")
    held(store, "new", date(2026, 6, 1))
    plan = plan_purge(root, before=BEFORE, community=None,
                      minutes_dir=default_minutes_dir(root))
    assert sorted(m.meeting_id for m in plan.meetings) == ["old", "other"]
    execute(plan, store)
    left = {path.name for path in files(root)}
    assert not any(name.startswith(("old.", "other.", "2025-")) for name in left)
    assert "new.jsonl" in left and "2026-06-01-team-4b-late-again.md" in left


def test_minutes_of_a_community_with_a_similar_name_stay(store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10), community="Team")
    held(store, "near", date(2025, 1, 10), community="Team 4B", title="")
    plan = plan_purge(root, before=BEFORE, community="Team",
                      minutes_dir=default_minutes_dir(root))
    assert [path.name for path in plan.minutes] == [
        "2025-01-10-team-late-again.html", "2025-01-10-team-late-again.md"]


def test_nothing_happens_without_execute(store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10))
    before = files(root)
    plan = plan_purge(root, before=BEFORE, community=None, minutes_dir=default_minutes_dir(root))
    assert plan.files and files(root) == before


def test_a_meeting_being_saved_elsewhere_stays(store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10), minutes=False)
    plan = plan_purge(root, before=BEFORE, community=None, minutes_dir=None)
    with file_lock(store.layout.lock("meeting-old"), "meeting old"):
        report = execute(plan, store)
    assert [meeting_id for meeting_id, _ in report.kept] == ["old"]
    assert store.load("old").meeting.date == date(2025, 1, 10)


def test_a_meeting_moved_past_the_date_meanwhile_stays(store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10), minutes=False)
    plan = plan_purge(root, before=BEFORE, community=None, minutes_dir=None)

    def move(meeting: Meeting) -> None:
        meeting.date = date(2026, 2, 1)

    store.apply("old", Mutate(move))
    report = execute(plan, store)
    assert [meeting_id for meeting_id, _ in report.kept] == ["old"]
    assert store.load("old").meeting.date == date(2026, 2, 1)


def test_the_plan_must_match_the_data_folder(store: Store, root: Path, tmp_path: Path) -> None:
    plan = plan_purge(root, before=BEFORE, community=None, minutes_dir=None)
    assert plan.empty
    with pytest.raises(ValueError):
        execute(plan, Store(tmp_path / "elsewhere"))


def test_retention_suggests_a_purge(store: Store) -> None:
    store.save_community(Community(TEAM, retention_days=365))
    store.save_community(Community("Bovenbouw", retention_days=365))
    store.save_community(Community("Forever"))
    held(store, "old", date(2025, 1, 10), draft=False, minutes=False)
    held(store, "recent", date(2026, 3, 1), community="Bovenbouw", draft=False, minutes=False)
    held(store, "ancient", date(2020, 3, 1), community="Forever", draft=False, minutes=False)
    assert suggest_purge(store, date(2026, 6, 1)) == [(TEAM, date(2025, 6, 1))]
    assert suggest_purge(store, date(2025, 6, 1)) == []


def test_a_window_open_on_a_purged_meeting_loses_its_draft_and_keeps_only_its_lock(
        store: Store, root: Path) -> None:
    held(store, "old", date(2025, 1, 10), draft=False, minutes=False)
    window = store.draft_slot("old")
    window.save("typed about Daan")
    report = execute(plan_purge(root, before=BEFORE), store)
    assert not window.path.exists()
    assert [path.name for path, _why in report.failed] == [f"{window.window_id}.json.lock"]
    window.close()
    assert not store.layout.window_drafts("old").exists()
