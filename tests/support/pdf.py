"""The PDF minutes for the tests: a meeting held in a data folder as a note-taker holds it (lines
typed into the capture line, phase after phase, then ended), and the PDF read back as a reader
sees it: its text per page (pypdf), its page sizes, the font sizes its text is set in, and its
pages as pictures (poppler's ``pdftoppm``)."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PdfReader

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import remember_roster
from tests.support.catalog import CATALOG

A4 = (595.28, 841.89)  # pt, as fpdf2 writes A4's media box
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]
PDFTOPPM = shutil.which("pdftoppm")
PDFTOTEXT = shutil.which("pdftotext")
_TF = re.compile(rb"/F\d+\s+([\d.]+)\s+Tf")


def hold_meeting(data: Path, phases: Sequence[Sequence[str]], *,
                 protocol: str = "consultancy", language: str = "en",
                 case: Case | None = None, protect: Sequence[str] = (),
                 when: str = "2026-11-25", community: str = "CoP Inclusion") -> str:
    """A meeting of ``community`` held on ``when`` (ISO) with the ``protocol`` in
    ``language``, stored in ``data`` and ended: ``phases[i]``'s lines typed into phase i's
    capture line (``LiveMeeting.add_line``, the app's own path: prefixes, @owners, due dates,
    a leading "!" for private), half a minute apart, ``protect``'s names protected before the
    first line. Anouk facilitates, Bram brings the case. Its id."""
    clock = FakeClock(datetime.fromisoformat(f"{when}T09:00:00").replace(tzinfo=UTC))
    found = CATALOG.find(protocol, language)
    assert found is not None, (protocol, language)
    plan = MeetingPlan(found.protocol, community=community, participants=list(PEOPLE),
                       case=case or Case("A quiet pupil", "He stopped asking for help.",
                                         "How do I notice sooner who needs me?"))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    store = Store(data)
    store.create_meeting(meeting)
    remember_roster(store, community, meeting.participants)  # as the app does at setup
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    if protect:
        live.protect_names(list(protect))
    for number, lines in enumerate(phases):
        if number:
            live.next_phase()
        for line in lines:
            added = live.add_line(line)
            assert added.entry is not None, (line, added.problems)
            # Entries are ordered by when they were typed: never two at the same moment.
            clock.advance(seconds=30)
    live.end()
    return meeting.id


def reader(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-"), pdf[:20]
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, as pypdf extracts it."""
    return [page.extract_text() for page in reader(pdf).pages]


def one_line(text: str) -> str:
    """``text`` with every run of whitespace one space: a wrapped line joined again."""
    return " ".join(text.split())


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height))
            for page in reader(pdf).pages]


def font_sizes(pdf: bytes) -> list[float]:
    """Every font size the pages' text is set in (each ``Tf`` operator's size)."""
    sizes: list[float] = []
    for page in reader(pdf).pages:
        contents = page.get_contents()
        assert contents is not None
        sizes.extend(float(size) for size in _TF.findall(contents.get_data()))
    return sizes


def render_pages(pdf: Path, folder: Path, *, resolution: int = 60) -> list[Path]:
    """Each page of ``pdf`` as a grey PNG in ``folder`` (pdftoppm), in page order."""
    assert PDFTOPPM is not None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([PDFTOPPM, "-png", "-gray", "-r", str(resolution), str(pdf),
                    str(folder / "page")], check=True, timeout=60, capture_output=True)
    return sorted(folder.glob("page-*.png"))


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (its signature, then the IHDR chunk)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", head
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def word_boxes(pdf: Path) -> list[tuple[float, float, str]]:
    """Every word poppler finds on the pages: its left and right edge (pt) and its text."""
    assert PDFTOTEXT is not None
    done = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, timeout=60,
                          capture_output=True, text=True)
    return [(float(left), float(right), word) for left, right, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        done.stdout)]
