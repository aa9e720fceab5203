"""Sharing that comes back after a crash on the same URLs.

While a meeting is shared, its server keeps its address, port, tokens and sessions in this
device's state folder (``share/<meeting>.access``, 0600; never the data folder, which a sync
engine carries to other schools). A clean stop removes the file: every URL is dead, as
before. After a crash (``kill -9``, a laptop that died) the file is still there, and sharing
the same meeting on the same address again within ``MAX_AGE`` takes it up: the codes on the
wall, the links in the room and every phone's session work again, and the phones reconnect
on their own. Older than that, or for another address, it is not used: a code scanned
yesterday opens nothing today.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kring.sessions.i18n import N_, _
from kring.sessions.share.journal import FOLDER, state_folder
from kring.sessions.store.files.atomic import atomic_write, ensure_private_dir, read_limited

MAX_AGE = timedelta(hours=6)  # a meeting and its break; not the next meeting
MAX_SIZE = 4 * 1024 * 1024  # 3,000 sessions of ~100 bytes, with room
_WHAT = N_("sharing's URLs")


@dataclass(frozen=True, slots=True)
class Resumable:
    port: int
    access: dict[str, Any]  # Access.record()


def resume_path(meeting_id: str, folder: Path | None = None) -> Path:
    if not meeting_id or not all(c.isalnum() or c in "-_" for c in meeting_id):
        raise ValueError(f"not a meeting id: {meeting_id!r}")
    return (folder or state_folder()) / FOLDER / f"{meeting_id}.access"


def keep(path: Path, address: str, port: int, access: dict[str, Any], now: datetime) -> None:
    """Write what sharing needs to come back (raises SaveError with a sentence)."""
    data = {"address": address, "port": port, "saved": now.isoformat(), "access": access}
    ensure_private_dir(path.parent, _(_WHAT))
    atomic_write(path, json.dumps(data, separators=(",", ":")).encode(), _(_WHAT))


def resumable(path: Path, address: str, now: datetime) -> Resumable | None:
    """What a crashed sharing of this meeting on ``address`` left, if it is recent; None
    when there is nothing (or nothing usable: unreadable, damaged, old, elsewhere)."""
    try:
        data = json.loads(read_limited(path, MAX_SIZE)[0])
        saved = datetime.fromisoformat(data["saved"])
        if data["address"] != address or not timedelta(0) <= now - saved <= MAX_AGE:
            return None
        port = int(data["port"])
        access = data["access"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not 0 < port < 65536 or not isinstance(access, dict):
        return None
    return Resumable(port, access)


def forget(path: Path) -> None:
    """Sharing stopped as it should: its URLs are dead, and so is this file."""
    with contextlib.suppress(OSError):
        path.unlink()
