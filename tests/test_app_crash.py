"""An error nobody planned for in the app: a short message and a private report, never a
traceback whose locals put case notes on the screen."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

SECRET = "Daan zit thuis sinds de scheiding"

# The app on its home screen, headless, with an action that fails while a local holds typed
# text: Textual's own report would print that local.
SCRIPT = f"""
import asyncio
from pathlib import Path
from kring.tui.app import create_app

app = create_app(Path({{data!r}}))

def fail() -> None:
    note = {SECRET!r}
    raise RuntimeError("could not place " + note)

async def main() -> None:
    async with app.run_test() as pilot:
        await pilot.pause()
        app.call_later(fail)
        await pilot.pause(0.5)

try:
    asyncio.run(main())
except RuntimeError:
    pass  # run_test re-raises for test frameworks; the user's terminal never sees this
app._print_error_renderables()
"""


def test_an_app_crash_shows_a_sentence_and_writes_a_report_without_notes(
        tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT.format(data=str(tmp_path / "data"))],
                            capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert SECRET not in result.stdout + result.stderr, result.stderr
    assert "unexpected error" in result.stderr and "Traceback" not in result.stderr
    logs = list((Path(os.environ["KRING_STATE"]) / "logs").glob("crash-*.log"))
    assert len(logs) == 1 and str(logs[0]).split("/")[-1] in result.stderr.replace("\n", "")
    assert stat.S_IMODE(logs[0].stat().st_mode) == 0o600
    report = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError" in report and "fail" in report and "Daan" not in report
