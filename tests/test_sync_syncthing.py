"""Kring on a real sync engine: two Syncthing instances on this machine carry one data folder.

Each instance has its own home and its own Kring data folder; they know each other by address
on 127.0.0.1 only (no discovery, relays, NAT, upgrades or usage reports), share one folder and
notice changes with the file watcher. Entries added on both sides, by two devices (state
folders), appear on both. A conflict made on purpose, one device id (one state folder) writing
the same log on both sides while the two are disconnected, leaves Syncthing's conflict copy,
and both sides still load every entry.

Debian's `syncthing` package is needed (CI installs it); without the binary these tests skip.
``benchmarks/store.py`` uses ``SyncthingPair`` to time a commit's arrival.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.facade import Store
from kring.sessions.store.layout import Name, classify
from kring.templates import BUILTIN_DIR

SYNCTHING = shutil.which("syncthing")
FOLDER_ID = "kring-data"
TIMEOUT = 60.0
STARTS = 3
T = TypeVar("T")


# -- two Syncthings ------------------------------------------------------------------------------


def free_ports(count: int) -> list[int]:
    """Ports free now, all different: each held until all are found (a port just closed may
    be handed out again at once)."""
    with contextlib.ExitStack() as held:
        probes = [held.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def _set(parent: ET.Element, tag: str, text: str) -> None:
    found = parent.find(tag)
    if found is None:
        found = ET.SubElement(parent, tag)
    found.text = text


@dataclass
class Syncthing:
    """One Syncthing instance: its home (config, keys, database) and the folder it shares."""

    home: Path
    folder: Path
    gui_port: int
    listen_port: int
    device_id: str = ""
    api_key: str = ""
    process: subprocess.Popen[bytes] | None = None

    def generate(self) -> None:
        assert SYNCTHING is not None
        done = subprocess.run([SYNCTHING, "generate", "--home", str(self.home),
                               "--no-default-folder"], capture_output=True, text=True,
                              timeout=TIMEOUT, check=True)
        self.device_id = next(line.split("Device ID:")[1].strip()
                              for line in (done.stdout + done.stderr).splitlines()
                              if "Device ID:" in line)
        self.api_key = ET.parse(self.home / "config.xml").getroot().findtext("gui/apikey") or ""
        assert self.api_key

    def configure(self, peer: Syncthing) -> None:
        """Loopback only, nothing phoned home, the peer at its address, the folder shared."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        _set(root.find("gui"), "address", f"127.0.0.1:{self.gui_port}")  # type: ignore[arg-type]
        options = root.find("options")
        assert options is not None
        for tag, text in {
            "listenAddress": f"tcp://127.0.0.1:{self.listen_port}",
            "globalAnnounceEnabled": "false", "localAnnounceEnabled": "false",
            "relaysEnabled": "false", "natEnabled": "false", "autoUpgradeIntervalH": "0",
            "urAccepted": "-1", "startBrowser": "false", "crashReportingEnabled": "false",
            "reconnectionIntervalS": "1", "setLowPriority": "false",
        }.items():
            _set(options, tag, text)
        device = ET.SubElement(root, "device", id=peer.device_id, name=peer.home.name,
                               compression="metadata", introducer="false",
                               skipIntroductionRemovals="false", introducedBy="")
        _set(device, "address", f"tcp://127.0.0.1:{peer.listen_port}")
        _set(device, "paused", "false")
        _set(device, "autoAcceptFolders", "false")
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".stfolder").mkdir(exist_ok=True)  # the marker Syncthing looks for
        # A folder as the GUI makes one: from the defaults (a folder element missing one of
        # them reads as zero, and zero conflict copies would overwrite a conflict's loser).
        shared = copy.deepcopy(root.find("defaults/folder"))
        assert shared is not None
        for old in shared.findall("device"):
            shared.remove(old)
        shared.attrib.update(id=FOLDER_ID, label="Kring", path=str(self.folder),
                             type="sendreceive", rescanIntervalS="10", fsWatcherEnabled="true",
                             fsWatcherDelayS="1")
        for member in (self, peer):
            ET.SubElement(shared, "device", id=member.device_id, introducedBy="")
        assert shared.findtext("maxConflicts") not in (None, "0")
        root.append(shared)
        tree.write(path, encoding="unicode")

    def start(self) -> None:
        assert SYNCTHING is not None
        env = os.environ | {"STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1",
                            "STNORESTART": "1", "STHOMEDIR": str(self.home)}
        log = (self.home / "syncthing.log").open("wb")
        with log:
            self.process = subprocess.Popen(
                [SYNCTHING, "serve", "--home", str(self.home), "--no-browser", "--no-restart",
                 "--no-upgrade"], env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # Its own process group: Syncthing may run a monitor and a child.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)

    def api(self, method: str, path: str, body: object = None) -> Any:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
        return json.loads(text) if text.strip() else None

    def ready(self) -> bool:
        try:
            return self.api("GET", "/rest/system/ping") == {"ping": "pong"}
        except (OSError, urllib.error.URLError, ValueError):
            return False

    def connected(self, peer: Syncthing) -> bool:
        connections = self.api("GET", "/rest/system/connections")["connections"]
        return bool(connections.get(peer.device_id, {}).get("connected"))

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.home / "syncthing.log").read_text(errors="replace")[-3000:]
        return ""


