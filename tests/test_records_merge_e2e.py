"""Issue 21, end to end: no change a person made on one laptop is lost or reversed by the merge.

Three laptops, A, B and C, each a state folder (its device id) with its own copy of one data
folder, as in ``test_sync_devices.py``. Each scenario starts them from the same synced folder,
lets them change things offline with real ``kring`` commands, then exchanges the folders as a
sync engine does it (per file, the version that changed is copied over whole; a file deleted on
one laptop is deleted on the others, unless another changed it meanwhile: then the changed
version comes back, as Syncthing does) in several delivery orders, and checks every laptop with
real ``kring`` commands again.

Where Kring has no command for what a person does (moving to the next phase and adding
minutes are keys in the meeting screen; re-dating an action point and marking it done happen in
the app), a small script in a subprocess drives the same domain API the screen drives
(``LiveMeeting``, ``followup.mark``) on that laptop's folders: the scripts are in this file.

Records in question (rosters, research consent, meeting headers, an action point's status and
due date, purges) were stored as one whole field each, so the later write replaced the other
laptop's change; these tests fail until they merge per change.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

KRING = Path(sys.executable).with_name("kring")
PYTHON = sys.executable
TIMEOUT = 60
T = TypeVar("T")

# Each scenario runs dozens of `kring` commands on three laptops: seconds each, a minute in all.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not KRING.exists(),
                                 reason=f"no kring command next to {sys.executable}")]

COP = "CoP Inclusion"
TODAY = date.today()
# The day Bram withdraws from: before today, so that today's meetings fall after it.
WITHDRAWN_FROM = min(date(2026, 6, 1), TODAY - timedelta(days=30))
GRANTED_FROM = WITHDRAWN_FROM - timedelta(days=150)
REGRANTED_FROM = WITHDRAWN_FROM - timedelta(days=60)


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# -- a laptop ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass(frozen=True)
class Laptop:
    name: str
    home: Path

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def state(self) -> Path:
        return self.home / "state"

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        return env | {"KRING_DATA": str(self.data), "KRING_STATE": str(self.state),
                      "KRING_CONFIG": str(self.home / "config"), "LANG": "C.UTF-8"}

    def _run(self, argv: Sequence[str], status: int | None, what: str) -> Ran:
        done = subprocess.run(list(argv), env=self.env, capture_output=True, timeout=TIMEOUT,
                              check=False, cwd=self.home)
        ran = Ran(done.returncode, done.stdout.decode(errors="replace"),
                  done.stderr.decode(errors="replace"))
        assert "Traceback" not in ran.text, f"{self.name}: {what}\n{ran.text}"
        if status is not None:
            assert ran.code == status, (f"laptop {self.name}: `{what}` exited {ran.code}, "
                                        f"not {status}\n{ran.text}")
        return ran

    def kring(self, *argv: str, status: int | None = 0) -> Ran:
        """A real `kring` command on this laptop; by default it must exit 0."""
        return self._run([str(KRING), *argv], status, "kring " + " ".join(argv))

    def script(self, source: str, *argv: str) -> str:
        """A script on this laptop's folders (Kring's own API, as the app's screen uses it)."""
        return self._run([PYTHON, "-c", source, *argv], 0, f"script {argv}").out

    @property
    def device(self) -> str:
        return (self.state / "device").read_text().strip()

    def new_meeting(self, community: str, title: str, *participants: str,
                    start: bool = False) -> str:
        people = participants or ("Anouk", "Bram", "Chantal")
        found = json.loads(self.kring(
            "new", "--community", community, "--protocol", "incident",
            "--participant", *people, "--role", f"{people[0]}=facilitator",
            "--role", f"{people[1]}=case-bringer", "--title", title, "--json",
            *(["--start"] if start else [])).out)
        return str(found["id"])

    def add(self, meeting_id: str, line: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.kring("add", "--json", meeting_id, line).out)
        return found


def parallel(work: Callable[[T], Any], items: Iterable[T]) -> list[Any]:
    """``work`` on each item at once (threads: each runs a subprocess); re-raises a failure."""
    items = list(items)
    with ThreadPoolExecutor(max_workers=max(1, min(len(items), 6))) as pool:
        return list(pool.map(work, items))


