"""The wheel carries the built-in templates: installed elsewhere, `kring templates` still
lists them all."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_lists_the_builtin_templates(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    wheel = next(wheels.glob("kring-*.whl"))

    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = Path(subprocess.run(
        [target / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies come from the test run's own environment, so the test needs no network;
    # a plain path in a .pth file does not activate that environment's editable install.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(target / "bin" / "python"),
                    "install", "--quiet", "--no-deps", str(wheel)], check=True)

    env = {**os.environ, "COLUMNS": "200"}
    where = subprocess.run([target / "bin" / "python", "-c",
                            "import templates; print(templates.BUILTIN_DIR)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(target)

    listed = subprocess.run([target / "bin" / "kring", "templates"], capture_output=True,
                            text=True, cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if "built-in" in line]
    assert len(rows) == len(list((ROOT / "templates").glob("*/*.toml")))
    assert any("troika" in row for row in rows)
