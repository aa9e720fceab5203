"""Which exported minutes belong to the meetings ``kring purge`` removes, and which might.

Markdown minutes say their date and community in their front matter, which decides. Other files
(the HTML page) go with the Markdown file of the same name, or when their name is one Kring
gives to a purged meeting's minutes and to no kept meeting's: a file Kring cannot tie to a
purged meeting for certain stays.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from datetime import date
from pathlib import Path

from kring.sessions.documents.filenames import minutes_stem
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.name_variants import fold

_DATED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})-")  # exported minutes start with the date
_NUMBERED = re.compile(r"(.+)-([0-9]+)")  # a name taken before gets -2, -3, ...
_FRONT_MATTER_BYTES = 64 * 1024  # the front matter is a few lines; never read a whole file


def minutes_of(folder: Path, before: date, wanted: str | None, purged: list[Meeting],
               kept: list[Meeting]) -> tuple[list[Path], list[Path]]:
    """Minutes in ``folder`` of the purged meetings, and those that might be (kept).

    Markdown minutes say their date and community in their front matter, which decides. Other
    files (the HTML page, the PDFs) go with the Markdown file of the same name, or when their
    name is one Kring gives to a purged meeting's minutes and to no kept meeting's."""
    try:
        entries = [entry for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)]
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    candidates: list[Path] = []
    for entry in entries:
        dated = _DATED.match(entry.name)
        if dated is None:
            continue
        try:
            if date.fromisoformat(dated.group(1)) >= before:
                continue
        except ValueError:
            continue
        candidates.append(Path(entry.path))
    chosen: set[Path] = set()
    undecided: list[Path] = []
    for path in candidates:
        said = _front_matter(path) if path.suffix.lower() == ".md" else None
        if said is None:
            undecided.append(path)
        elif said[0] < before and (wanted is None or fold(said[1]) == wanted):
            chosen.add(path)
    # A name's base is all before its first dot: "x.md", "x.html", "x.handout.pdf" go together.
    chosen_stems = {path.name.partition(".")[0] for path in chosen}
    unsure: list[Path] = []
    for path in undecided:
        if path.name.partition(".")[0] in chosen_stems:
            chosen.add(path)
            continue
        mine = any(_named_for(path.name, meeting) for meeting in purged)
        if not mine:
            continue
        if any(_named_for(path.name, meeting) for meeting in kept):
            unsure.append(path)
        else:
            chosen.add(path)
    return sorted(chosen), sorted(unsure)


def _front_matter(path: Path) -> tuple[date, str] | None:
    """The date and community a Markdown minutes file states; None if it states neither."""
    try:
        with path.open("rb") as file:
            head = file.read(_FRONT_MATTER_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    lines = head.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return None
    day: date | None = None
    community: str | None = None
    for line in lines[1:]:
        line = line.rstrip("\r")
        if line == "---":
            break
        key, colon, value = line.partition(": ")
        if not colon:
            continue
        if key == "date":
            with contextlib.suppress(ValueError):
                day = date.fromisoformat(value.strip())
        elif key == "community":
            with contextlib.suppress(ValueError):
                loaded = json.loads(value)  # the minutes write YAML strings JSON-compatibly
                community = loaded if isinstance(loaded, str) else None
    if day is None or community is None:
        return None
    return day, community


def _named_for(name: str, meeting: Meeting) -> bool:
    """Whether ``name`` is a name ``sessions.filenames`` gives this meeting's minutes: as it
    names them now (protected names hidden), or as it did before it hid them."""
    stem, dot, ext = name.partition(".")  # "handout.pdf" is one extension
    if not dot or not ext:
        return False
    numbered = _NUMBERED.fullmatch(stem)
    for real_names in (False, True):
        if stem == minutes_stem(meeting, len(ext) + 1, real_names=real_names):
            return True
        if numbered and int(numbered.group(2)) > 1:
            suffix = f"-{numbered.group(2)}"
            room = len(ext) + 1 + len(suffix)
            if stem == minutes_stem(meeting, room, real_names=real_names) + suffix:
                return True
    return False

