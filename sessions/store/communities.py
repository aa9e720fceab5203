"""The communities file: every community and its roster, in one file, keyed by name.

Like a meeting file, each change is one locked read-modify-write (``Recovery.transaction``), and
an unreadable file is set aside and reported, never written over.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kring.sessions.errors import NotFoundError, UnreadableError
from kring.sessions.i18n import _
from kring.sessions.model.community import Community
from kring.sessions.store.checks import check_communities
from kring.sessions.store.layout import COMMUNITIES_KIND, COMMUNITIES_WHAT, Layout
from kring.sessions.store.records import (
    COMMUNITIES_TABLE,
    drop_community,
    get_community,
    put_community,
)
from kring.sessions.store.recovery import Recovery
from kring.sessions.store.storage import AtomicJSONStorage

T = TypeVar("T")


class Communities:
    def __init__(self, layout: Layout, recovery: Recovery) -> None:
        self.recovery = recovery
        self.storage = AtomicJSONStorage(
            layout.communities, COMMUNITIES_KIND, what=_(COMMUNITIES_WHAT),
            check=check_communities,
        )

    def all(self) -> list[Community]:
        """Every community, by name; none while the file cannot be read."""
        with self.recovery.mutex:
            try:
                tables = self.recovery.read(self.storage)
            except UnreadableError:
                return []  # reported in problems; restore_backup may help
            docs = (tables or {}).get(COMMUNITIES_TABLE, {})
            found = [Community.from_dict(dict(doc)) for doc in docs.values()]
        return sorted(found, key=lambda community: community.name.casefold())

    def save(self, community: Community) -> None:
        with self.recovery.transaction(self.storage, missing=None) as db:
            put_community(db, community, community.name)

    def update(self, name: str, mutate: Callable[[Community], T]) -> T:
        with self.recovery.transaction(self.storage, missing=None) as db:
            community = get_community(db, name)
            if community is None:
                raise NotFoundError(_("There is no such community."))
            result = mutate(community)
            if community.name != name and get_community(db, community.name) is not None:
                raise ValueError("another community already has that name")
            put_community(db, community, name)
        return result

    def delete(self, name: str) -> Community | None:
        with self.recovery.transaction(self.storage, missing=None) as db:
            return drop_community(db, name)

    def restore_backup(self) -> list[Community]:
        self.recovery.restore(self.storage)
        return self.all()
