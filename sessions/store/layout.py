"""Where each kind of file lives: the synced data folder, and this device's state folder.

The data folder is what a sync engine (Syncthing, Nextcloud, OneDrive, git) carries between
members' laptops. Every file in it is written by one device only, and only ever appended to:

    <data>/devices/<device>/meetings/<meeting id>.jsonl   the events of one meeting
    <data>/devices/<device>/communities.jsonl             the events of the communities

A device is one installation's state folder (``KRING_STATE``). What only this device needs, or
can derive again from the logs, lives there and is never synced:

    <state>/device                                this device's id (made on first use)
    <state>/stores/<folder key>/index.sqlite       summaries and what lists read
    <state>/stores/<folder key>/locks/<name>.lock  one lock per log this device appends to
    <state>/stores/<folder key>/drafts/<meeting id>/<window id>.json   a window's typing
    <state>/stores/<folder key>/kept/<file name>.<why>-<UTC time>    bytes doctor kept

File names hold ids only, never a person's name.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kring.sessions.errors import ReadError
from kring.sessions.i18n import N_, _
from kring.sessions.store.files.atomic import describe_read

MEETING_KIND = "meeting"  # the kinds of whole-file JSON documents (files/envelope.py)
COMMUNITIES_KIND = "communities"
DRAFT_KIND = "draft"
LOG = ".jsonl"
JSON = ".json"
DEVICES = "devices"
MEETINGS = "meetings"
COMMUNITIES_LOG = f"communities{LOG}"
LEGACY_MEETINGS = "meetings"  # the folder of the one-file-per-meeting format (v1)
MIGRATED = "migrated-v1"  # where its files go once converted
CORRUPT_LABEL = "corrupt"
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# How sync engines name the copy they keep when one file changed in two places, and the files
# they write while a transfer is under way. Compiled when first needed (``_odd_names``): a
# folder of plain logs never needs them, and compiling them cost start-up a millisecond.
_CONFLICT = (r"^(?P<id>[A-Za-z0-9_-]{1,64})(?:\.sync-conflict-[0-9-]+-[A-Z0-9]+"  # Syncthing
             r"| \(conflicted copy [^)]*\)"  # Nextcloud, ownCloud
             r"|_conflict-[0-9-]+)\.jsonl$")  # older ownCloud
_TEMP = (r"^(?:\.syncthing\..*\.tmp|~syncthing~.*\.tmp|\..*\.~[0-9a-f]+|.*\.part"
         r"|\.~lock\..*#)$")


@functools.cache
def _odd_names() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of conflict copies and of transfers under way."""
    return re.compile(_CONFLICT), re.compile(_TEMP)


def check_id(meeting_id: str) -> str:
    """Ids become file names: refuse anything that could leave the folder."""
    if not _ID.fullmatch(meeting_id):
        raise ValueError(f"not a meeting id: {meeting_id!r}")
    return meeting_id


class Name(Enum):
    """What a file in a device's meetings folder is."""

    LOG = "log"
    CONFLICT = "conflict"  # a sync engine's conflict copy of a log: read as one more log
    TEMP = "temp"  # a sync engine's transfer under way
    STRAY = "stray"  # anything else: reported, never read


def classify(file_name: str) -> tuple[Name, str | None]:
    """What ``file_name`` is, and the meeting id it belongs to (for logs and their copies)."""
    if file_name.endswith(LOG):
        stem = file_name[: -len(LOG)]
        if _ID.fullmatch(stem):
            return Name.LOG, stem
    conflict, temp = _odd_names()
    if (match := conflict.match(file_name)) is not None:
        return Name.CONFLICT, match["id"]
    if temp.match(file_name):
        return Name.TEMP, None
    return Name.STRAY, None


def id_of(file_name: str) -> str | None:
    """The id of ``<id>.json`` (a draft, a meeting file of the older format); None for any
    other name."""
    if not file_name.endswith(JSON):
        return None
    stem = file_name[: -len(JSON)]
    return stem if _ID.fullmatch(stem) else None


