"""How hard the property tests try: a quick run by default (every property is still checked,
on fewer generated examples), the full counts with `pytest --stress` (CI's nightly kind of run,
and before a release)."""

from __future__ import annotations

import os

QUICK_SHARE = 5  # the default run tries a fifth of each test's full count...
QUICK_FLOOR = 60  # ...but never fewer than this many examples


def examples(full: int) -> int:
    """The number of examples for a property whose thorough run wants ``full``."""
    if os.environ.get("KRING_STRESS"):
        return full
    return min(full, max(full // QUICK_SHARE, QUICK_FLOOR))
