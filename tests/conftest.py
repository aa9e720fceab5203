"""Shared fixtures: every test gets its own data and config folders, never the user's. And
the markers (``e2e``, ``slow``) that pick the quick run: ``pytest -m "not e2e and not slow"``.
Helpers the tests share are in tests/support/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kring.sessions.i18n import use_language
from kring.sessions.model.clock import FakeClock
from tests.support.browser import browser  # noqa: F401  (a fixture: Chromium, for who asks)
from tests.support.guard import GUARD_CACHE


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("KRING_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("KRING_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("KRING_STATE", str(tmp_path / "state"))
    # Kring writes unsaved changes to the home folder as a last resort, and `kring doctor`
    # looks for them there: a test (or a kring it starts) must never write into, or find
    # files in, the developer's own home (one did, and doctor tests then failed).
    # Beside tmp_path, not in it: tests list what they wrote there.
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    # The privacy guard's lookup structures take minutes to build: built once per virtual
    # environment, shared by every test (sessions/guard/cache.py), never per test.
    monkeypatch.setenv("KRING_GUARD_CACHE", str(GUARD_CACHE))
    # The real kring in tmux runs without the guard's gigabyte process unless a test is about
    # it (the replay, tests/test_guard_*.py): its load on a busy two-core machine slowed other
    # tests' typing past their waits.
    monkeypatch.setenv("KRING_GUARD", "off")
    # English unless a test says otherwise, whatever the developer's own locale is.
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    yield tmp_path
    use_language("en")  # a test that ran the CLI in Dutch leaves the interface as it found it


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The data folder a test's app or store works in (the same one KRING_DATA names)."""
    return tmp_path / "data"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--stress", action="store_true",
                     help="the thorough run: the store's crash test 2,000 times instead of "
                          "200, and every property test with its full count of examples "
                          "(tests/support/budget.py)")


def pytest_configure(config: pytest.Config) -> None:
    # What a test needs beyond Python, and what takes long: `-m "not e2e and not slow"` is the
    # quick run for the edit-test loop; a plain run (`make test`) runs everything.
    config.addinivalue_line(
        "markers", "e2e: end to end, needs more than Python: a real terminal (tmux), a browser "
                   "(Chromium, Playwright), Syncthing, or a wheel built and installed")
    config.addinivalue_line(
        "markers", "slow: takes more than about five seconds on its own")
    if config.getoption("--stress"):
        import os

        os.environ["KRING_STRESS"] = "1"


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask (022), under which a file is readable by others unless Kring makes it
    private: what tests of 0600 files run under."""
    import os

    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)
