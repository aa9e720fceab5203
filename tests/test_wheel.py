"""What a user installs: the wheel, built and installed into a fresh virtual environment outside
the tree. It must carry every module, stylesheet, template and catalog, put one name (`kring`)
into site-packages, and start the real app, in English and in Dutch.

A green suite once hid that the installed app could not start: its sub-packages were missing
from the wheel and no test imported them from an installed copy."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("tui", "sessions", "templates")

pytestmark = pytest.mark.e2e  # builds the wheel and installs it into a new environment


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    kring: Path
    site: Path
    home: Path  # a working folder outside the tree, so nothing is imported from the source
    built: str  # what building the wheel printed

    def run(self, *argv: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                              cwd=self.home, env={**os.environ, "COLUMNS": "200", **env},
                              timeout=120)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the files git knows (committed or not, never ignored): setuptools'
    # build/ folder in the tree can hold modules deleted since, which a clone never has.
    source = tmp / "source"
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                            "--no-build-isolation", "--wheel-dir", str(wheels), str(source)],
                           check=True, cwd=tmp, capture_output=True, text=True)
    wheel = next(wheels.glob("kring-*.whl"))

    target = tmp / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies come from the test run's own environment, so the test needs no network;
    # a plain path in a .pth file does not activate that environment's editable install.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", str(wheel)], check=True)
    home = tmp / "elsewhere"
    (home / "templates").mkdir(parents=True)  # a folder named like ours must not shadow it
    return Installed(wheel, python, target / "bin" / "kring", site, home,
                     built.stdout + built.stderr)


def source_files(pattern: str) -> set[str]:
    return {str(path.relative_to(ROOT)) for folder in FOLDERS
            for path in (ROOT / folder).rglob(pattern) if "__pycache__" not in path.parts}


def test_the_wheel_has_one_top_level_name_and_every_file_the_app_needs(
        installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    tops = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert tops == {"kring"}
    inside = {name.removeprefix("kring/") for name in names}
    for pattern in ("*.py", "*.tcss", "*.toml", "*.mo", "*.css", "*.js"):
        wanted = source_files(pattern)
        assert wanted, pattern
        assert wanted <= inside, sorted(wanted - inside)
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


def test_building_the_wheel_warns_of_nothing(installed: Installed) -> None:
    # `make run` on a fresh machine builds the same way: ~150 lines of setuptools' "Package
    # would be ignored" once greeted a newcomer. Every folder is a package now (setup.py).
    assert "warning" not in installed.built.lower(), installed.built
    assert "would be ignored" not in installed.built, installed.built


def test_site_packages_holds_kring_and_nothing_else_of_ours(installed: Installed) -> None:
    ours = {path.name for path in installed.site.iterdir()
            if path.name not in {"deps.pth", "__pycache__"} and not path.name.endswith(
                ".dist-info")}
    assert ours == {"kring"}
    for generic in FOLDERS:
        assert not (installed.site / generic).exists()


def test_every_installed_module_imports(installed: Installed) -> None:
    code = ("import importlib, pkgutil, kring\n"
            "names = [m.name for m in pkgutil.walk_packages(kring.__path__, 'kring.')\n"
            "         if not m.name.endswith('.__main__')]  # that one starts the app\n"
            "for name in names:\n"
            "    module = importlib.import_module(name)\n"
            "    assert 'elsewhere' not in (module.__file__ or ''), module.__file__\n"
            "print(len(names))\n"
            "print(kring.__path__[0])")
    result = installed.run(installed.python, "-c", code)
    assert result.returncode == 0, result.stderr
    count, where = result.stdout.split()
    assert Path(where).is_relative_to(installed.site)
    modules = {path for path in source_files("*.py") if not path.endswith("__main__.py")}
    assert int(count) == len(modules)


def test_kring_templates_lists_the_builtins_from_the_installed_copy(
        installed: Installed) -> None:
    listed = installed.run(installed.kring, "templates")
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if "built-in" in line]
    assert len(rows) == len(list((ROOT / "templates").glob("*/*.toml")))
    assert any("troika" in row for row in rows)


# The real command line, `kring` with no command, up to the app's first screen: the app is
# started through the CLI exactly as a user's terminal starts it, only headless.
START = """
import sys
from kring.tui import cli
from kring.tui.app import KringApp
from kring.tui.cli import app as app_command

run = KringApp.run

async def look(pilot):
    await pilot.pause()
    app = pilot.app
    print(type(app.screen).__name__)
    print(app.screen.query_one("#welcome").render())
    app.exit()

KringApp.run = lambda self, **options: run(self, headless=True, auto_pilot=look)
app_command.terminal_problem = lambda: None  # headless: no terminal needed (the test's pipe)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("argv", "greeting"), [((), "Welcome to Kring"),
                                                (("--lang", "nl"), "Welkom bij Kring")])
def test_the_installed_app_starts_to_its_home_screen(installed: Installed, tmp_path: Path,
                                                     argv: tuple[str, ...],
                                                     greeting: str) -> None:
    result = installed.run(installed.python, "-c", START, *argv,
                           KRING_DATA=str(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "HomeScreen"
    assert greeting in result.stdout


def test_the_installed_kring_insights_reads_a_seeded_year(installed: Installed,
                                                          tmp_path: Path) -> None:
    from tests.support.community import COMMUNITY, seed_community

    seed_community(tmp_path, 12)
    folders = {"KRING_DATA": str(tmp_path / "data"), "KRING_STATE": str(tmp_path / "state"),
               "KRING_CONFIG": str(tmp_path / "config")}
    found = installed.run(installed.kring, "insights", COMMUNITY, "--json", **folders)
    assert found.returncode == 0, found.stderr
    figures = json.loads(found.stdout)
    assert len(figures["meetings"]) == 12
    assert any("ouders betrekken" in theme["phrase"] for theme in figures["themes"])  # YAKE
    report = tmp_path / "report.html"
    written = installed.run(installed.kring, "insights", COMMUNITY, "--out", report, **folders)
    assert written.returncode == 0, written.stderr
    assert "<svg" in report.read_text(encoding="utf-8")
    shown = installed.run(installed.kring, "insights", COMMUNITY, **folders)
    assert shown.returncode == 0 and "Recurring themes" in shown.stdout, shown.stderr
