"""Who belongs to which community: the rosters meetings start from and add to."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

from kring.sessions.errors import NotFoundError, StoreError
from kring.sessions.i18n import _
from kring.sessions.model.community import Community
from kring.sessions.model.consent import Consent, person_key
from kring.sessions.model.meeting import new_id
from kring.sessions.model.name_variants import fold
from kring.sessions.store.facade import Store
from kring.sessions.store.meetings import MeetingRecord


def find_community(store: Store, name: str) -> Community | None:
    """By name, ignoring case and surrounding space, as people type it."""
    wanted = " ".join(name.split()).casefold()
    return next((c for c in store.communities() if c.name.casefold() == wanted), None)


def remember_roster(store: Store, community: str, participants: Sequence[str]) -> Community:
    """After a meeting is set up: its community exists and knows everyone who took part.
    Nobody is taken off a roster by a meeting they missed."""
    return _add_to(store, community, lambda found: found.members, participants)


def _add_to(store: Store, community: str, field: Callable[[Community], list[str]],
            values: Sequence[str]) -> Community:
    """Add ``values`` to a list of the community (``field``), each once whatever its case;
    a community not on record yet is made (it met before its roster was kept)."""
    existing = find_community(store, community)
    if existing is None:
        created = Community(" ".join(community.split()))
        field(created).extend(values)
        store.save_community(created)
        return created

    def add(found: Community) -> Community:
        held = field(found)
        known = {value.casefold() for value in held}
        held.extend(value for value in values if value.casefold() not in known)
        return found

    return store.update_community(existing.name, add)


def add_member(store: Store, community: str, member: str) -> Community:
    """Add someone to a community, creating the community if it is new. Someone already on
    the roster is added again (as spelled there): whoever says so means them to be on it,
    even if another laptop, not knowing, takes them off meanwhile."""
    name = " ".join(member.split())
    existing = find_community(store, community)
    if existing is None:
        return remember_roster(store, community, [name])
    wanted = person_key(name)
    spelled = next((m for m in existing.members if person_key(m) == wanted), name)
    return store.add_members(existing.name, [spelled])


def remove_member(store: Store, community: str, member: str) -> Community:
    existing = find_community(store, community)
    if existing is None:
        raise NotFoundError(_("There is no such community."))
    wanted = member.casefold()
    if not any(m.casefold() == wanted for m in existing.members):
        raise NotFoundError(_("That person is not on the community's roster."))

    def remove(found: Community) -> Community:
        found.members = [m for m in found.members if m.casefold() != wanted]
        return found

    return store.update_community(existing.name, remove)


def set_retention(store: Store, community: str, days: int | None) -> Community:
    """Keep a community's meetings this many days (None: as long as you like); Kring then
    suggests purging what is older, and never purges on its own."""
    existing = find_community(store, community)
    if existing is None:
        raise NotFoundError(_("There is no such community."))
    if days is not None and days < 1:
        raise ValueError("a retention period is at least one day")

    def retain(found: Community) -> Community:
        found.retention_days = days
        return found

    return store.update_community(existing.name, retain)


def plan_meeting(store: Store, community: str, when: datetime | None) -> Community:
    """Set when ``community`` next meets (a timezone-aware moment), or clear it with None."""
    existing = find_community(store, community)
    if existing is None:
        raise NotFoundError(_("There is no such community."))
    if when is not None and (when.tzinfo is None or when.utcoffset() is None):
        raise ValueError("a planned meeting's time needs its time zone")

    def plan(found: Community) -> Community:
        found.next_meeting = when
        return found

    return store.update_community(existing.name, plan)


def set_consent(store: Store, community: str, person: str, *, grant: bool, day: date) -> Consent:
    """Record that a member grants (from ``day``) or withdraws (on ``day``) consent to use their
    words for research: one more decision in the community's history, which has seen every
    decision about the member this laptop knows of (``model/consent.py`` has the rule)."""
    existing = find_community(store, community)
    if existing is None:
        raise NotFoundError(_("There is no such community."))
    wanted = person_key(person)
    if not any(person_key(m) == wanted for m in existing.members):
        raise NotFoundError(_("That person is not on the community's roster."))

    def record(found: Community) -> Consent:
        member = next((m for m in found.members if person_key(m) == wanted), None)
        if member is None:
            raise NotFoundError(_("That person is not on the community's roster."))
        found.consents = found.consents.decide(new_id(), member, grant=grant, on=day)
        standing = found.consents.standing(member)
        assert standing is not None
        return standing

    return store.update_community(existing.name, record)


def community_records(store: Store, community: str | None = None) -> Iterator[MeetingRecord]:
    """The meetings of a community (of all, with None) that can be read, newest first, matched
    ignoring case and accents. Unreadable ones are skipped: ``store.problems`` names them."""
    wanted = None if community is None else fold(community)
    for summary in store.list_meetings():
        if wanted is not None and fold(summary.community) != wanted:
            continue
        try:
            yield store.load(summary.id)
        except StoreError:
            continue


def dismiss_words(store: Store, community: str, words: Sequence[str]) -> Community:
    """Words the privacy guard found that a person said are nobody: not asked about again in
    this community's meetings. Dismissals from laptops offline at once are all kept (a set)."""
    wanted = [" ".join(word.split()) for word in words if word.strip()]
    return _add_to(store, community, lambda found: found.dismissed, wanted)


def dismissed_words(store: Store, community: str) -> list[str]:
    found = find_community(store, community)
    return [] if found is None else list(found.dismissed)
