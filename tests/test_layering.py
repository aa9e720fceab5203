"""The architecture, enforced: the domain never imports the UI, its sub-packages depend on each
other in one direction only, and the UI uses the domain's public face.

The layers of ``kring.sessions``, lowest first. A module may import from its own layer and the
layers below it, never above: so a reader knows that changing the store cannot break the
model, and that the minutes never reach into the live meeting's state machine."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = ROOT / "sessions"

LAYERS: list[tuple[str, ...]] = [
    ("kring.sessions.i18n", "kring.sessions.errors", "kring.sessions.paths",
     "kring.sessions.plain"),
    ("kring.sessions.model",),
    ("kring.sessions.store.files",),
    ("kring.sessions.language", "kring.sessions.protocols"),
    ("kring.sessions.store",),
    ("kring.sessions.guard",),  # the privacy guard: what nobody protected, spotted
    ("kring.sessions.meeting",),
    ("kring.sessions.coach",),  # the facilitator's coach: pace, balance, nudges
    ("kring.sessions.documents",),
    ("kring.sessions.care",),
    ("kring.sessions.insights",),  # a community's learning over time, across meetings
    ("kring.sessions.share",),  # sharing a live meeting with the room's devices
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("kring", *parts))


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports from, at any depth (lazy imports in functions count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from kring.sessions.store import rosters` imports a module by the name's end.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def layer_of(module: str) -> int | None:
    """The index of the layer holding ``module``; the most specific prefix wins."""
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    return None if best is None else best[1]


def sessions_modules() -> list[Path]:
    return sorted(SESSIONS.rglob("*.py"))


def test_every_sessions_module_belongs_to_a_layer() -> None:
    loose = [module_name(p) for p in sessions_modules()
             if layer_of(module_name(p)) is None and p.name != "__init__.py"]
    assert loose == []


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = []
    for path in sessions_modules():
        mine = layer_of(module_name(path))
        if mine is None:
            continue
        for imported in imported_modules(path):
            theirs = layer_of(imported)
            if theirs is not None and theirs > mine:
                upward.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert upward == []


def test_the_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    """The rule itself can fail: the model reaching up into the store is caught."""
    fake = tmp_path / "fake.py"
    fake.write_text("from kring.sessions.store.facade import Store\n")
    [imported] = [m for m in imported_modules(fake) if m.endswith("facade")]
    assert layer_of(imported) is not None
    assert layer_of(imported) > layer_of("kring.sessions.model.meeting")  # type: ignore[operator]


@pytest.mark.parametrize("folder", ["sessions", "tui"])
def test_nothing_imports_the_bare_folder_names(folder: str) -> None:
    """Inside the repository the folders are tui/, sessions/, templates/; installed they are
    kring.tui, ... Importing a bare name works only by accident of the working directory."""
    bare = {f"{p.relative_to(ROOT)}: {name}"
            for p in (ROOT / folder).rglob("*.py") for name in imported_modules(p)
            if name.split(".")[0] in {"sessions", "tui", "templates"}}
    assert bare == set()


def test_no_module_in_sessions_imports_textual_or_the_ui() -> None:
    offenders = {
        str(path.relative_to(ROOT)): name
        for path in sessions_modules()
        for name in imported_modules(path)
        if name.split(".")[0] == "textual" or name.startswith("kring.tui")
    }
    assert offenders == {}


def test_the_ui_uses_the_domain_s_public_face() -> None:
    """tui/ imports no private name of sessions/ and never its file machinery: how a file is
    written is the store's business."""
    offenders = []
    for path in (ROOT / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "kring.sessions"):
                module = node.module or ""
                private = [a.name for a in node.names if a.name.startswith("_") and a.name != "_"]
                if private or ".files" in module or module.split(".")[-1].startswith("_"):
                    offenders.append(f"{path.relative_to(ROOT)}: {module} {private}")
    assert offenders == []


def test_importing_every_sessions_module_loads_no_textual() -> None:
    modules = sorted(module_name(p) for p in sessions_modules())
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"


SAYS_SO = 400  # lines: a module this long is worth a look (a warning in the test run)
TOO_LONG = 700  # lines: a module this long holds more than one concept (a failure)


def test_no_module_holds_more_than_one_concept_by_its_length() -> None:
    """Modules are split by concept, not to meet a line count: past 400 lines the run says so,
    so that a reader looks whether two jobs grew together; past 700 it fails."""
    lengths = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
               for folder in ("sessions", "tui") for p in (ROOT / folder).rglob("*.py")}
    for name, n in sorted(lengths.items()):
        if SAYS_SO < n <= TOO_LONG:
            warnings.warn(f"{name} has {n} lines: does it hold one concept?", stacklevel=1)
    assert {name: n for name, n in lengths.items() if n > TOO_LONG} == {}
