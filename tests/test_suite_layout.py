"""The suite's own shape: a test module holds tests and imports what it shares with others from
tests/support/, never from another test module (which would run that module's imports, and
make a helper's home a matter of who wrote it first); the benchmarks likewise."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_test_modules(path: Path) -> set[str]:
    """The ``tests.test_*`` modules ``path`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found |= {name for name in names if name.startswith("tests.test_")}
    return found


def test_no_module_imports_a_test_module() -> None:
    modules = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]
    offenders = {f"{path.relative_to(ROOT)}: {name}"
                 for path in modules if "__snapshots__" not in path.parts
                 for name in imported_test_modules(path)}
    assert offenders == set()


def test_the_support_package_holds_no_tests() -> None:
    assert sorted(path.name for path in (ROOT / "tests" / "support").glob("test_*.py")) == []
