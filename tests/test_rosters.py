"""Rosters carry over: a meeting adds its participants to its community, never removes any."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.sessions.errors import NotFoundError
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, find_community, remember_roster, remove_member


def test_a_meeting_creates_then_extends_its_community(tmp_path: Path) -> None:
    store = Store(tmp_path)
    remember_roster(store, "CoP  Inclusion", ["Anouk", "Bram"])
    remember_roster(store, "cop inclusion", ["bram", "Chantal"])  # same group, typed loosely
    [community] = store.communities()
    assert community.name == "CoP Inclusion"
    assert community.members == ["Anouk", "Bram", "Chantal"]


def test_members_are_added_and_removed_by_name(tmp_path: Path) -> None:
    store = Store(tmp_path)
    add_member(store, "Team West", "Özlem")
    add_member(store, "Team West", "Dev")
    remove_member(store, "team west", "özlem")
    found = find_community(store, "TEAM WEST")
    assert found is not None and found.members == ["Dev"]
    with pytest.raises(NotFoundError):
        remove_member(store, "Team West", "Nobody")
    with pytest.raises(NotFoundError):
        remove_member(store, "No such team", "Dev")