def everywhere(laptops: Sequence[Laptop], commands: dict[str, tuple[str, ...]]
               ) -> dict[tuple[str, str], Ran]:
    """Each command on each laptop, all at once: (laptop, command's name) -> what it did.
    Exit statuses are for the caller to check."""
    jobs = [(laptop, name) for laptop in laptops for name in commands]
    done = parallel(lambda job: job[0].kring(*commands[job[1]], status=None), jobs)
    return {(laptop.name, name): ran for (laptop, name), ran in zip(jobs, done, strict=True)}


# -- the sync engine -----------------------------------------------------------------------------


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


Version = dict[str, int]  # a version vector: laptop -> how often it changed the file


def _dominates(one: Version, two: Version) -> bool:
    return all(one.get(key, 0) >= value for key, value in two.items())


class Engine:
    """A sync engine between laptops that meet two at a time (Syncthing, a Nextcloud client).

    Per file it keeps a version vector on each laptop. When two meet, each first notices what
    changed in its folder (a changed or deleted file counts as a new version by that laptop);
    then per file the newer version is copied over whole, or deleted, on the other. Versions
    made without seeing each other: a change beats a deletion (the changed file comes back);
    two changes keep the newer under the name and the other as a `.sync-conflict-` copy beside
    it (recorded in ``conflicts``: with Kring it must never happen)."""

    def __init__(self, laptops: Sequence[Laptop]) -> None:
        self.laptops = {laptop.name: laptop for laptop in laptops}
        first = files(laptops[0].data)
        for laptop in laptops:
            assert files(laptop.data) == first, "the laptops start from one synced folder"
        self.known: dict[str, dict[str, tuple[bytes | None, Version]]] = {
            laptop.name: {name: (content, {"start": 1}) for name, content in first.items()}
            for laptop in laptops}
        self.conflicts: list[str] = []

    def scan(self, name: str) -> None:
        now = files(self.laptops[name].data)
        known = self.known[name]
        for path in sorted(set(now) | set(known)):
            content = now.get(path)
            before = known.get(path)
            if before is None:
                known[path] = (content, {name: 1})
            elif before[0] != content:
                version = dict(before[1])
                version[name] = version.get(name, 0) + 1
                known[path] = (content, version)

    def meet(self, one: str, two: str) -> None:
        self.scan(one)
        self.scan(two)
        for path in sorted(set(self.known[one]) | set(self.known[two])):
            mine, theirs = self.known[one].get(path), self.known[two].get(path)
            if mine is None:
                assert theirs is not None
                self._put(one, path, *theirs)
            elif theirs is None:
                self._put(two, path, *mine)
            elif mine[1] == theirs[1]:
                continue
            elif _dominates(mine[1], theirs[1]):
                self._put(two, path, *mine)
            elif _dominates(theirs[1], mine[1]):
                self._put(one, path, *theirs)
            else:
                merged = {key: max(mine[1].get(key, 0), theirs[1].get(key, 0))
                          for key in {*mine[1], *theirs[1]}}
                if mine[0] is None or theirs[0] is None:  # a change beats a deletion
                    content = mine[0] if theirs[0] is None else theirs[0]
                else:
                    self.conflicts.append(path)
                    content, loser = sorted((mine[0], theirs[0]), key=len, reverse=True)
                    stem, _, ext = path.rpartition(".")
                    digest = hashlib.sha256(loser).hexdigest()[:7].upper()
                    copy_name = f"{stem}.sync-conflict-20260101-000000-{digest}.{ext}"
                    for side in (one, two):
                        self._put(side, copy_name, loser, {side: 1, "conflict": 1})
                for side in (one, two):
                    self._put(side, path, content, merged)

    def _put(self, name: str, path: str, content: bytes | None, version: Version) -> None:
        self.known[name][path] = (content, dict(version))
        target = self.laptops[name].data / path
        if content is None:
            target.unlink(missing_ok=True)
            return
        if target.is_file() and target.read_bytes() == content:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".syncthing.{target.name}.tmp")
        temp.write_bytes(content)
        os.replace(temp, target)

    def exchange(self, order: Sequence[tuple[str, str]],
                 between: Sequence[str] | None = None) -> None:
        """The laptops meet pairwise in ``order``; with ``between``, that kring command runs
        on both after each meeting (the laptops are in use meanwhile: their indexes follow)."""
        for one, two in order:
            self.meet(one, two)
            if between is not None:
                parallel(lambda name: self.laptops[name].kring(*between), (one, two))
        contents = [files(laptop.data) for laptop in self.laptops.values()]
        assert all(found == contents[0] for found in contents), "the exchange converged"


