"""Every file a docstring names exists: a module that moved (the live meeting went from
``sessions/`` into ``sessions/meeting/``) leaves no reader looking for it where it was. A name
is looked up from the project's root, from the docstring's own folder, from each top folder,
and, bare, anywhere in the tree; names that are not files of this project are listed below
with why."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOPS = ("sessions", "tui", "tests", "benchmarks", "templates")
NAMED = re.compile(r"(?<![\w./-])((?:[\w.-]+/)*[\w-]+\.(?:py|tcss|toml|md|js|css))\b")
NOT_OURS = {
    "config.toml": "the user's config file, in their config folder",
    "xterm.js": "the terminal library textual-serve ships",
}


def docstrings(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            text = ast.get_docstring(node, clean=False)
            if text:
                yield text


def ours() -> list[Path]:
    return [path for top in TOPS for path in (ROOT / top).rglob("*")
            if "__pycache__" not in path.parts and path.is_file()]


def found(name: str, where: Path, files: list[Path]) -> bool:
    if any((base / name).exists() for base in (ROOT, where.parent, *(ROOT / t for t in TOPS))):
        return True
    return any(str(path).endswith("/" + name) for path in files)


def test_every_path_a_docstring_names_exists() -> None:
    files = ours()
    missing = [f"{path.relative_to(ROOT)}: {name}"
               for path in files if path.suffix == ".py"
               for text in docstrings(path)
               for name in NAMED.findall(text)
               if name not in NOT_OURS and not found(name, path, files)]
    assert missing == []
