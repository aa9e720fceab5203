"""The minutes offered to the room once the meeting has ended: the Markdown and the one-page
handout PDF, as the room may read them (the minutes' own privacy: pseudonyms, no private
entry), made once per change of the meeting however many phones ask, the PDF in a worker
thread so the server keeps serving while it is set."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from kring.sessions.meeting.live import LiveMeeting

MARKDOWN_TYPE = "text/markdown; charset=utf-8"
PDF_TYPE = "application/pdf"


@dataclass(frozen=True)
class Offered:
    markdown: bytes
    handout: bytes
    name: str  # the minutes' file name without its extension: ASCII, no protected name


class MinutesForRoom:
    def __init__(self) -> None:
        self._made: tuple[int, Offered] | None = None
        self._making = asyncio.Lock()

    async def of(self, live: LiveMeeting, version: int) -> Offered:
        """The minutes of ``live`` as of the feed's ``version``, made if not made yet."""
        async with self._making:
            if self._made is None or self._made[0] != version:
                self._made = (version, await asyncio.to_thread(_make, live))
            return self._made[1]


def _make(live: LiveMeeting) -> Offered:
    from kring.sessions.documents.filenames import minutes_filename
    from kring.sessions.documents.minutes import render_markdown
    from kring.sessions.documents.pdf.render import render_pdf

    markdown = render_markdown(live.meeting, live.entries)
    return Offered(markdown.encode("utf-8"), render_pdf(live, markdown, handout=True),
                   minutes_filename(live.meeting, "md").removesuffix(".md"))