Order = tuple[tuple[str, str], ...]
PAIRS = (("A", "B"), ("B", "C"), ("C", "A"))
# Any order of the three pairs reaches every laptop with every change.
EVERY_ORDER: tuple[Order, ...] = tuple(itertools.permutations(PAIRS))
RING = (("A", "B"), ("B", "C"), ("C", "A"))  # A→B→C→A
REVERSE = (("A", "C"), ("C", "B"), ("B", "A"))  # A→C→B→A
C_HEARS_B_FIRST = (("B", "C"), ("A", "C"), ("A", "B"))
ORDERS: tuple[Order, ...] = (RING, REVERSE, C_HEARS_B_FIRST)


def order_name(order: Order) -> str:
    return ", ".join(f"{one}↔{two}" for one, two in order)


class Fleet:
    """Laptops A, B and C, started from one synced data folder made on A by ``setup``."""

    def __init__(self, base: Path, setup: Callable[[Laptop], T] | None = None) -> None:
        self.base = base
        self.laptops = [Laptop(name, base / name) for name in "ABC"]
        self.a, self.b, self.c = self.laptops
        for laptop in self.laptops:
            laptop.home.mkdir(parents=True)
        self.made = setup(self.a) if setup is not None else None
        for laptop in (self.b, self.c):
            shutil.copytree(self.a.data, laptop.data)
        self.engine = Engine(self.laptops)
        # Each laptop has looked at the folder once: its index holds what was synced.
        self.each("list", "--all")

    def each(self, *argv: str, status: int | None = 0) -> list[Ran]:
        return parallel(lambda laptop: laptop.kring(*argv, status=status), self.laptops)

    def sync(self, order: Order = RING, between: Sequence[str] | None = None) -> None:
        self.engine.exchange(order, between)
        assert self.engine.conflicts == [], "no file was changed on two laptops"

    @contextlib.contextmanager
    def offline(self) -> Iterator[None]:
        """What happens in the block happens on laptops that do not see each other."""
        yield

    def orders(self, orders: Sequence[Order], between: Sequence[str] | None = None
               ) -> Iterator[Order]:
        """The offline changes made so far, delivered in each order in turn: before each, every
        laptop's folders are put back as they were when the laptops went their ways."""
        kept = self.base / f"kept-{uuid.uuid4().hex[:8]}"
        for laptop in self.laptops:
            shutil.copytree(laptop.home, kept / laptop.name, symlinks=True)
        engine = copy.deepcopy(self.engine)
        for number, order in enumerate(orders):
            if number:
                for laptop in self.laptops:
                    shutil.rmtree(laptop.home)
                    shutil.copytree(kept / laptop.name, laptop.home, symlinks=True)
                self.engine = copy.deepcopy(engine)
            self.sync(order, between)
            yield order


@contextlib.contextmanager
def in_order(order: Order) -> Iterator[None]:
    """Name the delivery order in a failure."""
    try:
        yield
    except AssertionError as error:
        raise AssertionError(f"delivered {order_name(order)}: {error}") from error


# -- what laptops show ---------------------------------------------------------------------------


def roster(on: Laptop, community: str = COP) -> dict[str, str]:
    """Member -> their consent, as `kring community show` prints them."""
    lines = on.kring("community", "show", community).out.splitlines()
    members = {}
    for line in lines[1:]:
        if line.startswith("  "):
            name, _, rest = line.strip().partition("  (")
            members[name] = rest.rstrip(")")
    return members


def research_texts(on: Laptop, community: str = COP) -> list[str]:
    """The texts `kring research` exports (csv), as a researcher would receive them."""
    out = on.home / f"research-{uuid.uuid4().hex[:8]}.csv"
    on.kring("research", community, "--format", "csv", "--out", str(out))
    with out.open(encoding="utf-8", newline="") as table:
        return [row["text"] for row in csv.DictReader(table)]


UNREADABLE = "could not be read"


# -- scripts: what the meeting screen and the review do, on one laptop --------------------------

LIVE = """
import json, os, sys
from datetime import date
from kring.sessions.store.facade import Store
from kring.sessions.meeting.live import LiveMeeting

store = Store(os.environ["KRING_DATA"])
meeting_id, action, *rest = sys.argv[1:]
record = store.load(meeting_id)
live = LiveMeeting(record.meeting, record.entries, store, store.clock)
if action == "next-phase":
    live.next_phase()
elif action == "add-minutes":
    live.add_minutes(int(rest[0]))
elif action == "due":
    assert live.edit_entry(rest[0], due=date.fromisoformat(rest[1])) is not None
else:
    raise SystemExit("no such action: " + action)
assert live.unsaved == 0, live.last_error
"""