def wait_for(what: str, check: Callable[[], T | None], timeout: float = TIMEOUT,
             every: float = 0.02) -> T:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(every)


@dataclass
class SyncthingPair:
    """Two Syncthings sharing one folder, started and connected; ``stop()`` ends both."""

    one: Syncthing
    two: Syncthing

    @classmethod
    @contextlib.contextmanager
    def running(cls, base: Path) -> Iterator[SyncthingPair]:
        pair = None
        try:
            for attempt in range(STARTS):
                pair = cls.start(base, attempt)
                if pair.wait_ready():
                    break
                pair.stop()  # a port taken meanwhile by another program: again, elsewhere
            else:
                raise AssertionError(f"Syncthing did not start in {STARTS} attempts")
            pair.wait_connected()
            yield pair
        except BaseException:
            for side in pair.sides if pair is not None else ():
                print(f"--- {side.home} log ---\n{side.log_tail()}")
            raise
        finally:
            if pair is not None:
                pair.stop()

    @classmethod
    def start(cls, base: Path, attempt: int) -> SyncthingPair:
        ports = free_ports(4)
        pair = cls(Syncthing(base / f"syncthing-one-{attempt}", base / "one" / "data",
                             *ports[:2]),
                   Syncthing(base / f"syncthing-two-{attempt}", base / "two" / "data",
                             *ports[2:]))
        for side in pair.sides:
            side.generate()
        for side, peer in ((pair.one, pair.two), (pair.two, pair.one)):
            side.configure(peer)
            side.start()
        return pair

    def wait_ready(self) -> bool:
        deadline = time.monotonic() + TIMEOUT / STARTS
        while time.monotonic() < deadline:
            if any(side.process is None or side.process.poll() is not None
                   for side in self.sides):
                return False
            if all(side.ready() for side in self.sides):
                return True
            time.sleep(0.1)
        return False

    @property
    def sides(self) -> tuple[Syncthing, Syncthing]:
        return self.one, self.two

    def both_connected(self) -> bool:
        return self.one.connected(self.two) and self.two.connected(self.one)

    def wait_connected(self) -> None:
        deadline = time.monotonic() + TIMEOUT
        while True:
            # A first dial that found the other not yet listening is retried only after a
            # while (tens of seconds at times): pausing and resuming dials again at once.
            with contextlib.suppress(AssertionError):
                wait_for("the two Syncthings to connect", self.both_connected, timeout=3,
                         every=0.1)
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the two Syncthings did not connect in {TIMEOUT:.0f} s")
            for side, peer in ((self.one, self.two), (self.two, self.one)):
                side.api("POST", f"/rest/system/pause?device={peer.device_id}")
                side.api("POST", f"/rest/system/resume?device={peer.device_id}")

    def pause(self) -> None:
        self.one.api("POST", f"/rest/system/pause?device={self.two.device_id}")
        wait_for("the two to disconnect",
                 lambda: not self.one.connected(self.two) and not self.two.connected(self.one),
                 every=0.1)

    def scan(self) -> None:
        """Have both look at their folder now (returns when done), as a laptop that was
        offline for a while has before it meets the other again."""
        for side in self.sides:
            side.api("POST", f"/rest/db/scan?folder={FOLDER_ID}")

    def resume(self) -> None:
        self.scan()
        self.one.api("POST", f"/rest/system/resume?device={self.two.device_id}")
        self.wait_connected()

    def stop(self) -> None:
        for side in self.sides:
            side.stop()


def arrival(store: Store, meeting_id: str, entry_id: str) -> float:
    """Seconds until ``store`` shows the entry (polled every 10 ms)."""
    started = time.monotonic()

    def there() -> bool:
        try:
            return any(e.id == entry_id for e in store.load(meeting_id).entries)
        except Exception:
            return False

    wait_for(f"entry {entry_id} to arrive", there, every=0.01)
    return time.monotonic() - started


# -- Kring on both sides -------------------------------------------------------------------------

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PROTOCOL = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))


def meeting(meeting_id: str) -> Meeting:
    return Meeting(id=meeting_id, community="CoP", date=date(2026, 11, 27), protocol=PROTOCOL,
                   created_at=START, participants=["Anna", "Bram", "Chris"],
                   roles={"facilitator": "Anna", "case-bringer": "Bram"})


def entry(entry_id: str, text: str, seconds: int = 0) -> Entry:
    return Entry(id=entry_id, kind=Capture.FACT, text=text, step="choose",
                 created_at=datetime.fromtimestamp(START.timestamp() + seconds, UTC),
                 author="Chris")


