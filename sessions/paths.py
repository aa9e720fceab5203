"""Where Kring keeps its files.

Data (meetings, communities, drafts, minutes) goes to the platform's user data folder unless
``--data DIR`` or ``KRING_DATA`` says otherwise; user templates live in the config folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "kring"
DATA_ENV = "KRING_DATA"
CONFIG_ENV = "KRING_CONFIG"


def data_dir(explicit: str | os.PathLike[str] | None = None,
             environ: Mapping[str, str] = os.environ) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    if environ.get(DATA_ENV):
        return Path(environ[DATA_ENV]).expanduser()
    return user_data_path(APP_NAME, appauthor=False)


def config_dir(environ: Mapping[str, str] = os.environ) -> Path:
    if environ.get(CONFIG_ENV):
        return Path(environ[CONFIG_ENV]).expanduser()
    return user_config_path(APP_NAME, appauthor=False)


def user_templates_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return config_dir(environ) / "templates"