HEADER = """
import json, os, sys
from kring.sessions.store.facade import Store
from kring.sessions.meeting.live import LiveMeeting

store = Store(os.environ["KRING_DATA"])
record = store.load(sys.argv[1])
live = LiveMeeting(record.meeting, record.entries, store, store.clock)
moment = lambda value: None if value is None else value.isoformat()
print(json.dumps({
    "current_step": record.meeting.current_step,
    "steps": [step.key for step in live.steps],
    "runs": [{"step": run.step, "started_at": moment(run.started_at),
              "ended_at": moment(run.ended_at), "extra_seconds": run.extra_seconds}
             for run in record.meeting.runs],
}))
"""

MARK_DONE = """
import os, sys
from datetime import date
from kring.sessions.store.facade import Store
from kring.sessions.care.followup import mark
from kring.sessions.model.meeting import ActionStatus

store = Store(os.environ["KRING_DATA"])
source_id, entry_id, review_id = sys.argv[1:]
review = store.load(review_id).meeting
mark(store, (source_id, entry_id), ActionStatus.DONE, in_meeting=review, on=date.today())
"""


# -- 1 and 2: research consent -------------------------------------------------------------------

BRAM_SAYS = ["the first bell rang late", "nobody asked her at all"]
CHANTAL_SAYS = ["the class went quiet after that"]


def consent_setup(a: Laptop, *, chantal: bool = False) -> str:
    """A community of Anouk, Bram and Chantal (made by the meeting's setup) where Bram
    consents (and Chantal only with ``chantal``), and a meeting of today, after the day Bram
    will withdraw from, where both speak."""
    meeting_id = a.new_meeting(COP, "A quiet pupil")
    a.kring("consent", COP, "Bram", "grant", "--date", GRANTED_FROM.isoformat())
    if chantal:
        a.kring("consent", COP, "Chantal", "grant", "--date", GRANTED_FROM.isoformat())
    for text in BRAM_SAYS:
        a.add(meeting_id, f"f: {text} @Bram")
    for text in CHANTAL_SAYS:
        a.add(meeting_id, f"f: {text} @Chantal")
    return meeting_id


@dataclass(frozen=True)
class ConsentView:
    """What a laptop shows of consent: `kring community show` and `kring research`."""

    laptop: str
    roster: dict[str, str]
    exported: list[str]

    def bram_withdrawn(self) -> None:
        bram = self.roster["Bram"]
        assert "withdrawn" in bram and long_date(WITHDRAWN_FROM) in bram, (
            f"laptop {self.laptop} shows Bram's consent as: {bram!r}")
        for text in BRAM_SAYS:
            assert text not in self.exported, (
                f"laptop {self.laptop}: `kring research` exports Bram's words of {TODAY} "
                f"although he withdrew from {WITHDRAWN_FROM}: {self.exported}")

    def chantal_consents(self) -> None:
        chantal = self.roster["Chantal"]
        assert "never" not in chantal and "withdrawn" not in chantal, (
            f"laptop {self.laptop} lost Chantal's grant: {chantal!r}")
        assert set(CHANTAL_SAYS) <= set(self.exported), (
            f"laptop {self.laptop}: Chantal consents, yet research exports {self.exported}")


def consent_view(on: Laptop) -> ConsentView:
    shown, exported = parallel(lambda look: look(on), (roster, research_texts))
    return ConsentView(on.name, shown, exported)


def consent_views(laptops: Sequence[Laptop]) -> list[ConsentView]:
    return parallel(consent_view, laptops)


def test_a_withdrawal_survives_an_unrelated_grant_on_another_laptop(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, consent_setup)
    # The checks can tell: before anything, Bram's words go to research and Chantal's do not.
    exported = research_texts(fleet.a)
    assert set(BRAM_SAYS) <= set(exported) and not set(CHANTAL_SAYS) & set(exported)
    with fleet.offline():
        fleet.b.kring("consent", COP, "Bram", "withdraw", "--date", WITHDRAWN_FROM.isoformat())
        consent_view(fleet.b).bram_withdrawn()  # on B itself, at once
        time.sleep(0.05)  # C's grant is the later change, by the wall clock too
        fleet.c.kring("consent", COP, "Chantal", "grant", "--date", GRANTED_FROM.isoformat())
    for order in fleet.orders(ORDERS):
        with in_order(order):
            for view in consent_views(fleet.laptops):
                view.bram_withdrawn()
                view.chantal_consents()


