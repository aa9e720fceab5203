"""A community: a group of teachers that meets regularly, and who belongs to it (the roster)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Community:
    name: str  # its identity: meetings refer to their community by name
    members: list[str] = field(default_factory=list)
    # Keep meetings this many days; older ones are suggested for purging (sessions/purge.py).
    # None: kept until someone purges them by hand.
    retention_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "members": list(self.members),
                "retention_days": self.retention_days}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Community:
        name = data["name"]
        members = data.get("members", [])
        if not isinstance(name, str) or not isinstance(members, list) or not all(
            isinstance(member, str) for member in members
        ):
            raise TypeError("a community has a name and a list of member names")
        retention = data.get("retention_days")
        # bool is an int to Python, but `true` days is no period anyone meant.
        if retention is not None and (type(retention) is not int or retention < 1):
            raise TypeError("a community's retention period is a whole number of days")
        return cls(name=name, members=list(members), retention_days=retention)
