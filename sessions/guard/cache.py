"""Where the guard's lookup structures are kept, and building them once.

deduce builds its lookup structures (every Dutch first name, surname, street and place, as
tries) the first time it is used: about two minutes and 1.2 GB here, a 77 MB pickle after.
They are kept in the state folder (never synced: each laptop builds its own), one folder per
deduce version, or where ``KRING_GUARD_CACHE`` says (the tests share one). deduce writes its
file in place and reads a half-written one as a crash, so it builds into a folder of its own
and that folder is renamed into place whole; a lock keeps two windows from building at once.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

ENV = "KRING_GUARD_CACHE"
PICKLE = Path("cache") / "lookup_structs.pickle"  # where deduce keeps them under its cache_path


def cache_folder(state: Path, version: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The folder whose ``cache/`` holds the lookup structures of deduce ``version``."""
    base = Path(environ[ENV]) if environ.get(ENV) else state / "guard"
    return base / f"deduce-{version}"


def is_built(folder: Path) -> bool:
    return (folder / PICKLE).is_file()


def build_into(folder: Path, build: Callable[[Path], None]) -> bool:
    """Make ``folder`` hold the structures, built by ``build(tmp)`` in a folder beside it and
    renamed into place; nothing if another process built it meanwhile. True if built here."""
    from filelock import FileLock

    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with FileLock(str(folder) + ".lock"):
        if is_built(folder):
            return False
        # Under the lock no other build runs: what another left was killed mid-way (77 MB).
        for left in folder.parent.glob(f"{folder.name}.building-*"):
            shutil.rmtree(left, ignore_errors=True)
        building = folder.with_name(f"{folder.name}.building-{os.getpid()}")
        building.mkdir(mode=0o700)
        try:
            build(building)
            if not is_built(building):
                raise OSError(f"deduce wrote no {PICKLE} in {building}")
            with contextlib.suppress(FileNotFoundError):
                shutil.rmtree(folder)  # an unfinished one from a crashed build
            os.replace(building, folder)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    return True