@pytest.mark.parametrize("grant_last", [True, False],
                         ids=["grant-after-withdrawal", "withdrawal-after-grant"])
def test_a_withdrawal_concurrent_with_a_grant_wins_in_every_order(
        tmp_path: Path, grant_last: bool) -> None:
    fleet = Fleet(tmp_path, lambda a: consent_setup(a, chantal=True))
    withdraw = ("consent", COP, "Bram", "withdraw", "--date", WITHDRAWN_FROM.isoformat())
    # A grant that changes something on A (from a later day): a decision of its own.
    grant = ("consent", COP, "Bram", "grant", "--date", REGRANTED_FROM.isoformat())
    with fleet.offline():  # neither laptop has seen the other's decision
        first, second = ((fleet.b, withdraw), (fleet.a, grant)) if grant_last \
            else ((fleet.a, grant), (fleet.b, withdraw))
        first[0].kring(*first[1])
        time.sleep(0.05)
        second[0].kring(*second[1])
    # Every order where a last-writer-wins rule could let the grant win; three otherwise.
    for order in fleet.orders(EVERY_ORDER if grant_last else ORDERS):
        with in_order(order):
            for view in consent_views(fleet.laptops):
                view.bram_withdrawn()
                view.chantal_consents()


def test_a_grant_made_after_seeing_a_withdrawal_counts(tmp_path: Path) -> None:
    """The cautious rule is no one-way door: a grant that saw the withdrawal is a new decision."""
    fleet = Fleet(tmp_path, lambda a: consent_setup(a, chantal=True))
    fleet.b.kring("consent", COP, "Bram", "withdraw", "--date", WITHDRAWN_FROM.isoformat())
    fleet.sync(RING)
    for view in consent_views(fleet.laptops):
        view.bram_withdrawn()
    fleet.a.kring("consent", COP, "Bram", "grant", "--date", GRANTED_FROM.isoformat())
    for order in fleet.orders((REVERSE, C_HEARS_B_FIRST)):
        with in_order(order):
            for view in consent_views(fleet.laptops):
                assert "withdrawn" not in view.roster["Bram"], view
                assert set(BRAM_SAYS) <= set(view.exported), view


# -- 3: rosters ----------------------------------------------------------------------------------

FIRST_ROSTER = {"Anouk", "Bram", "Chantal"}


def roster_setup(a: Laptop) -> None:
    a.new_meeting(COP, "Where it started", "Anouk", "Bram", "Chantal")


def test_members_added_on_three_laptops_are_all_on_every_roster(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, roster_setup)
    with fleet.offline():
        fleet.a.kring("community", "add-member", COP, "Dev")
        fleet.b.kring("community", "add-member", COP, "Eva")
        # `kring new` puts its participants on the roster, as the app's setup does.
        fleet.c.new_meeting(COP, "Who saw it", "Anouk", "Bram", "Fleur")
    everyone = FIRST_ROSTER | {"Dev", "Eva", "Fleur"}
    for order in fleet.orders(ORDERS):
        with in_order(order):
            for laptop, shown in zip(fleet.laptops, parallel(roster, fleet.laptops),
                                     strict=True):
                assert set(shown) == everyone, f"the roster on {laptop.name}: {sorted(shown)}"


def _everyone_knows_dev(fleet: Fleet) -> None:
    fleet.a.kring("community", "add-member", COP, "Dev")
    fleet.sync(RING)
    for shown in parallel(roster, fleet.laptops):
        assert "Dev" in shown


def test_a_member_removed_where_all_had_seen_them_is_gone_everywhere(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, roster_setup)
    _everyone_knows_dev(fleet)
    with fleet.offline():
        fleet.a.kring("community", "remove-member", COP, "Dev")
        fleet.c.kring("community", "add-member", COP, "Fleur")  # unrelated, later
    for order in fleet.orders(ORDERS):
        with in_order(order):
            for laptop, shown in zip(fleet.laptops, parallel(roster, fleet.laptops),
                                     strict=True):
                assert set(shown) == FIRST_ROSTER | {"Fleur"}, (
                    f"the roster on {laptop.name}: {sorted(shown)}")


