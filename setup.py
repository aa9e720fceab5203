"""The one thing pyproject.toml cannot say: every package below tui/, sessions/ and templates/,
found anew at each build, installed under the single import name ``kring``. Folders that hold
only data (styles, the phones' static files, templates, translations) are packages too, so
their files are package data as setuptools expects, and a new language or template folder is
shipped without anyone listing it.

The repository keeps its top-level folders (the project's design card fixes them); the wheel
must not put three generic names (tui, sessions, templates) into site-packages, where other
distributions or a folder in the working directory would shadow them. A sub-package added
later is found here without anyone remembering to list it.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = ("tui", "sessions", "templates")

packages = [f"kring.{name}" for name in find_namespace_packages(
    include=[pattern for folder in FOLDERS for pattern in (folder, f"{folder}.*")],
    exclude=["*.__pycache__"])]

setup(
    packages=packages,
    # kring itself is a namespace package (it has no folder of its own): its children are the
    # three folders.
    package_dir={f"kring.{folder}": folder for folder in FOLDERS},
)
