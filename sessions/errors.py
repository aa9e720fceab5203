"""What can go wrong with the data folder, as exceptions whose text can be shown as it is.

Every message names the meeting by its id and the folder by its path, never a person: the
notes are about pupils and messages end up in screenshots and bug reports.

Messages are translated (``_``) when the error is made: they are shown as they are, in the
interface's language, which is chosen once at start-up.
"""

from __future__ import annotations

from pathlib import Path

from kring.sessions.i18n import _


def capitalized(phrase: str) -> str:
    """A phrase such as "meeting 3fa2" opening a sentence; only its first letter changes,
    since the rest may be an id."""
    return phrase[:1].upper() + phrase[1:]


def unreadable(what: str, reason: str) -> str:
    """The sentence for a file whose content cannot be used, shared by the store's errors,
    its problem list and doctor, so that all three say it in the same words."""
    return _("{what} could not be read: {reason}.").format(what=capitalized(what), reason=reason)


class StoreError(Exception):
    """Base of every error the store raises on purpose; ``str()`` is a sentence for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableError(StoreError):
    """A file exists but its content cannot be used."""

    def __init__(self, path: Path, reason: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class CorruptFileError(UnreadableError):
    """The content is broken (empty, cut off, zero bytes, not JSON, not a Kring file, a log
    with no meeting in it). Kring never writes over such a file. ``what`` names it in the
    message ("meeting 3fa2"); by default its file name does."""

    def __init__(self, path: Path, reason: str, what: str | None = None) -> None:
        super().__init__(path, reason, unreadable(what or path.name, reason))


class NewerFormatError(UnreadableError):
    """Written by a newer Kring: left exactly as it is, so that Kring can still read it."""

    def __init__(self, path: Path, version: int, supported: int) -> None:
        reason = _(
            "it was written by a newer version of Kring (format {version}; this version "
            "reads up to format {supported}). Update Kring to open it"
        ).format(version=version, supported=supported)
        super().__init__(path, reason, unreadable(path.name, reason))
        self.version = version


class TransientError(StoreError):
    """Reading or saving failed for a reason that may pass (disk full, busy, unplugged): a
    caller that can keep the change (the meeting screen) keeps it and tries again."""


class SaveError(TransientError):
    def __init__(self, what: str, reason: str, errno: int | None = None) -> None:
        # Only what happened: whether the change is kept and tried again is the caller's to
        # say (the meeting screen does; a command, which ends, cannot keep anything).
        super().__init__(_("Could not save {what}: {reason}").format(what=what, reason=reason))
        self.what = what
        self.reason = reason
        self.errno = errno


class ReadError(TransientError):
    """The operating system refused to read a file (permission, I/O error): not corruption,
    so the file is left where it is."""

    def __init__(self, what: str, reason: str, errno: int | None = None) -> None:
        super().__init__(_("Could not read {what}: {reason}").format(what=what, reason=reason))
        self.what = what
        self.reason = reason
        self.errno = errno


class WriteRefusedError(StoreError):
    """A file the user named (``--out``) is not one Kring may replace: a symbolic link, a
    folder, a pipe or device, or in a folder that does not exist."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(_("Could not write {path}: {reason}").format(path=path, reason=reason))
        self.path = path
        self.reason = reason


class BusyError(SaveError):
    """Another Kring process held the lock for longer than we are willing to wait."""

    def __init__(self, what: str) -> None:
        super().__init__(what, _("another Kring window is busy saving it."))


class NotFoundError(StoreError):
    """No meeting, entry or community by that id or name."""
