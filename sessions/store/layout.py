"""Where each kind of file lives inside the data folder.

    <data>/meetings/<meeting id>.json   one TinyDB file per meeting (+ .bak, .lock)
    <data>/drafts/<meeting id>/<window id>.json   the text a window was still typing (+ .lock,
                                        held by that window for as long as it is open)
    <data>/drafts/<meeting id>.json     a draft from before drafts were kept per window
    <data>/index.json                   summaries for lists; rebuilt from meetings/ when lost
    <data>/communities.json             communities and their rosters (+ .bak, .lock)

File names hold meeting ids only, never a person's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kring.sessions.i18n import N_, _

MEETING_KIND = "meeting"
COMMUNITIES_KIND = "communities"
INDEX_KIND = "index"
DRAFT_KIND = "draft"
JSON = ".json"
CORRUPT_LABEL = "corrupt"
ORPHAN_LABEL = "orphan"
KEPT_LABEL = "kept"  # a backup moved aside when its meeting was saved anew from memory
SET_ASIDE_LABELS = (CORRUPT_LABEL, ORPHAN_LABEL, KEPT_LABEL)
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def check_id(meeting_id: str) -> str:
    """Meeting ids become file names: refuse anything that could leave the folder."""
    if not _ID.fullmatch(meeting_id):
        raise ValueError(f"not a meeting id: {meeting_id!r}")
    return meeting_id


def id_of(file_name: str) -> str | None:
    """The meeting id of ``<id>.json``; None for any other name (backups, locks, ...)."""
    if not file_name.endswith(JSON):
        return None
    stem = file_name[: -len(JSON)]
    return stem if _ID.fullmatch(stem) else None


@dataclass(frozen=True, slots=True)
class Layout:
    root: Path

    @property
    def meetings(self) -> Path:
        return self.root / "meetings"

    @property
    def drafts(self) -> Path:
        return self.root / "drafts"

    @property
    def index(self) -> Path:
        return self.root / f"index{JSON}"

    @property
    def communities(self) -> Path:
        return self.root / f"communities{JSON}"

    def meeting(self, meeting_id: str) -> Path:
        return self.meetings / f"{check_id(meeting_id)}{JSON}"

    def draft(self, meeting_id: str) -> Path:
        """The one draft per meeting older Krings kept; read (and claimed) by new windows."""
        return self.drafts / f"{check_id(meeting_id)}{JSON}"

    def window_drafts(self, meeting_id: str) -> Path:
        """The folder of a meeting's drafts, one per window (see sessions/drafts.py)."""
        return self.drafts / check_id(meeting_id)

    def window_draft(self, meeting_id: str, window_id: str) -> Path:
        return self.window_drafts(meeting_id) / f"{check_id(window_id)}{JSON}"


def meeting_what(meeting_id: str) -> str:
    return _("meeting {id}").format(id=meeting_id)


def draft_what(meeting_id: str) -> str:
    return _("the draft of meeting {id}").format(id=meeting_id)


INDEX_WHAT = N_("the list of meetings")  # translated where shown
COMMUNITIES_WHAT = N_("the communities")
