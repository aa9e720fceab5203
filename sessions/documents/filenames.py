"""Where the minutes of a meeting are written, under which name. What they say is rendered
elsewhere (``minutes.py``); ``writing.py`` renders them and has them written here.

Names read ``YYYY-MM-DD-<community>-<case>.md``: the community and the case title, never a
person's name (the design: a file list shows what was discussed, not who was there). A name the
meeting protects (a pupil's, typed in the case title) shows as its pseudonym, as in the minutes
themselves: a file list is seen by more people than the file. Names are safe on every system:
ASCII letters, digits and dashes only, starting with the date (so never a dot, a dash or a
reserved Windows name like ``CON``), at most ``MAX_NAME`` characters.

Writing the minutes of a meeting again (a second ``kring export``, the minutes so far and then
the final ones) rewrites that meeting's file, atomically: its Markdown says which meeting it is
in its front matter (``meeting: "<id>"``, the first key), and the HTML page shares the
Markdown's name. Any other file is never written over: a name taken by another meeting, by a
file Kring did not write or by a link gets ``-2``, ``-3``, ... A new name is claimed with
``O_CREAT | O_EXCL`` before anything is written, so two Krings ending meetings at the same
moment cannot pick the same name, and the content then goes in atomically over the claimed
(empty) file, so the minutes are either whole or absent.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

from kring.sessions.documents.minutes import HTML, MARKDOWN
from kring.sessions.documents.minutes_front import MEETING_KEY
from kring.sessions.errors import SaveError, StoreError
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for
from kring.sessions.store.files.atomic import (
    PRIVATE_FILE,
    atomic_write,
    describe,
    ensure_private_dir,
)

MAX_NAME = 100  # characters, extension and any -2 suffix included
MAX_COMMUNITY = 40  # so that a long community name leaves room for the case
MAX_SUFFIX = 10_000  # names tried before giving up: far more than anyone keeps
DEFAULT_FOLDER = "minutes"  # inside the data folder
HTML_EXTENSION = HTML  # every meeting's name leaves room for it
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted under the name must not block us
_HEAD = 4096  # bytes read to find the meeting's id: it is the front matter's first key
# Letters NFKD does not split into a base letter and a mark, that people spell out in ASCII.
_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o",
                          "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d",
                          "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ĳ": "ij", "Ĳ": "ij"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# "md", "html", "pdf"; and "handout.pdf": a kind of file of the meeting's, named so beside
# the others.
_EXTENSION = re.compile(r"[a-z0-9]{1,10}(?:\.[a-z0-9]{1,10})?")


class MinutesError(StoreError):
    """The minutes could not be written; the text says why, in words for people."""


def slug(text: str, limit: int = MAX_NAME) -> str:
    """``text`` folded to lower-case ASCII words joined by single dashes, at most ``limit``
    characters, cut between words where possible. Empty when nothing of it is ASCII-able."""
    folded = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    words = _NOT_SLUG.sub("-", ascii_text).strip("-")
    if len(words) <= limit:
        return words
    cut = words[: limit + 1]
    if "-" in cut:  # drop the word the limit falls in, if it is not the only one
        cut = cut[: cut.rindex("-")]
    return cut[:limit].strip("-")


def _extension(ext: str) -> str:
    ext = ext.lower().lstrip(".")
    if not _EXTENSION.fullmatch(ext):
        raise ValueError(f"not a file extension: {ext!r}")
    return ext


_NO_LIMIT = 100_000  # a slug before it is cut to length: longer than any typed title
_MAX_PASSES = 4


class _Hidden:
    """Slugs with the meeting's protected names replaced.

    Twice over: first in the text as typed, which gives the pseudonym the minutes use ("Pupil
    A" becomes ``pupil-a``); then in the slug, against the names slugged the same way, for what
    only slugging makes a name ("Zoë😀s" is two words to the pseudonymizer, ``zoes`` one here;
    "Anne/Marie" becomes ``anne-marie``). A pseudonym found only then may differ from the
    minutes' own; it still hides. Each typed word is slugged on its own and the words joined by
    spaces: a dash inside a word may split a name anywhere (``anne-marie`` for "Annemarie"), a
    space between words, its letters all small now, only where the name as listed splits, as
    in the text itself ("man on the moon" is no "Manon")."""

    def __init__(self, meeting: Meeting, *, real_names: bool = False) -> None:
        self.typed = pseudonymizer_for(meeting)
        self.slugged: Pseudonymizer | None = None
        if self.typed.active and not real_names:
            self.slugged = Pseudonymizer(
                [slug(name, _NO_LIMIT).replace("-", " ") for name in meeting.protected_names],
                meeting.pseudonym_style, meeting.language)

    @staticmethod
    def _words(text: str) -> str:
        return " ".join(filter(None, (slug(word, _NO_LIMIT) for word in text.split())))

    def slug(self, text: str, limit: int) -> str:
        if self.slugged is None:  # nothing protected: the usual case
            return slug(text, limit)
        words = self._words(self.typed.apply(text))
        # Until nothing changes: a pseudonym's own punctuation ("J. (2)") slugs to words too.
        for _ in range(_MAX_PASSES):
            hidden = self.slugged.apply(words)
            if hidden == words:
                break
            words = self._words(hidden)
        cut = slug(words, limit)
        # A cut can only end inside a word when the first word is longer than the limit (the
        # cut is then that one piece); what is left could spell a name ("zoëlle" cut to "zoe"):
        # the word goes then.
        if cut and "-" not in cut and self.slugged.apply(cut) != cut:
            cut = ""
        return cut


def minutes_stem(meeting: Meeting, room: int = 0, *, real_names: bool = False) -> str:
    """The file name without extension, leaving ``room`` characters of ``MAX_NAME`` free.
    Protected names show as their pseudonyms; with ``real_names`` as typed, which only
    recognising files named before names were hidden calls for (``sessions/care/purge.py``)."""
    limit = MAX_NAME - room
    day = meeting.date.isoformat()
    hidden = _Hidden(meeting, real_names=real_names)
    parts = [day]
    # Cut to what fits, never by the final [:limit] below, which could end inside a word.
    community = hidden.slug(meeting.community, min(MAX_COMMUNITY, max(0, limit - len(day) - 1)))
    if community:
        parts.append(community)
    used = len("-".join(parts))
    case = hidden.slug(meeting.case.title, max(0, limit - used - 1))
    if case:
        parts.append(case)
    if len(parts) == 1:  # nothing readable in either name (emoji, another script)
        parts.append(slug(f"meeting-{meeting.id}", max(0, limit - len(day) - 1)) or "meeting")
    return "-".join(parts)[:limit].rstrip("-")


def minutes_filename(meeting: Meeting, ext: str = "md") -> str:
    """``YYYY-MM-DD-<community>-<case>.<ext>``, safe on every system, at most ``MAX_NAME``."""
    return _numbered(meeting, _extension(ext), 1)


def _numbered(meeting: Meeting, ext: str, number: int) -> str:
    """The name with suffix ``-<number>`` (none for 1), shortened so it stays within limits.
    Room is kept for ".html" whatever the extension, so a meeting's .md and .html always
    share their name, however long it is."""
    suffix = f"-{number}" if number > 1 else ""
    room = 1 + max(len(ext), len(HTML_EXTENSION)) + len(suffix)
    return f"{minutes_stem(meeting, room)}{suffix}.{ext}"


def _claim(path: Path) -> bool:
    """Create ``path`` empty and private if no file (or link) of that name exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, PRIVATE_FILE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def _written_for(path: Path, meeting_id: str) -> bool:
    """Whether ``path`` is a regular file (not a link) holding Markdown minutes of the meeting
    ``meeting_id``, as its front matter says."""
    try:
        fd = os.open(path, os.O_RDONLY | _CLOEXEC | _NOFOLLOW | _NONBLOCK)
    except OSError:  # gone, a link (ELOOP), no permission: not a file to write over
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, _HEAD)
    except OSError:
        return False
    finally:
        os.close(fd)
    lines = head.decode("utf-8", errors="replace").split("\n", 2)
    if len(lines) < 2 or lines[0].rstrip("\r") != "---":
        return False
    key, colon, value = lines[1].rstrip("\r").partition(": ")
    if key != MEETING_KEY or not colon:
        return False
    try:
        return bool(json.loads(value) == meeting_id)  # YAML strings written JSON-compatibly
    except ValueError:
        return False


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _claim_names(folder: Path, meeting: Meeting, extensions: Sequence[str]
                 ) -> tuple[list[Path], list[Path]]:
    """The first numbered name free for every extension (the .md and .html of one meeting
    share their name), claimed; or the name this meeting's minutes already have there, to be
    written over. Returns the paths and those of them newly claimed (empty files). Claims of a
    number that is taken for another extension are given back."""
    for number in range(1, MAX_SUFFIX + 1):
        paths = [folder / _numbered(meeting, ext, number) for ext in extensions]
        # The Markdown says whose it is; the page beside it was written with it.
        ours = any(ext == MARKDOWN and _written_for(path, meeting.id)
                   for ext, path in zip(extensions, paths, strict=True))
        claimed: list[Path] = []
        for path in paths:
            if _claim(path):
                claimed.append(path)
            elif not (ours and _is_regular(path)):
                break
        else:
            return paths, claimed
        for path in claimed:
            path.unlink()
    raise FileExistsError(f"no free name for the minutes after {MAX_SUFFIX} tries")


