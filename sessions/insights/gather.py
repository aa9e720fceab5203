"""The insights of a community over a range of its meetings, made from the index's digests
(``sessions/store/digest.py``, ``figures.py``): no meeting is opened, so a year's insights
cost about what a list of meetings does.

Who may be shown: a person's figures only when they consent to research today (a withdrawal
takes them out of every figure about them, past meetings included), and only while at least
``TOO_FEW`` consenting people have figures; a group figure only when at least ``TOO_FEW``
people make it up. Anonymous contributions (an evaluation from a phone, unsigned) count in
group figures only. Protected names are hidden in every text shown.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kring.sessions.insights.model import (
    TOO_FEW,
    FollowThrough,
    Insights,
    MeetingInsight,
    PersonInsight,
    PhaseInsight,
)
from kring.sessions.insights.themes import ThemeSource, themes_of
from kring.sessions.model.action_points import STILL_TO_DO
from kring.sessions.model.consent import ConsentHistory, person_key
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import ActionStatus, Entry
from kring.sessions.store.digest import MeetingDigest
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import find_community

Consents = Callable[[str], bool]  # whether a person (as named in a meeting) may be shown


def consenting(history: ConsentHistory | None, today: date) -> Consents:
    """Whether a person consents today: no community on record, nobody does."""
    if history is None:
        return lambda _name: False
    return lambda name: history.consents_on(name, today)


def gather_insights(digests: Iterable[MeetingDigest], community: str, consents: Consents, *,
                    today: date, start: date | None = None, end: date | None = None,
                    members: Sequence[str] = (), themes: bool = True) -> Insights:
    """The insights of ``community`` from its meetings' ``digests`` (any order), the meetings
    dated ``start`` to ``end`` (inclusive; None: open). ``members``: the roster, so that a
    member who never took part is still counted among those not shown or without a case.
    ``themes``: read the key phrases (the slowest part; a screen may ask for them later)."""
    chosen = sorted((d for d in digests if _in_range(d.summary.date, start, end)),
                    key=lambda d: (d.summary.date, d.summary.created_at))
    names = _Names(consents)
    for name in members:
        names.see(name)
    meetings = tuple(_meeting(digest, names, today) for digest in chosen)
    people = _people(chosen, names, today)
    shown = tuple(p for p in people if names.shown(p.name))
    languages = Counter(d.summary.language for d in chosen)
    language = languages.most_common(1)[0][0] if languages else "en"
    return Insights(
        community=community, start=start, end=end, today=today, language=language,
        meetings=meetings, phases=_phases(chosen),
        people=shown if len(shown) >= TOO_FEW else (),
        people_too_few=len(shown) < TOO_FEW,
        not_shown=sum(1 for key in names.spelling if not names.shown(names.spelling[key])),
        themes=themes_of([_theme_source(d) for d in chosen], language) if themes else ())


def community_insights(store: Store, community: str, *, today: date,
                       start: date | None = None, end: date | None = None,
                       themes: bool = True) -> Insights:
    """The insights of ``community`` (its name as on record or as meetings were held by) as
    the store holds it: its roster and consents from the communities log (none on record:
    nobody consents), its meetings' digests from the index."""
    found = find_community(store, community)
    return gather_insights(
        store.digests(community, figures=True), found.name if found else community,
        consenting(found.consents if found else None, today), today=today, start=start,
        end=end, members=found.members if found else (), themes=themes)