def test_a_member_added_again_concurrently_with_a_removal_stays(tmp_path: Path) -> None:
    """B adds Dev again while A, not having seen that, takes Dev off: the add wins (a remove
    removes only what its laptop had seen). A's removal is the later one by the clock."""
    fleet = Fleet(tmp_path, roster_setup)
    _everyone_knows_dev(fleet)
    with fleet.offline():
        fleet.b.kring("community", "add-member", COP, "Dev")
        time.sleep(0.05)
        fleet.a.kring("community", "remove-member", COP, "Dev")
    for order in fleet.orders(ORDERS):
        with in_order(order):
            for laptop, shown in zip(fleet.laptops, parallel(roster, fleet.laptops),
                                     strict=True):
                assert set(shown) == FIRST_ROSTER | {"Dev"}, (
                    f"the roster on {laptop.name}: {sorted(shown)}")


def test_a_member_added_on_one_laptop_survives_a_removal_of_that_name_elsewhere(
        tmp_path: Path) -> None:
    """B adds Dev; A, not having seen that, adds Dev and takes Dev off again (later, by the
    clock): A's removal removes only the Dev A had seen, so B's stays."""
    fleet = Fleet(tmp_path, roster_setup)
    with fleet.offline():
        fleet.b.kring("community", "add-member", COP, "Dev")
        time.sleep(0.05)
        fleet.a.kring("community", "add-member", COP, "Dev")
        fleet.a.kring("community", "remove-member", COP, "Dev")
    for order in fleet.orders(ORDERS):
        with in_order(order):
            for laptop, shown in zip(fleet.laptops, parallel(roster, fleet.laptops),
                                     strict=True):
                assert set(shown) == FIRST_ROSTER | {"Dev"}, (
                    f"the roster on {laptop.name}: {sorted(shown)}")


# -- 4: the meeting's header ---------------------------------------------------------------------