def write_named(folder: Path, meeting: Meeting, texts: Mapping[str, str | bytes]
                ) -> list[Path]:
    """Write the rendered minutes of ``meeting`` (format -> text, as ``render_minutes_texts``
    gives them, or bytes: a PDF) into ``folder``, created private (0700) when missing, as new
    private (0600) files sharing one name, or over the files of the same meeting written
    before. Returns the paths written, in the order of ``texts``. Raises ``MinutesError`` when
    the disk refuses. Called by ``writing.write_minutes``, the one writer of minutes files."""
    contents = {_extension(ext): text.encode("utf-8") if isinstance(text, str) else text
                for ext, text in texts.items()}
    what = "the minutes"
    try:
        ensure_private_dir(folder, what)
    except SaveError as error:
        raise _error(folder, error.errno, error.reason) from error
    try:
        paths, claimed = _claim_names(folder, meeting, list(contents))
    except OSError as error:
        raise _error(folder, error.errno, describe(error, folder)) from error
    try:
        for path, data in zip(paths, contents.values(), strict=True):
            atomic_write(path, data, what)
    except SaveError as error:
        # An empty claimed file would look like minutes that were lost; the meeting's earlier
        # minutes stay (atomic_write left them whole).
        for path in claimed:
            with contextlib.suppress(OSError):
                path.unlink()
        raise _error(folder, error.errno, error.reason) from error
    return paths


def _error(folder: Path, code: int | None, reason: str) -> MinutesError:
    """A sentence for people. The store's wording speaks of "the data folder", which the
    minutes folder need not be, so the usual causes are worded here."""
    reasons = {
        errno.EACCES: "no permission to write there.",
        errno.EPERM: "no permission to write there.",
        errno.EROFS: "it is on a read-only disk.",
        errno.ENOTDIR: "a file is in the way of the folder (or of one above it).",
        errno.EEXIST: "a file is in the way of the folder.",
    }
    reason = reasons.get(code, reason) if code is not None else reason
    return MinutesError(f"Could not write the minutes to {folder}: {reason}")


def default_minutes_dir(data: Path) -> Path:
    """Where minutes go unless ``--minutes`` or the configuration says otherwise."""
    return data / DEFAULT_FOLDER
