"""Files compared byte for byte with the ones in tests/golden/ (the minutes of whole meetings).

After an intended change, regenerate them with ``KRING_UPDATE_GOLDEN=1`` set and read the diff
before committing."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE = os.environ.get("KRING_UPDATE_GOLDEN") == "1"


def check(name: str, content: str) -> None:
    """``content`` is the golden file ``name``; with ``KRING_UPDATE_GOLDEN=1``, it becomes it."""
    path = GOLDEN / name
    data = content.encode("utf-8")
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing: run with KRING_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes()
    # Compared as text first, for a readable diff; then as bytes, so line endings count too.
    assert data.decode("utf-8") == expected.decode("utf-8")
    assert data == expected