def header(on: Laptop, meeting_id: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(on.script(HEADER, meeting_id))
    return found


def test_next_phase_on_one_laptop_and_minutes_added_on_another_both_stay(
        tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, lambda a: a.new_meeting(COP, "Late again", start=True))
    meeting_id = str(fleet.made)
    before = header(fleet.a, meeting_id)
    assert before["current_step"] == 0 and len(before["runs"]) == 1
    first, second = before["steps"][0], before["steps"][1]
    with fleet.offline():
        fleet.a.script(LIVE, meeting_id, "next-phase")
        time.sleep(0.05)
        fleet.b.script(LIVE, meeting_id, "add-minutes", "2")  # later, by the clock
    assert header(fleet.b, meeting_id)["runs"][0]["extra_seconds"] == 120
    for order in fleet.orders(ORDERS, between=("list",)):
        with in_order(order):
            for laptop, found in zip(fleet.laptops,
                                     parallel(lambda on: header(on, meeting_id), fleet.laptops),
                                     strict=True):
                where = f"laptop {laptop.name}: {found}"
                assert found["current_step"] == 1, where
                runs = found["runs"]
                assert [run["step"] for run in runs] == [first, second], where
                assert runs[0]["ended_at"] is not None, f"the first run never closed; {where}"
                assert runs[0]["extra_seconds"] == 120, f"B's two minutes are lost; {where}"
                assert runs[1]["ended_at"] is None, where


# -- 5: an action point --------------------------------------------------------------------------

FIRST_DUE, NEW_DUE = date(2030, 3, 1), date(2030, 4, 15)


def action_setup(a: Laptop) -> tuple[str, str, str]:
    source = a.new_meeting(COP, "The mentor")
    entry = a.add(source, f"a: Call the mentor @Bram {FIRST_DUE.isoformat()}")
    assert entry["due"] == FIRST_DUE.isoformat()
    review = a.new_meeting(COP, "The next case")  # held later: where the point is reviewed
    return source, str(entry["id"]), review


def action_row(on: Laptop) -> str:
    table = on.kring("actions", "--status", "all", "--format", "md").out
    rows = [line for line in table.splitlines() if "Call the mentor" in line]
    assert len(rows) == 1, f"laptop {on.name}:\n{table}"
    return rows[0]


def test_marking_done_keeps_a_due_date_changed_on_another_laptop(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, action_setup)
    source, entry_id, review = fleet.made  # type: ignore[misc]
    with fleet.offline():
        fleet.b.script(LIVE, source, "due", entry_id, NEW_DUE.isoformat())
        time.sleep(0.05)
        fleet.a.script(MARK_DONE, source, entry_id, review)  # later, by the clock
    assert long_date(NEW_DUE) in action_row(fleet.b)
    assert "done" in action_row(fleet.a).split("|")[1]
    for order in fleet.orders(ORDERS, between=("actions",)):
        with in_order(order):
            seen = everywhere(fleet.laptops, {
                "actions": ("actions", "--status", "all", "--format", "md"),
                "minutes": ("export", source, "--out", "-")})
            for laptop in fleet.laptops:
                table = seen[laptop.name, "actions"].out
                rows = [line for line in table.splitlines() if "Call the mentor" in line]
                assert len(rows) == 1, f"laptop {laptop.name}:\n{table}"
                cells = [cell.strip() for cell in rows[0].strip().strip("|").split("|")]
                assert "done" in cells, f"laptop {laptop.name} lost A's 'done': {rows[0]}"
                assert long_date(NEW_DUE) in rows[0] and long_date(FIRST_DUE) not in rows[0], (
                    f"laptop {laptop.name} lost B's new due date: {rows[0]}")
                minutes = seen[laptop.name, "minutes"]
                assert minutes.code == 0 and (
                    f"- [x] **Bram**: Call the mentor (due {long_date(NEW_DUE)}"
                    in minutes.out), f"laptop {laptop.name}'s minutes:\n{minutes.text}"


# -- 6: a purge meets an offline laptop ----------------------------------------------------------


def purge_setup(a: Laptop) -> tuple[str, str, str]:
    purged = [a.new_meeting("Old group", title) for title in ("Long ago", "Longer ago")]
    for meeting_id in purged:
        a.add(meeting_id, "f: said in the old group @Bram")
    kept = a.new_meeting(COP, "Still here")
    a.add(kept, "f: stays @Chantal")
    a.add(kept, "a: Write to the parents @Chantal 2030-05-01")
    return purged[0], purged[1], kept


def assert_no_warning(ran: Ran, on: Laptop, what: str) -> None:
    assert UNREADABLE not in ran.text, f"laptop {on.name}, {what}:\n{ran.text}"


def test_a_purge_meets_a_laptop_that_added_to_the_meeting_offline(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, purge_setup)
    offline_one, purged_too, kept = fleet.made  # type: ignore[misc]
    # C wrote to the meeting before (so it has a log of it of its own), all synced.
    fleet.c.add(offline_one, "f: C's first line @Chantal")
    fleet.sync(RING)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    with fleet.offline():
        fleet.a.kring("purge", "--before", tomorrow, "--community", "Old group", "--yes")
        listed = fleet.a.kring("list", "--all").out
        assert offline_one not in listed and purged_too not in listed and kept in listed
        fleet.c.add(offline_one, "f: typed on C while offline @Chantal")
    looks = {"list": ("list", "--all"), "actions": ("actions", "--status", "all"),
             "export": ("export", kept, "--out", "-"), "doctor": ("doctor",)}
    for order in fleet.orders(ORDERS[:2], between=("list", "--all")):
        with in_order(order):
            seen = everywhere(fleet.laptops, looks)
            for laptop in fleet.laptops:
                for name in ("list", "actions", "export"):
                    ran = seen[laptop.name, name]
                    assert ran.code == 0 and UNREADABLE not in ran.text, (
                        f"laptop {laptop.name}, kring {name} exited {ran.code}:\n{ran.text}")
                listed = seen[laptop.name, "list"].out
                assert offline_one not in listed and purged_too not in listed, (
                    f"a purged meeting is back on {laptop.name}:\n{listed}")
                assert kept in listed
                assert "Write to the parents" in seen[laptop.name, "actions"].out
                assert "stays" in seen[laptop.name, "export"].out
                doctor = seen[laptop.name, "doctor"]
                assert doctor.code == 1 and "purge" in doctor.text.lower(), (
                    f"laptop {laptop.name}: doctor should report lines waiting under a purge "
                    f"(exit 1), exited {doctor.code}:\n{doctor.text}")
            # The laptop whose lines wait tidies its own files, saying so.
            repaired = fleet.c.kring("doctor", "--repair", status=None)
            assert "purge" in repaired.text.lower(), repaired.text
            fleet.c.kring("doctor")  # exits 0
            fleet.sync(order, between=("list", "--all"))
            after = everywhere(fleet.laptops, {"doctor": ("doctor",), "list": looks["list"]})
            for laptop in fleet.laptops:
                doctor, listed = after[laptop.name, "doctor"], after[laptop.name, "list"]
                assert doctor.code == 0, f"doctor on {laptop.name}:\n{doctor.text}"
                assert listed.code == 0 and UNREADABLE not in listed.text, listed.text
                assert offline_one not in listed.out and kept in listed.out
            leftovers = [path for path in fleet.a.data.rglob("*")
                         if path.parent.name == "meetings" and offline_one in path.name]
            assert leftovers == [], f"logs of the purged meeting are still there: {leftovers}"


# -- 7: a laptop whose clock is an hour ahead ----------------------------------------------------

AHEAD_MS = 3_600_000


def set_clock_ahead(on: Laptop) -> list[Path]:
    """Kring reads no fake clock: the laptop's own log lines get the stamps a clock an hour
    ahead would have given them (`t`, milliseconds), as written by that laptop."""
    logs = sorted((on.data / "devices" / on.device).rglob("*.jsonl"))
    assert logs, f"laptop {on.name} wrote nothing"
    for log in logs:
        lines = []
        for line in log.read_bytes().splitlines():
            event = json.loads(line)
            event["t"] += AHEAD_MS
            lines.append(json.dumps(event, ensure_ascii=False, separators=(",", ":"),
                                    sort_keys=True).encode())
        temp = log.with_name(f".{log.name}.ahead")
        temp.write_bytes(b"\n".join(lines) + b"\n")
        os.replace(temp, log)
    return logs


def test_doctor_names_a_laptop_whose_clock_is_an_hour_ahead(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, lambda a: consent_setup(a, chantal=True))
    meeting_id = str(fleet.made)
    with fleet.offline():
        fleet.c.add(meeting_id, "f: written an hour ahead @Chantal")
        fleet.c.kring("community", "add-member", COP, "Fleur")
        fleet.b.add(meeting_id, "f: written on time @Bram")
        set_clock_ahead(fleet.c)
    skewed, on_time = fleet.c.device, fleet.b.device
    assert skewed not in fleet.a.kring("doctor", status=None).text
    for order in fleet.orders((RING, REVERSE)):
        with in_order(order):
            seen = everywhere((fleet.a, fleet.b), {"doctor": ("doctor",)})
            for laptop in (fleet.a, fleet.b):
                doctor = seen[laptop.name, "doctor"]
                assert skewed in doctor.text, (
                    f"doctor on {laptop.name} does not name C ({skewed}), whose events are "
                    f"stamped an hour ahead:\n{doctor.text}")
                assert on_time not in doctor.text, doctor.text


# -- scenario 1 once more, over two real Syncthings ----------------------------------------------


def _synced_files(folder: Path) -> dict[str, bytes]:
    return {name: content for name, content in files(folder).items()
            if not name.startswith((".stfolder", ".stversions"))
            and "syncthing" not in name.rsplit("/", 1)[-1]}


@pytest.mark.e2e
def test_a_withdrawal_survives_an_unrelated_grant_over_syncthing(tmp_path: Path) -> None:
    from tests.support.syncthing import SYNCTHING, SyncthingPair, wait_for

    if SYNCTHING is None:
        pytest.skip("the syncthing binary is not installed (Debian: apt-get install syncthing)")
    base = tmp_path / "syncthing"
    # SyncthingPair shares base/one/data and base/two/data: laptops B and C.
    b, c = Laptop("B", base / "one"), Laptop("C", base / "two")
    with SyncthingPair.running(base) as pair:
        consent_setup(b)

        def same() -> bool:
            return _synced_files(b.data) == _synced_files(c.data)

        wait_for("the community and the meeting on C", same, every=0.1)
        assert set(BRAM_SAYS) <= set(research_texts(c))
        pair.pause()
        try:
            b.kring("consent", COP, "Bram", "withdraw", "--date", WITHDRAWN_FROM.isoformat())
            time.sleep(0.05)
            c.kring("consent", COP, "Chantal", "grant", "--date", GRANTED_FROM.isoformat())
            # What each wrote offline: its own device's files, as they are now.
            written = {name: content for laptop in (b, c)
                       for name, content in _synced_files(laptop.data).items()
                       if name.startswith(f"devices/{laptop.device}/")}
        finally:
            pair.resume()

        def arrived() -> bool:
            return same() and set(_synced_files(b.data).items()) >= set(written.items())

        wait_for("both decisions on both laptops", arrived, every=0.1)
        for view in consent_views((b, c)):
            view.bram_withdrawn()
            view.chantal_consents()
