"""No escape sequence reaches the terminal through the command line (issue 22, invariant 1):
not from an argument (made plain as it comes in, so it is never stored), not from a synced log
another laptop wrote (the console prints text plain), not from a template someone shared.
Each case runs the real `kring` and reads the bytes it wrote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.store.facade import Store

KRING = Path(sys.executable).with_name("kring")
ESCAPES = [b"\x1b", b"\x07", b"\x00", b"\xe2\x80\xae"]  # ESC, BEL, NUL, U+202E as UTF-8
HOSTILE = "\x1b]0;owned\x07\x1b]52;c;aGk=\x07\x1b[2J\u202e"

pytestmark = pytest.mark.skipif(not KRING.exists(), reason=f"no kring next to {sys.executable}")


def kring(folders: Path, *argv: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KRING_DATA": str(folders / "data"),
           "KRING_STATE": str(folders / "state"), "KRING_CONFIG": str(folders / "config"),
           "LANG": "C.UTF-8"}
    return subprocess.run([str(KRING), *argv], env=env, capture_output=True, timeout=60,
                          check=False)


def steers(done: subprocess.CompletedProcess[bytes]) -> list[bytes]:
    return [code for code in ESCAPES if code in done.stdout or code in done.stderr]


def test_arguments_are_stored_plain_and_print_plain(tmp_path: Path) -> None:
    added = kring(tmp_path, "community", "add-member", f"CoP{HOSTILE}", f"Zoë{HOSTILE}")
    assert added.returncode == 0, added.stderr.decode()
    assert steers(added) == []
    (community,) = Store(tmp_path / "data", state=tmp_path / "state").communities()
    assert community.name == "CoP]0;owned]52;c;aGk=[2J"  # what is left shows
    assert community.members == ["Zoë]0;owned]52;c;aGk=[2J"]
    for argv in (["community", "list"], ["community", "show", community.name]):
        shown = kring(tmp_path, *argv)
        assert shown.returncode == 0 and steers(shown) == [], shown.stdout
        assert "Zoë]0;owned".encode() in shown.stdout or b"CoP]0;owned" in shown.stdout


def test_names_another_laptop_synced_print_plain(tmp_path: Path) -> None:
    """A line written by another laptop (or by hand) holds the escapes as they are: the
    console is the guard."""
    store = Store(tmp_path / "data", FakeClock(), state=tmp_path / "elsewhere")
    from kring.sessions.model.community import Community

    store.save_community(Community(f"CoP{HOSTILE}", [f"Zoë{HOSTILE}"]))
    log = next((tmp_path / "data" / "devices").glob("*/communities.jsonl"))
    assert b"\\u001b]0;owned" in log.read_bytes()  # stored as the other laptop wrote it
    for argv in (["community", "list"], ["community", "show", "CoP"]):
        shown = kring(tmp_path, *argv)
        assert steers(shown) == [], (argv, shown.stdout, shown.stderr)
    listed = kring(tmp_path, "community", "list")
    assert b"CoP]0;owned" in listed.stdout


def test_a_shared_template_s_name_prints_plain(tmp_path: Path) -> None:
    from kring.templates import BUILTIN_DIR

    template = tmp_path / "shared.toml"
    body = (BUILTIN_DIR / "en" / "incident.toml").read_text(encoding="utf-8")
    name_line = next(line for line in body.splitlines() if line.startswith("name ="))
    template.write_text(body.replace(name_line, f"name = {json.dumps('Mine' + HOSTILE)}"),
                        encoding="utf-8")
    checked = kring(tmp_path, "templates", "validate", str(template))
    assert steers(checked) == [], (checked.stdout, checked.stderr)
    assert b"Mine]0;owned" in checked.stdout + checked.stderr
