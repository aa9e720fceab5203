"""Where Kring keeps its files.

Data (meetings, communities, drafts, minutes) goes to the platform's user data folder unless
``--data DIR`` or ``KRING_DATA`` says otherwise; user templates live in the config folder, and
crash reports in the log folder.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path

from platformdirs import user_config_path, user_data_path, user_log_path, user_state_path

from kring.sessions.i18n import _

APP_NAME = "kring"
DATA_ENV = "KRING_DATA"
CONFIG_ENV = "KRING_CONFIG"
STATE_ENV = "KRING_STATE"
LOGS = "logs"


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


def state_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """This installation's state folder (``KRING_STATE``, else the platform's): what makes it
    one device of a community (see sessions/store/layout.py). Never inside the data folder."""
    if environ.get(STATE_ENV):
        return Path(environ[STATE_ENV]).expanduser()
    return user_state_path(APP_NAME, appauthor=False)


def log_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Where crash reports go: ``logs/`` in this installation's state folder (``KRING_STATE``,
    which tests set), else the platform's user log folder. Never the data folder: a sync
    engine may carry that to other schools."""
    if environ.get(STATE_ENV):
        return state_dir(environ) / LOGS
    return user_log_path(APP_NAME, appauthor=False)


FOLDERS_TABLE = "folders"


def community_folders(config: Mapping[str, object]) -> dict[str, Path]:
    """The ``[folders]`` table of ``config.toml``: which data folder each community lives in
    (a school's intervision group in one, the CoP in another, each carried by its own sync
    engine). Entries that are not text are left out."""
    table = config.get(FOLDERS_TABLE)
    if not isinstance(table, dict):
        return {}
    return {name: Path(folder).expanduser() for name, folder in table.items()
            if isinstance(name, str) and isinstance(folder, str) and folder.strip()}


def data_dir_problem(folder: Path) -> str | None:
    """Why ``folder`` cannot serve as the data folder, as a sentence; None when it can (a
    missing one can: it is made on the first save)."""
    try:
        with os.scandir(folder):
            pass
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return _("The data folder {folder} is not a folder (it, or a folder it is in, is a "
                 "file): choose another with --data or KRING_DATA.").format(folder=folder)
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM):
            return _("The data folder {folder} cannot be read: no permission.").format(
                folder=folder)
        return _("The data folder {folder} cannot be read: {reason}.").format(
            folder=folder, reason=os.strerror(error.errno) if error.errno else str(error))
    return None
