"""Shared fixtures: every test gets its own data and config folders, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KRING_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("KRING_CONFIG", str(tmp_path / "config"))
    return tmp_path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--stress", action="store_true",
                     help="run the store's crash test 2,000 times instead of 200")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--stress"):
        import os

        os.environ["KRING_STRESS"] = "1"
