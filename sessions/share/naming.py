"""Whether a contribution from the room carries its writer's name: the facilitator's choice
for this sharing (F12, or ``kring share --names``). Named only suits a round where who asked
matters to the case-bringer; anonymous only, silent writing where a name would hold people
back; either leaves it to each participant. The server applies it to what is sent, whatever
a page shows: an anonymous phase keeps no name even when a hand-made request carries one."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from kring.sessions.i18n import N_, _


class Naming(StrEnum):
    ANY = "any"
    NAMED = "named"
    ANONYMOUS = "anonymous"

    @property
    def label(self) -> str:
        """Untranslated: shown through ``_()`` where the language is known."""
        return {
            Naming.ANY: N_("Named or anonymous, as each chooses"),
            Naming.NAMED: N_("Named only"),
            Naming.ANONYMOUS: N_("Anonymous only"),
        }[self]


class NameRequired(ValueError):
    """A contribution without a name from the roster where only named ones are taken."""

    def __init__(self) -> None:
        self.message = _("Choose your name from the list: this meeting takes named "
                         "contributions only.")
        super().__init__(self.message)


def sign(naming: Naming, who: str, names: Sequence[str]) -> str | None:
    """The roster name a contribution carries (``who`` is its place on the roster, as the
    page sends it), or None for an anonymous one. Raises NameRequired when ``naming`` asks
    for a name and ``who`` is none of the roster's."""
    if naming is Naming.ANONYMOUS:
        return None  # dropped, not refused: the text is welcome, the name is not kept
    # ASCII digits only, and few: "²" is a digit to isdigit() and not to int(), and int()
    # refuses thousands of digits; anything else a phone sends names nobody.
    place = int(who) if who.isascii() and who.isdigit() and len(who) <= 4 else len(names)
    chosen = names[place] if place < len(names) else None
    if chosen is None and naming is Naming.NAMED:
        raise NameRequired
    return chosen
