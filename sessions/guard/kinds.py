"""What the guard can find: one row per kind, with the words people read about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kring.sessions.i18n import N_


class Kind(Enum):
    PERSON = "person"
    PLACE = "place"
    INSTITUTION = "institution"
    BIRTH_DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    BSN = "bsn"
    NUMBER = "number"  # a long number: a pupil's or a file's id


@dataclass(frozen=True)
class KindRow:
    label: str  # N_: translated where shown
    advice: str  # N_: what the note-taker can do about it
    protectable: bool  # a name the meeting can protect (pseudonymise); else edit it out
    tags: tuple[str, ...]  # deduce's tags for it


KINDS: dict[Kind, KindRow] = {
    Kind.PERSON: KindRow(N_("name"), N_("protect it, or dismiss it if it is nobody"), True,
                         ("persoon", "patient")),
    Kind.PLACE: KindRow(N_("place"), N_("protect it, or dismiss it"), True, ("locatie",)),
    Kind.INSTITUTION: KindRow(N_("institution"), N_("protect it, or dismiss it"), True,
                              ("ziekenhuis", "zorginstelling", "instelling")),
    Kind.BIRTH_DATE: KindRow(N_("date of birth"), N_("edit it out of the entry"), False,
                             ("datum",)),
    Kind.PHONE: KindRow(N_("phone number"), N_("edit it out of the entry"), False,
                        ("telefoonnummer",)),
    Kind.EMAIL: KindRow(N_("e-mail address"), N_("edit it out of the entry"), False,
                        ("emailadres",)),
    Kind.BSN: KindRow(N_("BSN"), N_("edit it out of the entry"), False, ("bsn",)),
    Kind.NUMBER: KindRow(N_("identifying number"), N_("edit it out of the entry"), False,
                         ("id",)),
}

BY_TAG: dict[str, Kind] = {tag: kind for kind, row in KINDS.items() for tag in row.tags}
