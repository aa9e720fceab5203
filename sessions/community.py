"""A community: a group of teachers that meets regularly, and who belongs to it (the roster)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Community:
    name: str  # its identity: meetings refer to their community by name
    members: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "members": list(self.members)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Community:
        name = data["name"]
        members = data.get("members", [])
        if not isinstance(name, str) or not isinstance(members, list) or not all(
            isinstance(member, str) for member in members
        ):
            raise TypeError("a community has a name and a list of member names")
        return cls(name=name, members=list(members))
