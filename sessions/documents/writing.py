"""Writing a meeting's minutes into the minutes folder: the one writer that the app (when a
meeting ends, when an amendment is done, and for the minutes so far) and ``kring export`` both
call, fed the same kind of record, so that for the same meeting their files are the same, byte
for byte, under the same names.

The record is a meeting with its entries: ``Store.load``'s, as every device's logs add up to
now (``kring export``), or a live meeting as its window holds it (the app), which is the same
once everything is saved. The minutes are rendered by ``minutes.py`` (and ``html.py`` for the
page) and placed under the meeting's name by ``filenames.py``; the moment they are written as
of is passed in, never read from a clock here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kring.sessions.documents.filenames import write_named
from kring.sessions.documents.minutes import HANDOUT, MARKDOWN, PDF, render_minutes_texts
from kring.sessions.guard.meeting import Verdict
from kring.sessions.model.meeting import MeetingWithEntries


def write_minutes(record: MeetingWithEntries, folder: Path, *, now: datetime | None,
                  html: bool = False, guard: Verdict | None = None, pdf: bool = False,
                  handout: bool = False, next_meeting: datetime | None = None) -> list[Path]:
    """Render the minutes of ``record`` (Markdown, and the standalone HTML page when
    ``html``) and write them into ``folder``: as new private files sharing one name, or over
    the files this meeting's minutes were written to before (``filenames.write_named``).
    Returns the paths written, the Markdown first. Raises ``MinutesError`` when the disk
    refuses.

    ``now``: for a meeting in progress, the moment the minutes so far are written as of (the
    running step counts up to it). None: as of the last moment the meeting recorded, so the
    same record always gives the same files. An ended meeting's minutes do not depend on it.
    ``guard``: what the privacy guard made of the meeting, said in the front matter.
    ``pdf``: the whole minutes as A4 PDF beside them (``.pdf``); ``handout``: the one-page
    handout (``.handout.pdf``), with the community's ``next_meeting`` on it."""
    meeting = record.meeting
    texts: dict[str, str | bytes] = dict(
        render_minutes_texts(meeting, record.entries, html=html, now=now, guard=guard))
    if pdf or handout:
        # Here, not above: fpdf2 takes a third of a second to import, and only a PDF needs it.
        from kring.sessions.documents.pdf.render import render_pdf

        for wanted, extension in ((pdf, PDF), (handout, HANDOUT)):
            if wanted:
                texts[extension] = render_pdf(record, str(texts[MARKDOWN]),
                                              handout=extension == HANDOUT, now=now,
                                              next_meeting=next_meeting)
    return write_named(folder, meeting, texts)
