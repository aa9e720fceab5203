"""Two Syncthing instances on this machine carrying one data folder: each with its own home
and its own folder, knowing each other by address on 127.0.0.1 only (no discovery, relays,
NAT, upgrades or usage reports), sharing one folder and noticing changes with the file watcher.
``SyncthingPair.running`` starts and connects them and stops both afterwards.

Debian's `syncthing` package is needed (CI installs it): ``SYNCTHING`` is None without it.
tests/test_sync_syncthing.py runs Kring on them; benchmarks/store.py times a commit's arrival.
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
from pathlib import Path
from typing import Any, TypeVar

from kring.sessions.store.facade import Store

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