def folder_key(data: Path) -> str:
    """A short name for a data folder, so one device's state serves several (a school's
    group and the CoP)."""
    resolved = os.path.realpath(os.path.expanduser(data))
    return hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def device_folders(devices: Path, sub: Callable[[str], Path]) -> list[Path]:
    """``sub(device)`` for every device folder in ``devices`` (sorted, so every device reads
    the same files in the same order), when it is a folder. A symbolic link that leads
    nowhere (a loop, a missing target) at a device folder or at ``sub`` is left out, as a
    folder that is not there: it holds nothing that could be read, and one such link must
    not stop every other device's meetings from listing. Doctor names it."""
    try:
        with os.scandir(devices) as entries:
            names = sorted(entry.name for entry in entries if _is_folder(entry))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise ReadError(_("the folder {folder}").format(folder=devices), describe_read(error),
                        error.errno) from error
    found = []
    for name in names:
        try:
            folder = sub(name)
        except ValueError:
            continue  # not a device id: a stray folder, reported by doctor
        if folder == devices / name or os.path.isdir(folder):  # False for a loop: no error
            found.append(folder)
    return found


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder, or a link to one. A link in a loop raises ELOOP from
    ``is_dir``: it is no folder."""
    try:
        return entry.is_dir()
    except OSError:
        return False


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path  # the data folder
    state: Path  # this device's state folder

    @property
    def devices(self) -> Path:
        return self.root / DEVICES

    def device_meetings(self, device: str) -> Path:
        return self.devices / check_id(device) / MEETINGS

    def meeting_log(self, device: str, meeting_id: str) -> Path:
        return self.device_meetings(device) / f"{check_id(meeting_id)}{LOG}"

    def communities_log(self, device: str) -> Path:
        return self.devices / check_id(device) / COMMUNITIES_LOG

    @property
    def legacy_meetings(self) -> Path:
        return self.root / LEGACY_MEETINGS

    @property
    def legacy_communities(self) -> Path:
        return self.root / f"communities{JSON}"

    @property
    def migrated(self) -> Path:
        return self.root / MIGRATED

    @property
    def device_file(self) -> Path:
        return self.state / "device"

    @property
    def local(self) -> Path:
        """This device's derived files for this data folder."""
        return self.state / "stores" / folder_key(self.root)

    @property
    def index(self) -> Path:
        return self.local / "index.sqlite"

    @property
    def locks(self) -> Path:
        return self.local / "locks"

    def lock(self, name: str) -> Path:
        """What ``file_lock`` locks for ``name`` (it adds the ``.lock`` itself)."""
        return self.locks / name

    @property
    def drafts(self) -> Path:
        return self.local / "drafts"

    @property
    def kept(self) -> Path:
        """Bytes ``doctor --repair`` took out of the data folder but could not place: a
        damaged line of a conflict copy, a log of a meeting whose header is nowhere. Kept on
        this device, never synced, never deleted by Kring."""
        return self.local / "kept"

    @property
    def legacy_drafts(self) -> Path:
        """Drafts as Krings before per-device logs kept them, in the data folder."""
        return self.root / "drafts"

    def draft(self, meeting_id: str) -> Path:
        """The one draft per meeting older Krings kept; read (and claimed) by new windows."""
        return self.legacy_drafts / f"{check_id(meeting_id)}{JSON}"

    def window_drafts(self, meeting_id: str) -> Path:
        """The folder of a meeting's drafts, one per window (see drafts.py)."""
        return self.drafts / check_id(meeting_id)

    def window_draft(self, meeting_id: str, window_id: str) -> Path:
        return self.window_drafts(meeting_id) / f"{check_id(window_id)}{JSON}"


def meeting_what(meeting_id: str) -> str:
    return _("meeting {id}").format(id=meeting_id)


def draft_what(meeting_id: str) -> str:
    return _("the draft of meeting {id}").format(id=meeting_id)


INDEX_WHAT = N_("the list of meetings")  # translated where shown
COMMUNITIES_WHAT = N_("the communities")
