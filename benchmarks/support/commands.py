"""A command timed from outside, as a user waits for it: process start to exit."""

from __future__ import annotations

import subprocess
import time


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Seconds ``argv`` took with ``env``, its output thrown away; a failure raises."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start
