"""`kring export MEETING --format pdf [--handout]` (issue 27), read back as a reader gets it.

The whole minutes: every entry's text, in the Markdown's order, on A4 pages that are real
pictures (poppler draws them); privacy exactly as the Markdown's (pseudonyms, no private
entries), in the PDF's title too; odd text (Dutch letters, emoji, Arabic and Hebrew, Markdown
and markup characters, escape codes, a 3,000-character entry) set without a crash and without
losing a word; the same bytes from two processes, dated by the meeting. The handout: one page
for a typical meeting, with every action point's text, owner, due date and a box; one page for a
very long one too, ending "Continued in the full minutes." (Dutch: "Verder in het volledige
verslag."), never below 9 pt. The command line: --handout only with --format pdf, --out - into
a pipe only, files named after the Markdown, private whatever the umask. And a plain start of
Kring still does not import fpdf2.
"""

from __future__ import annotations

import ast
import os
import pty
import random
import re
import shutil
import stat
import subprocess
import sys
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

import pytest
from PIL import Image
from pypdf.generic import DictionaryObject

from kring.sessions.documents.html import strip_front_matter
from kring.sessions.documents.pdf.minutes import render_minutes_pdf
from kring.sessions.model.meeting import Case
from kring.sessions.store.facade import Store
from tests.support.cli import run
from tests.support.pdf import (
    A4,
    PDFTOPPM,
    PDFTOTEXT,
    font_sizes,
    hold_meeting,
    one_line,
    page_sizes,
    page_texts,
    png_size,
    reader,
    render_pages,
    word_boxes,
)

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "test-artefacts"  # kept for a person to look at; ignored by git
KRING = Path(sys.executable).with_name("kring")
MARGIN = 18.0 * 72 / 25.4  # pt: the page's margin (18 mm), left and right
CONTINUED = "Continued in the full minutes."
VERDER = "Verder in het volledige verslag."

needs_kring = pytest.mark.skipif(not KRING.exists(), reason=f"no kring next to {sys.executable}")
needs_poppler = pytest.mark.skipif(PDFTOPPM is None or PDFTOTEXT is None,
                                   reason="no pdftoppm/pdftotext (Debian: poppler-utils)")

# A typical consultancy-protocol meeting, phase by phase: 40 entries, three decisions, six
# action points with owners and due dates, three learnings.
ACTIONS = [
    ("Check in with him at the start of every lesson", "Bram", date(2026, 12, 1)),
    ("Ask the mentor what changed after the break", "Chantal", date(2026, 12, 4)),
    ("Print the stuck cards for four classes", "Dev", date(2026, 12, 3)),
    ("Share the first step card with the team", "Anouk", date(2026, 12, 8)),
    ("Plan a talk with his parents", "Bram", date(2026, 12, 11)),
    ("Put the case on the next agenda", "Anouk", date(2026, 12, 16)),
]
DECISIONS = ["We take Bram's case today.", "The card idea is tried in all four classes.",
             "We meet again in three weeks."]
LEARNINGS = ["A quiet pupil is a question, not an answer.",
             "Asking open questions first slows us down in a good way.",
             "The focus question kept us on track."]
