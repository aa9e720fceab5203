"""Which language the interface speaks: ``--lang``, else the config file, else the system.

Only the interface: a meeting keeps the language it was held in (its protocol's), and its
minutes are written in that one, whatever the interface speaks today.
"""

from __future__ import annotations

import locale
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path

from kring.sessions.i18n import LANGUAGES, _
from kring.sessions.store.files.atomic import describe_read, read_limited

DEFAULT = "en"
CONFIG_FILE = "config.toml"
CONFIG_KEY = "language"
# A settings file is a few lines; the limit only keeps a wrong file from filling the memory.
MAX_CONFIG_BYTES = 1024 * 1024

# Windows names its locales in words ("Dutch_Netherlands.1252"), not in codes.
_NAMES = {"dutch": "nl", "english": "en"}
_C_LOCALES = {"c", "posix"}


def language_code(value: str | None) -> str | None:
    """'nl_NL.UTF-8', 'nl-BE', 'nl_BE@euro', 'Dutch_Netherlands.1252', 'NL' -> 'nl'; the code
    of a language Kring speaks, or None for anything else (including C, and empty)."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()
    code = _NAMES.get(code, code)
    return code if code in LANGUAGES else None


def system_language(environ: Mapping[str, str],
                    fallback: Callable[[], str | None] | None = None) -> str:
    """The language the system asks for, as gettext reads it.

    ``LANGUAGE`` is a list of preferences ("nl:en") and wins, unless the locale is plain C:
    then GNU gettext ignores it, and so do we. Otherwise the first of ``LC_ALL``,
    ``LC_MESSAGES`` and ``LANG`` that is set decides (POSIX precedence: a set ``LC_ALL``
    overrides ``LANG`` even when it names another language). With none set (Windows, some
    macOS terminals), ``fallback`` asks the operating system.
    """
    setting = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG")
                    if environ.get(name)), None)
    is_c = setting is not None and setting.split(".")[0].lower() in _C_LOCALES
    if not is_c:
        for preferred in environ.get("LANGUAGE", "").split(":"):
            code = language_code(preferred)
            if code is not None:
                return code
    if setting is None and fallback is not None:
        setting = fallback()
    return language_code(setting) or DEFAULT


def platform_locale() -> str | None:
    """The operating system's own locale name, for when no environment variable says it."""
    try:
        return locale.getlocale()[0]
    except ValueError:  # an unparsable locale name: as good as none
        return None


def choose_language(cli: str | None, config: Mapping[str, str] | None,
                    environ: Mapping[str, str], *,
                    fallback: Callable[[], str | None] | None = platform_locale) -> str:
    """``--lang``, then the config setting, then the system locale; each only if it names a
    language Kring speaks (an unknown one falls through to the next, rather than failing)."""
    for wanted in (cli, (config or {}).get(CONFIG_KEY)):
        code = language_code(wanted)
        if code is not None:
            return code
    return system_language(environ, fallback)


def read_config(config_dir: Path) -> dict[str, str]:
    """The text (and true/false) settings in ``config.toml`` in ``config_dir``; {} if there is
    no such file or it cannot be read: a broken config must never keep Kring from starting."""
    return load_config(config_dir)[0]


def load_config(config_dir: Path) -> tuple[dict[str, str], str | None]:
    """The settings, as ``read_config``, and why the file was ignored (a sentence naming it),
    or None when it was read or there is none."""
    data, problem = load_config_data(config_dir)
    # true/false as text, so `html = true` reads like `html = "true"`
    settings = {key: (str(value).lower() if isinstance(value, bool) else value)
                for key, value in data.items() if isinstance(value, str | bool)}
    return settings, problem


def load_config_data(config_dir: Path) -> tuple[dict[str, object], str | None]:
    """``config.toml`` as TOML gives it (tables too: ``[folders]``), and why it was ignored."""
    path = config_dir / CONFIG_FILE
    try:
        raw, _status = read_limited(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return {}, None
    except NotADirectoryError:
        return {}, None  # the config folder itself is missing (a file in its place)
    except OSError as error:
        return {}, _config_problem(path, describe_read(error))
    import tomllib  # here: without a config file (most users) start-up never loads it

    try:
        return tomllib.loads(raw.decode("utf-8-sig")), None
    except UnicodeDecodeError:
        return {}, _config_problem(path, _("it is not UTF-8 text"))
    except RecursionError:
        return {}, _config_problem(path, _("it is nested too deeply"))
    except Exception as error:  # tomllib's own errors, and whatever else a strange file causes
        return {}, _config_problem(path, _syntax_reason(error))


def _config_problem(path: Path, reason: str) -> str:
    return _("{file} is ignored: {reason}.").format(file=path, reason=reason.rstrip("."))


def _syntax_reason(error: Exception) -> str:
    import tomllib

    if isinstance(error, tomllib.TOMLDecodeError):
        # tomllib's own words stay English: they are what a search for the error finds.
        return _("TOML syntax error: {message}").format(message=str(error))
    return _("it cannot be read as TOML ({kind})").format(kind=type(error).__name__)


def cli_language(argv: Sequence[str], with_value: Collection[str],
                 option: str = "--lang") -> str | None:
    """The value of the top-level ``option`` in a command line, before argparse reads it.

    The parser's help texts are translated when it is built, so the language must be known
    first. ``with_value`` are the top-level options that take a value (``option`` among
    them), so that a folder named after a sub-command is not taken for one. Only options
    before the sub-command count: ``kring templates --lang nl`` filters the protocols and
    does not change the interface.
    """
    tokens = iter(argv)
    for token in tokens:
        if token == "--" or not token.startswith("-"):
            return None  # the sub-command (or a positional): its --lang is its own
        name, has_value, value = token.partition("=")
        # argparse also takes an unambiguous abbreviation (--la nl, --dat DIR).
        known = [full for full in with_value
                 if name.startswith("--") and len(name) > 2 and full.startswith(name)]
        if len(known) != 1:
            continue
        if known[0] == option:
            return value if has_value else next(tokens, None)
        if not has_value:
            next(tokens, None)  # skip the option's value
    return None