def _in_range(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


class _Names:
    """Every person seen, by how rosters match names (case and spacing ignored), spelled as
    first seen; and whether each may be shown."""

    def __init__(self, consents: Consents) -> None:
        self.consents = consents
        self.spelling: dict[str, str] = {}
        self._shown: dict[str, bool] = {}

    def see(self, name: str) -> str:
        key = person_key(name)
        if key and key not in self.spelling:
            self.spelling[key] = name
        return key

    def shown(self, name: str) -> bool:
        key = person_key(name)
        if key not in self._shown:
            self._shown[key] = bool(key) and self.consents(self.spelling.get(key, name))
        return self._shown[key]


def follow_through(actions: Iterable[Entry], today: date) -> FollowThrough:
    done = still = overdue = dropped = 0
    for entry in actions:
        if entry.status is ActionStatus.DONE:
            done += 1
        elif entry.status is ActionStatus.DROPPED:
            dropped += 1
        elif entry.status in STILL_TO_DO:
            still += 1
            overdue += entry.due is not None and entry.due < today
    return FollowThrough(done, still, overdue, dropped)


def _actions(digest: MeetingDigest) -> list[Entry]:
    return [e for e in digest.entries if e.kind is Capture.ACTION and not e.private]


def _meeting(digest: MeetingDigest, names: _Names, today: date) -> MeetingInsight:
    figures = digest.figures
    for name in figures.participants:
        names.see(name)
    # A named score counts only with its author's consent; an unsigned one names nobody.
    scores = [e.score for e in digest.entries
              if e.kind is Capture.EVALUATION and not e.private and e.score is not None
              and (e.author is None or names.shown(e.author))]
    summary = digest.summary
    return MeetingInsight(
        meeting_id=summary.id, date=summary.date, title=summary.public_case,
        protocol=summary.protocol, ended=not summary.in_progress,
        actions=follow_through(_actions(digest), today),
        planned=sum(p.planned for p in figures.phases),
        actual=sum(p.actual for p in figures.phases),
        score=sum(scores) / len(scores) if len(scores) >= TOO_FEW else None,
        scores=len(scores) if len(scores) >= TOO_FEW else 0,
        balance=_balance(figures.participants, dict(figures.spoken)))


def _balance(participants: Sequence[str], spoken: dict[str, int]) -> float | None:
    """How evenly the participants were heard: the entropy of their shares of the attributed
    entries over its maximum (1: all alike; 0: one voice). Participants who said nothing
    count, as a share of nothing."""
    if len(participants) < TOO_FEW:
        return None
    by_person = Counter({person_key(name): 0 for name in participants})
    for name, count in spoken.items():
        if person_key(name) in by_person:
            by_person[person_key(name)] += count
    total = sum(by_person.values())
    if total == 0:
        return None
    entropy = -sum(n / total * math.log(n / total) for n in by_person.values() if n)
    return round(entropy / math.log(len(by_person)), 3)


@dataclass(slots=True)
class _Person:
    meetings: int = 0
    spoken: int = 0
    questions: int = 0
    cases: int = 0
    last_case: date | None = None


def _people(digests: Sequence[MeetingDigest], names: _Names, today: date
            ) -> list[PersonInsight]:
    # Every member has a row, also one who never came.
    people = defaultdict(_Person, {key: _Person() for key in names.spelling})
    owned: dict[str, list[Entry]] = defaultdict(list)
    for digest in digests:
        figures = digest.figures
        for name in figures.participants:
            people[names.see(name)].meetings += 1
        for name, count in figures.spoken:
            people[names.see(name)].spoken += count
        for name, count in figures.asked:
            people[names.see(name)].questions += count
        if figures.case_bringer:
            person = people[names.see(figures.case_bringer)]
            person.cases += 1
            person.last_case = digest.summary.date
        for entry in _actions(digest):
            if entry.owner:
                owned[names.see(entry.owner)].append(entry)
    return sorted((PersonInsight(name=names.spelling[key], meetings=p.meetings,
                                 spoken=p.spoken, questions=p.questions, cases=p.cases,
                                 last_case=p.last_case,
                                 actions=follow_through(owned.get(key, ()), today))
                   for key, p in people.items() if key in names.spelling),
                  key=lambda person: person_key(person.name))


def _phases(digests: Sequence[MeetingDigest]) -> tuple[PhaseInsight, ...]:
    held: dict[str, list[tuple[int, int]]] = {}
    skipped: Counter[str] = Counter()
    for digest in digests:
        for phase in digest.figures.phases:
            times = held.setdefault(phase.title, [])
            if phase.skipped:
                skipped[phase.title] += 1
            else:
                times.append((phase.planned, phase.actual))
    return tuple(PhaseInsight(title=title, held=len(times), skipped=skipped[title],
                              planned=_mean(p for p, _a in times),
                              actual=_mean(a for _p, a in times))
                 for title, times in held.items())


def _mean(values: Iterable[int]) -> int:
    values = list(values)
    return round(sum(values) / len(values)) if values else 0


def _theme_source(digest: MeetingDigest) -> ThemeSource:
    """A meeting's text for the themes, with every protected name and every participant's
    name taken out (not replaced: a pseudonym is no theme either)."""
    figures = digest.figures
    return ThemeSource(meeting_id=digest.summary.id, text=figures.theme_text,
                       names=(*digest.protected_names, *figures.participants))