TYPICAL = [
    ["He used to ask three questions a lesson.", "f: Since the autumn break he asks none.",
     "Last Tuesday: an empty page after 20 minutes.", "f: His marks dropped a point.",
     "His mentor noticed it too.", f"d: {DECISIONS[0]}"],
    ["q: When did you first notice? @Chantal", "Two weeks after the break.",
     "q: Does he ask his classmates? @Dev", "Sometimes, quietly.",
     "q: How is he in other lessons? @Anouk", "The same, his mentor says.",
     "q: Did anything happen at home? @Chantal"],
    ["q: What do you expect from him? @Dev", "q: What would help look like for him? @Anouk",
     "n: He may not expect help to help.", "q: What have you tried? @Chantal",
     "Asking him after class; he said all was fine.", "q: Who else sees him every day? @Dev"],
    ["p: Sit next to him for the first five minutes. @Dev",
     "p: Ask the whole class for a first step. @Anouk", "r: We jump to advice quickly. @Chantal",
     "p: Talk to the mentor first. @Chantal", "n: The group agrees the silence is a signal.",
     "p: Give him a card to show when stuck. @Anouk", f"d: {DECISIONS[1]}",
     "r: Silence is not the same as coping. @Dev"],
    ["r: I will stop waiting for him to ask. @Bram",
     *(f"a: {text} @{owner} {due.isoformat()}" for text, owner, due in ACTIONS),
     f"l: {LEARNINGS[0]}", f"d: {DECISIONS[2]}"],
    [f"l: {LEARNINGS[1]}", f"l: {LEARNINGS[2]}", "r: Good pace; the probing round was short.",
     "r: Next time we write questions first."],
]


def typed_text(line: str) -> str:
    """What is left of a typed line once its prefix and @mention are read (these lines put
    both where the capture line takes them away whole)."""
    text = re.sub(r"^[a-z]+: ", "", line)
    text = re.sub(r" @\w+( \d{4}-\d{2}-\d{2})?$", "", text)
    return text


def minutes_folder(data: Path) -> Path:
    return data / "minutes"


def export_to_folder(capsys: pytest.CaptureFixture[str], meeting: str, *extra: str
                     ) -> tuple[str, dict[str, Path]]:
    """``kring export MEETING --format pdf *extra`` into the minutes folder: what it printed,
    and the files it names by their kind ("md", "pdf", "handout.pdf")."""
    code, out, err = run(capsys, "export", meeting, "--format", "pdf", *extra)
    assert code == 0, err
    written = {}
    for path in re.findall(r"written to (.+)$", out, re.MULTILINE):
        name = Path(path).name
        written[name.split(".", 1)[1]] = Path(path)
    return out, written


@pytest.fixture
def typical(data: Path) -> str:
    return hold_meeting(data, TYPICAL)


# -- the whole minutes --------------------------------------------------------------------


def test_every_entry_comes_back_in_the_markdown_s_order_on_a4_pages(
        typical: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, typical)
    pdf = written["pdf"].read_bytes()
    markdown = one_line(strip_front_matter(written["md"].read_text(encoding="utf-8")))
    pages = page_texts(pdf)
    # 40 entries, a front page and a timing table: more than one page, each of them A4 and
    # none of them empty (a page break that left a page blank would show here).
    assert len(pages) >= 2 and all(text.strip() for text in pages)
    assert page_sizes(pdf) == [pytest.approx(A4, abs=0.01)] * len(pages)
    text = one_line("\n".join(pages))
    entries = [typed_text(line) for phase in TYPICAL for line in phase]
    assert len(entries) == 40
    missing = [entry for entry in entries if entry not in text]
    assert missing == []
    # In order: the entries sorted by where the Markdown has them are sorted the same by where
    # the PDF has them (actions and learnings are gathered at the end in both).
    by_markdown = sorted(entries, key=markdown.index)
    assert sorted(entries, key=text.index) == by_markdown
    # The last page holds what the Markdown ends with: nothing was cut off at the end.
    assert "Total 50 min" in one_line(pages[-1])


