"""The domain layer stays free of the UI: everything in sessions/ runs without a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_in_sessions_imports_textual_or_tui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in (ROOT / "sessions").rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in {"textual", "tui"}
    }
    assert offenders == {}


def test_importing_every_sessions_module_loads_no_textual() -> None:
    modules = sorted(f"sessions.{p.stem}" for p in (ROOT / "sessions").glob("*.py")
                     if p.stem != "__init__")
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
