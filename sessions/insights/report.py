"""What the insights' HTML report (``html.py``) and its charts (``charts.py``) share: the
figures with the report language's words, and text made safe for the page.

Every text from the data is made plain (``sessions/plain.py``), HTML-escaped, and isolated
(``<bdi>``) so a right-to-left name does not reorder the sentence around it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from kring.sessions.insights.model import Insights
from kring.sessions.model.dates import day_month, long_date
from kring.sessions.plain import plain_line

WIDTH = 640  # every chart's width in its own units; CSS scales it to the column or the page
LABEL = 11  # the charts' font size, in those units
CHAR = 6.2  # about how wide a character of that font is, for fitting the date labels
SHORT_TITLE = 70  # characters of a phase's title shown in its chart (the table has it all)

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Report:
    """What every part of the page needs: the figures and the report language's words."""

    found: Insights
    language: str
    gettext: Translate
    ngettext: Callable[[str, str, int], str]

    def day(self, day: date) -> str:
        """A date under a chart: without its year when every meeting is in one year."""
        meetings = self.found.meetings
        if meetings and meetings[0].date.year == meetings[-1].date.year:
            return day_month(day, self.language)
        return long_date(day, self.language)


def escape(text: str) -> str:
    """Text for the page, in an element or an attribute: every ``<``, ``&`` and quote escaped."""
    return html.escape(text, quote=True)


def data(text: str) -> str:
    """Text from the data inside a sentence: plain, escaped and isolated, so a name in Arabic
    or Hebrew does not reorder the words around it."""
    return f"<bdi>{escape(plain_line(text))}</bdi>"


def short(text: str, limit: int = SHORT_TITLE) -> str:
    text = " ".join(plain_line(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def coordinate(value: float) -> str:
    """A coordinate: short, and with a point whatever the language."""
    return f"{value:.1f}".removesuffix(".0")