@needs_poppler
def test_the_pages_are_pictures_of_a4_with_ink_on_them(
        typical: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Each page drawn by poppler: one PNG per page, of A4's shape, with text on it. The
    front pages of the minutes and of the handout are kept for a person to look at, in
    ``test-artefacts/`` beside ``snapshot_report.html`` (both ignored by git)."""
    _, written = export_to_folder(capsys, typical)
    _, handout = export_to_folder(capsys, typical, "--handout")
    for pdf, folder in ((written["pdf"], tmp_path / "pages"),
                        (handout["handout.pdf"], tmp_path / "handout")):
        pictures = render_pages(pdf, folder)
        assert len(pictures) == len(reader(pdf.read_bytes()).pages)
        for picture in pictures:
            width, height = png_size(picture)
            assert height / width == pytest.approx(A4[1] / A4[0], rel=0.01), picture
            with Image.open(picture) as image:
                assert image.size == (width, height)
                grey = image.convert("L")
                dark = sum(grey.histogram()[:128])  # pixels darker than mid-grey: ink
            # Text, not a blank page and not a black one.
            assert 0.002 < dark / (width * height) < 0.3, (picture, dark)
    ARTEFACTS.mkdir(exist_ok=True)
    for name in ("pages", "handout"):  # this test alone writes them: no worker races it
        kept = ARTEFACTS / f"pdf-minutes-{name}-1.png"
        shutil.copyfile(tmp_path / name / "page-1.png", kept)
        assert png_size(kept) == png_size(tmp_path / name / "page-1.png")


def test_bold_runs_of_the_markdown_are_set_bold(
        typical: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The Markdown bolds the author before each entry (``- **Bram**: ...``) and the labels on
    the front page (``**Community:**``): the PDF sets those in DejaVu Sans Bold at the body
    size (document.py: "Bold runs are fpdf2's markdown fragments")."""
    _, written = export_to_folder(capsys, typical)
    first = reader(written["pdf"].read_bytes()).pages[0]
    resources = cast(DictionaryObject, first["/Resources"].get_object())
    table = cast(DictionaryObject, resources["/Font"].get_object())
    fonts = {str(name): str(cast(DictionaryObject, font.get_object())["/BaseFont"])
             for name, font in table.items()}
    bold = [name for name, base in fonts.items() if base.endswith("Bold")]
    assert bold, fonts
    contents = first.get_contents()
    assert contents is not None
    used = set(re.findall(rb"(/F\d+)\s+([\d.]+)\s+Tf", contents.get_data()))
    assert any((name.encode(), b"10.50") in used for name in bold), sorted(used)


# -- privacy ---------------------------------------------------------------------------------

PRIVATE = ["! secret note about the staff room", "! a: secret action @Dev 2026-12-10",
           "! d: secret decision to tell nobody", "! l: secret learning of the day"]
ZOE = re.compile(r"zo[eë]", re.IGNORECASE)


@pytest.fixture
def protected(data: Path) -> str:
    """A meeting that protects Zoë, who is typed in every spelling and kind of entry (the case
    too), with a private entry of each kind that the handout would otherwise show."""
    return hold_meeting(data, [
        ["Zoë has been quiet since the break.", "zoë sits at the back.", PRIVATE[0]],
        ["q: Does ZOË ask her classmates? @Dev", "Zoe's mentor saw it too."],
        ["n: We talked about zoe for a long time."],
        ["p: Sit next to Zoë. @Anouk", "d: Zoë's case comes back next time.", PRIVATE[2]],
        ["a: Call Zoë's parents @Bram 2026-12-02", PRIVATE[1], "l: ZOE taught us to wait."],
        [PRIVATE[3]],
    ], protect=["Zoë"], case=Case("Zoë stopped asking", "Zoë no longer asks for help.",
                                  "How do I notice sooner that Zoë needs me?"))


def test_the_pdf_and_the_handout_show_what_the_markdown_shows_and_no_more(
        protected: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, protected)
    _, handout = export_to_folder(capsys, protected, "--handout")
    markdown = one_line(strip_front_matter(written["md"].read_text(encoding="utf-8")))
    # The Markdown itself is as the tests of the minutes know it: the measure for the PDFs.
    assert ZOE.search(markdown) is None and "secret" not in markdown
    for pdf in (written["pdf"].read_bytes(), handout["handout.pdf"].read_bytes()):
        text = one_line("\n".join(page_texts(pdf)))
        metadata = reader(pdf).metadata
        assert metadata is not None
        # The title a PDF viewer shows in its window bar is the case's, pseudonymised too.
        assert "Pupil A" in str(metadata["/Title"])
        assert not [value for value in metadata.values() if ZOE.search(str(value))]
        assert ZOE.search(text) is None, text
        assert "secret" not in text
        assert "Pupil A" in text and "Call Pupil A's parents" in text
    # The whole PDF names the pupil exactly as often as the Markdown does (each of the seven
    # spellings became the pseudonym; nothing was dropped or added).
    whole = one_line("\n".join(page_texts(written["pdf"].read_bytes())))
    assert whole.count("Pupil A") == markdown.count("Pupil A") >= 10
    # The handout shows the case, the decision, the action and the learning, all pseudonymised.
    short = one_line("\n".join(page_texts(handout["handout.pdf"].read_bytes())))
    for shown in ("Pupil A no longer asks for help.", "Pupil A's case comes back next time.",
                  "Call Pupil A's parents", "Pupil A taught us to wait."):
        assert shown in short, shown


# -- odd text ----------------------------------------------------------------------------------

DUTCH = "Zoë, Çağrı en Ĳsbrand eten ĳs bij de Ĳssel, één keer per week"
EMOJI = "before 🙂 👍🏽 ❤️ 👨\u200d👩\u200d👧\u200d👦 after"
ARABIC = "مرحبا بالعالم"
HEBREW = "שלום עולם"
TYPED_MARKUP = ["a | b | c", "`code` and ``` fences", "**not bold**", "a -- b -- c",
                "[b]x[/b] and [red]y[/red]", "__init__ and ~~struck~~"]
ESCAPES = "esc \x1b[31mred\x1b[0m bell\x07 rlo\u202e end"
LONG_WORD = "https://example.org/" + "a1b2c3d4" * 40  # wider than a line: broken inside


def long_entry(length: int = 3000) -> str:
    """At least ``length`` characters of words, every one of them different (so each can be
    found again), some with Dutch letters, none longer than a line."""
    picks = random.Random(27)
    stems = ["overleg", "leerling", "vraag", "één", "ĳverig", "coöperatie", "café", "naïef",
             "reflectie", "actiepunt", "intervisie", "Çağrı"]
    words: list[str] = []
    while len(" ".join(words)) < length:
        words.append(f"{picks.choice(stems)}{len(words)}")
    return " ".join(words)


@pytest.fixture
def odd(data: Path) -> str:
    return hold_meeting(data, [
        [DUTCH, EMOJI, ARABIC, HEBREW, *TYPED_MARKUP, ESCAPES, long_entry(),
         f"see {LONG_WORD} there"],
        [],
        [],
        [f"d: {ARABIC}"],
        [f"a: {EMOJI} @Bram 2026-12-01", f"a: {DUTCH} @Dev 2026-12-02"],
    ])


def test_odd_text_is_set_without_a_crash(
        odd: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, odd)
    _, handout = export_to_folder(capsys, odd, "--handout")
    for pdf, whole in ((written["pdf"].read_bytes(), True),
                       (handout["handout.pdf"].read_bytes(), False)):
        lines = "\n".join(page_texts(pdf)).splitlines()
        text = one_line(" ".join(lines))
        assert DUTCH in text
        # Each emoji one white square, the ZWJ family too; the heart is DejaVu's own.
        assert "before □ □ ❤ □ after" in text
        # Right-to-left on a line of its own comes back in logical order.
        assert any(ARABIC in line for line in lines), lines
        if whole:  # a note: the handout has no place for it
            assert any(HEBREW in line for line in lines), lines


def test_characters_people_type_come_back_as_typed(
        odd: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown's and fpdf2's markers typed by a person are text: ``|``, backticks, ``**``,
    ``--``, ``__``, ``~~`` and console markup all come back, none of them eaten as
    formatting (document.py: "a person's ** or -- is text")."""
    _, written = export_to_folder(capsys, odd)
    text = one_line("\n".join(page_texts(written["pdf"].read_bytes())))
    missing = [typed for typed in TYPED_MARKUP if typed not in text]
    assert missing == []


def test_escape_codes_and_controls_are_dropped_as_in_the_markdown(
        odd: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, odd)
    text = "\n".join(page_texts(written["pdf"].read_bytes()))
    controls = {char for char in text
                if char != "\n" and unicodedata.category(char) in ("Cc", "Cf")}
    assert controls == set()
    # What is left of the escape sequence is what the Markdown says (plain.py drops ESC,
    # BEL and the bidi override; the rest of "ESC[31m" is text, in every view alike).
    markdown = written["md"].read_text(encoding="utf-8")
    assert r"esc \[31mred\[0m bell rlo end" in markdown
    assert "esc [31mred[0m bell rlo end" in one_line(text)


def test_the_pdf_drops_controls_that_reach_it_past_the_capture_line() -> None:
    """A Markdown text holding controls (a synced log someone wrote by hand): the page drops
    them itself rather than setting or crashing on them."""
    markdown = "# T\n\n- esc \x1b[31mred\x1b[0m bel\x07 nul\x00 rlo\u202e zw\u200b end\n"
    pdf = render_minutes_pdf(markdown, "T\x1b[2J", language="en",
                             created=datetime(2026, 11, 25, tzinfo=UTC))
    text = "\n".join(page_texts(pdf))
    assert "esc" in text and "end" in text
    assert not [char for char in text
                if char != "\n" and unicodedata.category(char) in ("Cc", "Cf")], repr(text)
    metadata = reader(pdf).metadata
    assert metadata is not None and str(metadata["/Title"]) == "T[2J"  # ESC dropped there too


@needs_poppler
def test_a_3000_character_entry_wraps_and_keeps_every_word(
        odd: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, odd)
    entry = long_entry()
    assert len(entry) >= 3000
    words = entry.split()
    text = "\n".join(page_texts(written["pdf"].read_bytes()))
    start, end = text.index(words[0]), text.index(words[-1]) + len(words[-1])
    found = text[start:end]
    assert Counter(found.split()) == Counter(words)
    assert found.count("\n") >= 20  # wrapped: far more than one line, nothing past the edge
    # A word wider than a line is broken inside, never cut short.
    assert f"see{LONG_WORD}there" in "".join(text.split())
    # Every word of every page, this entry's and the rest, lies between the margins.
    boxes = word_boxes(written["pdf"])
    assert boxes
    outside = [(left, right, word) for left, right, word in boxes
               if left < MARGIN - 1 or right > A4[0] - MARGIN + 1]
    assert outside == []


# -- the same bytes --------------------------------------------------------------------------


@needs_kring
def test_two_processes_write_the_same_bytes_dated_by_the_meeting(
        typical: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The installed ``kring`` prints the same PDF into a pipe as this process wrote into the
    minutes folder, and so does a second one in another time zone; its date is the
    meeting's, not today's."""
    _, written = export_to_folder(capsys, typical)
    _, handout = export_to_folder(capsys, typical, "--handout")
    for extra, in_folder, zones in (((), written["pdf"], ("UTC", "Pacific/Kiritimati")),
                                    (("--handout",), handout["handout.pdf"],
                                     ("Pacific/Kiritimati",))):
        expected = in_folder.read_bytes()
        for zone in zones:
            done = subprocess.run([str(KRING), "export", typical, "--format", "pdf", *extra,
                                   "--out", "-"], env={**os.environ, "TZ": zone},
                                  capture_output=True, timeout=60, check=False)
            assert done.returncode == 0, done.stderr.decode()
            # Into a pipe: a whole PDF, the bytes of the minutes folder's file.
            assert done.stdout.startswith(b"%PDF-") and done.stdout.rstrip().endswith(b"%%EOF")
            assert done.stdout == expected, (extra, zone)
        metadata = reader(expected).metadata
        assert metadata is not None
        created = str(metadata["/CreationDate"])
        assert created.startswith("D:20261125"), created  # the day the meeting was held
        today = date.today().strftime("D:%Y%m%d").encode()
        assert today == b"D:20261125" or today not in expected


# -- the handout -----------------------------------------------------------------------------


def test_a_typical_meeting_s_handout_is_one_page_with_every_action_point(
        typical: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, handout = export_to_folder(capsys, typical, "--handout")
    pdf = handout["handout.pdf"].read_bytes()
    (page,) = page_texts(pdf)
    assert page_sizes(pdf) == [pytest.approx(A4, abs=0.01)]
    rows = page.splitlines()
    for text, owner, due in ACTIONS:
        # One row each: the box, the action point, who and by when.
        row = next((row for row in rows if text in row), None)
        assert row is not None, (text, rows)
        assert row.startswith("☐ ") and row.endswith(
            f"{owner} {due.day} {due:%B %Y}"), row
    assert page.count("☐") == len(ACTIONS)
    shown = one_line(page)
    for text in (*DECISIONS, *LEARNINGS, "He stopped asking for help.",
                 "How do I notice sooner who needs me?"):
        assert text in shown, text
    assert CONTINUED not in shown  # all of it fitted
    assert min(font_sizes(pdf)) >= 9


def test_the_handout_says_when_the_community_meets_next(
        typical: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "community", "plan", "CoP Inclusion", "2026-12-16 15:30")
    assert code == 0, err
    _, handout = export_to_folder(capsys, typical, "--handout")
    lines = page_texts(handout["handout.pdf"].read_bytes())[0].splitlines()
    # Planned in this computer's time, shown so: the last section, after the learnings.
    assert lines[-2:] == ["Next meeting", "16 December 2026, 15:30"], lines[-4:]


@pytest.mark.parametrize("language, prefix, continued", [
    ("en", "a", CONTINUED), ("nl", "actie", VERDER)])
def test_a_long_handout_stays_one_page_and_says_it_continues(
        data: Path, capsys: pytest.CaptureFixture[str], language: str, prefix: str,
        continued: str) -> None:
    actions = [f"Action point number {n:02d} with its own words" for n in range(1, 61)]
    meeting = hold_meeting(data, [
        ["The case in a few words."], [], [], [],
        [f"{prefix}: {text} @Dev 2026-12-{1 + n % 28:02d}" for n, text in enumerate(actions)],
    ], language=language)
    _, handout = export_to_folder(capsys, meeting, "--handout")
    pdf = handout["handout.pdf"].read_bytes()
    (page,) = page_texts(pdf)
    lines = [line for line in page.splitlines() if line.strip()]
    assert lines[-1] == continued
    # The action points that fit are the first ones, in order, each whole (with its owner).
    shown = [text for text in actions if text in page]
    assert 10 <= len(shown) < len(actions)
    assert shown == actions[:len(shown)]
    assert all(f"{text} Dev" in page for text in shown)
    sizes = font_sizes(pdf)
    assert sizes and min(sizes) >= 9, sorted(set(sizes))


# -- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["md", "html"])
def test_handout_without_format_pdf_is_a_wrong_command_line(
        typical: str, data: Path, capsys: pytest.CaptureFixture[str], format: str) -> None:
    code, out, err = run(capsys, "export", typical, "--format", format, "--handout")
    assert code == 2 and out == ""
    assert "--handout goes with --format pdf" in err and err.strip().endswith(".")
    assert not minutes_folder(data).exists()  # nothing written


def test_export_to_the_minutes_folder_names_each_file_beside_the_markdown(
        typical: str, data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, written = export_to_folder(capsys, typical)
    assert "Minutes written to" in out and "PDF written to" in out
    out_handout, handout = export_to_folder(capsys, typical, "--handout")
    assert "Minutes written to" in out_handout and "Handout written to" in out_handout
    # The second export rewrote the same Markdown (no "-2"), and the three share its stem.
    assert handout["md"] == written["md"]
    stem = written["md"].name.removesuffix(".md")
    assert written["pdf"].name == f"{stem}.pdf"
    assert handout["handout.pdf"].name == f"{stem}.handout.pdf"
    assert sorted(p.name for p in minutes_folder(data).iterdir()) == sorted(
        [f"{stem}.md", f"{stem}.pdf", f"{stem}.handout.pdf"])


@needs_kring
def test_a_pdf_is_never_printed_onto_a_terminal(typical: str) -> None:
    """Into a pipe it is printed (the test above reads it so); onto a terminal its bytes
    would be escape codes for the terminal to obey: refused, and nothing shown."""
    command = [str(KRING), "export", typical, "--format", "pdf", "--out", "-"]
    terminal, other = pty.openpty()
    try:
        refused = subprocess.run(command, stdout=other, stderr=subprocess.PIPE, timeout=60,
                                 check=False)
        os.set_blocking(terminal, False)
        try:
            shown = os.read(terminal, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(other)
        os.close(terminal)
    assert refused.returncode == 2 and b"not for a terminal" in refused.stderr
    assert b"%PDF" not in shown


@pytest.mark.usefixtures("umask_022")
def test_every_pdf_is_private_whatever_the_umask(
        typical: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, written = export_to_folder(capsys, typical)
    _, handout = export_to_folder(capsys, typical, "--handout")
    assert stat.S_IMODE(minutes_folder(Path(os.environ["KRING_DATA"])).stat().st_mode) == 0o700
    files = [written["pdf"], handout["handout.pdf"]]
    for extra, name in (((), "out.pdf"), (("--handout",), "handout.pdf")):
        target = tmp_path / name
        target.write_bytes(b"")
        target.chmod(0o644)  # a file someone made readable is replaced by a private one
        code, out, err = run(capsys, "export", typical, "--format", "pdf", *extra, "--out",
                             str(target))
        assert code == 0, err
        assert str(target) in one_line(out) and target.read_bytes().startswith(b"%PDF-")
        files.append(target)
    modes = {path.name: oct(stat.S_IMODE(path.stat().st_mode)) for path in files}
    assert set(modes.values()) == {"0o600"}, modes


# -- start-up ----------------------------------------------------------------------------------

PDF_MODULES = {"fpdf", "uharfbuzz", "PIL"}  # fpdf2 and what it brings


def loaded_after(code: str) -> set[str]:
    """The modules loaded after ``code`` in a fresh interpreter (the app's run replaced by
    nothing, so no terminal is needed), as tests/test_perf_startup.py reads them."""
    script = ("import sys\n"
              "import kring.tui.app\n"
              "import kring.tui.cli.app as app\n"
              "app.run_app = lambda context: 0\n"
              f"{code}\n"
              "print(repr(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return set(ast.literal_eval(done.stdout.splitlines()[-1]))


def test_starting_kring_and_exporting_markdown_do_not_import_fpdf(typical: str) -> None:
    assert Store(Path(os.environ["KRING_DATA"])).load(typical)  # the subprocess's meeting
    # The app started (its run replaced), the parser built, then the Markdown exported.
    loaded = loaded_after("from kring.tui.cli import main, build_parser\n"
                          f"build_parser(); main([]); main(['export', '{typical}'])")
    assert "kring.tui.cli.export" in loaded  # the export did run here
    assert not {m.split(".")[0] for m in loaded} & PDF_MODULES
    assert not [m for m in loaded if m.startswith("kring.sessions.documents.pdf")]
    # And the check can see it: a PDF export does load fpdf2.
    made = loaded_after("from kring.tui.cli import main\n"
                        f"main(['export', '{typical}', '--format', 'pdf', '--out', "
                        f"'{os.environ['KRING_DATA']}/x.pdf'])")
    assert "fpdf" in made and "kring.sessions.documents.pdf.render" in made