def ids(store: Store, meeting_id: str) -> set[str]:
    try:
        return {e.id for e in store.load(meeting_id).entries}
    except Exception:
        return set()


pytestmark = pytest.mark.skipif(SYNCTHING is None, reason="the syncthing binary is not "
                                "installed (Debian: apt-get install syncthing; CI installs it)")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncthingPair]:
    with SyncthingPair.running(tmp_path_factory.mktemp("syncthing")) as running:
        yield running


def test_entries_added_on_both_sides_appear_on_both(
        pair: SyncthingPair, tmp_path: Path, record_property: Callable[[str, object], None]
        ) -> None:
    one = Store(pair.one.folder, state=tmp_path / "state-one")
    two = Store(pair.two.folder, state=tmp_path / "state-two")
    one.create_meeting(meeting("both"), [entry("made", "made on one")])
    arrived = [arrival(two, "both", "made")]
    # Both sides at once, then each side's newest timed to the other.
    for number in range(5):
        one.add_entry("both", entry(f"one{number}", f"from one {number}", number))
        two.add_entry("both", entry(f"two{number}", f"from two {number}", number))
        arrived.append(arrival(two, "both", f"one{number}"))
        arrived.append(arrival(one, "both", f"two{number}"))
    expected = {"made"} | {f"{side}{n}" for side in ("one", "two") for n in range(5)}
    for store in (one, two):
        assert wait_for("every entry on both sides", lambda s=store: ids(s, "both") == expected)
    assert one.load("both").entries == two.load("both").entries
    for folder in (pair.one.folder, pair.two.folder):
        assert not [p for p in folder.rglob("*.jsonl") if classify(p.name)[0] is Name.CONFLICT]
    arrived.sort()
    median = arrived[len(arrived) // 2]
    record_property("commit_to_arrival_median_s", round(median, 3))
    record_property("commit_to_arrival_max_s", round(arrived[-1], 3))
    print(f"commit to arrival over Syncthing: median {median:.2f} s, max {arrived[-1]:.2f} s "
          f"({len(arrived)} commits)")


def test_one_device_writing_on_both_sides_while_apart_is_merged(
        pair: SyncthingPair, tmp_path: Path) -> None:
    # One state folder for both sides: one device id, so both append to the same log.
    state = tmp_path / "one-device"
    one = Store(pair.one.folder, state=state)
    two = Store(pair.two.folder, state=state)
    one.create_meeting(meeting("apart"), [entry("before", "before the break")])
    arrival(two, "apart", "before")
    pair.pause()
    try:
        for number in range(3):
            one.add_entry("apart", entry(f"here{number}", f"written on one {number}", number))
            two.add_entry("apart", entry(f"there{number}", f"written on two {number}", number))
        two.update_meeting("apart", lambda m: setattr(m, "goal", "set on two while apart"))
    finally:
        pair.resume()
    expected = {"before"} | {f"{where}{n}" for where in ("here", "there") for n in range(3)}
    log = "apart.jsonl"

    def conflict_copies() -> list[Path]:
        return [path for folder in (pair.one.folder, pair.two.folder)
                for path in folder.rglob("apart*.jsonl")
                if classify(path.name)[0] is Name.CONFLICT]

    # Syncthing keeps one version under the log's name and the other beside it.
    wait_for("Syncthing's conflict copy on both sides",
             lambda: {p.parent.parent.parent.parent for p in conflict_copies()}
             == {pair.one.folder, pair.two.folder})
    for folder in (pair.one.folder, pair.two.folder):
        assert len(list(folder.rglob(log))) == 1
    for side in (one, two):
        fresh = Store(side.layout.root, state=tmp_path / f"fresh-{side.layout.root.parent.name}")
        assert wait_for("every entry on both sides",
                        lambda s=fresh: ids(s, "apart") == expected)
        assert fresh.load("apart").meeting.goal == "set on two while apart"


def test_a_store_left_running_sees_the_merge_too(pair: SyncthingPair, tmp_path: Path) -> None:
    state = tmp_path / "one-device"
    one = Store(pair.one.folder, state=state)
    two = Store(pair.two.folder, state=state)
    one.create_meeting(meeting("running"), [entry("before", "before the break")])
    arrival(two, "running", "before")
    pair.pause()
    try:
        one.add_entry("running", entry("here", "written on one"))
        # Later and longer on two: Syncthing keeps the newer version under the log's name.
        two.add_entry("running", entry("there", "written on two, a little later"))
        two.update_meeting("running", lambda m: setattr(m, "goal", "set on two"))
    finally:
        pair.resume()
    expected = {"before", "here", "there"}
    fresh = Store(pair.one.folder, state=tmp_path / "fresh")
    wait_for("the merge on one", lambda: ids(fresh, "running") == expected)
    assert ids(one, "running") == expected
    assert one.load("running").meeting.goal == "set on two"
