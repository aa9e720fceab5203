"""Every QR code Kring shows is whole, at every terminal size from 80×24: read back from what
the screen shows with a real decoder (zxing-cpp), as a phone's camera would read it. A code
with no room in the F12 dialog is not drawn at all; a line there says which key shows it
large, and the large view's code reads too (issue 24, item 4).

What the screen shows is taken from the compositor's strips (``Screen._compositor.
render_strips()``): the lines of cells that ``App.export_screenshot`` draws into its SVG, kept
here as characters with their background colour. Textual has no public way to the cells (the
SVG would have to be parsed back), and tests/test_share_screen.py reads the text the same way.
In a real terminal (tmux) the same cells come from ``capture-pane -e``, colours and all.

A code is found as a rectangle of cells on a light background drawn with ▀ ▄ █ and blanks (its
quiet zone is light as well): by the background, not the characters alone, because the
dialog's thick border is drawn with the same blocks. Each rectangle is turned into a picture (a
cell one pixel wide and two high: ▀ dark on top, ▄ below, █ both, a blank neither), enlarged,
given a light margin and decoded on its own; one cut by a column or a line does not decode,
and the test says so, showing it."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot

from kring.sessions.model.clock import FakeClock
from kring.sessions.share.access import AccessKind
from kring.tui.app import KringApp, create_app
from kring.tui.share.dialog import ShareDialog
from kring.tui.share.qr_screen import QrScreen
from kring.tui.share.server import ShareServer
from tests.support.meeting_app import open_meeting
from tests.support.share import CATALOG, held
from tests.support.terminal import (
    KRING,
    TMUX,
    Terminal,
    needs_tmux,
    open_first_meeting,
    stored_meeting,
    wait_until,
)

Cell = tuple[str, bool]  # a character, and whether its background is light
Grid = list[list[Cell]]
Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), in cells

BLOCKS = frozenset(" ▀▄█")
QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
SIZES = [(80, 24), (100, 30), (120, 40), (160, 50), (200, 60)]
# How many codes the dialog has room for, at each size: the first ones (view, contribute,
# scribe). Fewer would still be whole; these say the room is used.
FITTING = {(80, 24): 0, (100, 30): 0, (120, 40): 2, (160, 50): 3, (200, 60): 3}
KEYS = {kind: str(number) for number, kind in enumerate(AccessKind, 1)}


# What the screen shows, as cells.

def light(rgb: tuple[int, int, int] | None) -> bool:
    return rgb is not None and min(rgb) >= 200


def app_grid(app: KringApp) -> Grid:
    grid: Grid = []
    for strip in app.screen._compositor.render_strips():
        row: list[Cell] = []
        for segment in strip:
            color = segment.style.bgcolor if segment.style else None
            bright = light(color.get_truecolor() if color else None)
            for char in segment.text:
                row += [(char, bright)] * cell_len(char)
        grid.append(row)
    return grid


def text_of(grid: Grid) -> str:
    return "\n".join("".join(char for char, _ in row) for row in grid)


def text_in(grid: Grid, region: Region) -> list[str]:
    """The words shown in ``region`` (a widget's, where a line may be folded)."""
    return " ".join("".join(char for char, _ in row[region.x:region.right])
                    for row in grid[region.y:region.bottom]).split()


# Finding and reading the codes.

def code_boxes(grid: Grid) -> list[Box]:
    """Each rectangle of light cells drawn in blocks, as large as a code's corner at least."""
    def part(x: int, y: int) -> bool:
        return 0 <= y < len(grid) and 0 <= x < len(grid[y]) and grid[y][x][1] \
            and grid[y][x][0] in BLOCKS

    seen: set[tuple[int, int]] = set()
    boxes: list[Box] = []
    for y, row in enumerate(grid):
        for x in range(len(row)):
            if (x, y) in seen or not part(x, y):
                continue
            todo, cells = [(x, y)], []
            seen.add((x, y))
            while todo:
                cx, cy = todo.pop()
                cells.append((cx, cy))
                for nx, ny in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                    if (nx, ny) not in seen and part(nx, ny):
                        seen.add((nx, ny))
                        todo.append((nx, ny))
            xs, ys = [cx for cx, _ in cells], [cy for _, cy in cells]
            box = (min(xs), min(ys), max(xs) + 1, max(ys) + 1)
            dark = any(grid[cy][cx][0] != " " for cx, cy in cells)
            if dark and box[2] - box[0] >= 8 and box[3] - box[1] >= 4:
                boxes.append(box)
    return boxes


def picture(grid: Grid, box: Box, scale: int = 4, margin: int = 8) -> memoryview:
    """The cells in ``box`` as a grey picture, ``scale`` pixels a module and ``margin``
    modules of light around, in a buffer zxing-cpp reads (no numpy or Pillow needed)."""
    left, top, right, bottom = box
    width = right - left + 2 * margin
    blank = bytes([255]) * (width * scale)
    rows = [blank] * (margin * scale)
    for y in range(top, bottom):
        cells = [grid[y][x][0] if x < len(grid[y]) else " " for x in range(left, right)]
        for dark in ("▀█", "▄█"):
            modules = [False] * margin + [char in dark for char in cells] + [False] * margin
            row = b"".join(bytes([0 if module else 255]) * scale for module in modules)
            rows += [row] * scale
    rows += [blank] * (margin * scale)
    return memoryview(b"".join(rows)).cast("B", (len(rows), width * scale))


def decode(grid: Grid, box: Box) -> list[str]:
    found = zxingcpp.read_barcodes(picture(grid, box), formats=QR)
    return [barcode.text for barcode in found]


def read_codes(grid: Grid) -> list[str]:
    """What each code on screen says; fails on one that does not read as exactly one."""
    said: list[str] = []
    for box in code_boxes(grid):
        texts = decode(grid, box)
        left, top, right, bottom = box
        drawn = "\n".join("".join(char for char, _ in grid[y][left:right])
                          for y in range(top, bottom))
        assert len(texts) == 1, f"the code at {box} does not read; it is cut?\n{drawn}"
        said.append(texts[0])
    return said


# The app.

async def settle(pilot: Pilot[None]) -> None:
    """Long enough for the dialog to measure, choose what fits and draw it again."""
    for _ in range(3):
        await pilot.pause(0.05)


async def sharing_dialog(pilot: Pilot[None], meeting_id: str, *,
                         projected: bool = False) -> ShareServer:
    meeting = await open_meeting(pilot, meeting_id)
    if projected:
        await pilot.press("f5")
    await pilot.press("f12")
    await pilot.pause()
    await pilot.click("#share-local")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ShareDialog)
    server = meeting.share.share_server
    assert server is not None and server.address == "127.0.0.1"
    return server


def check_dialog(app: KringApp, server: ShareServer, kinds: list[AccessKind]) -> list[AccessKind]:
    """Every code in the dialog reads as one of ``kinds``' URLs, once; each of the others has
    the line with its key. The kinds whose codes are shown."""
    grid = app_grid(app)
    said = read_codes(grid)
    urls = {server.url(kind): kind for kind in kinds}
    assert all(text in urls for text in said), (said, urls)
    assert len(set(said)) == len(said)
    shown = [urls[text] for text in said]
    text = text_of(grid)
    for kind in kinds:
        assert server.url(kind) in text  # the URL itself, whether its code is shown or not
        if kind not in shown:
            said_there = " ".join(text_in(grid, app.screen.query_one(f"#small-{kind}").region))
            assert f"press {KEYS[kind]} to show it large" in said_there, (kind, text)
    return shown


async def check_large(pilot: Pilot[None], server: ShareServer, kind: AccessKind) -> None:
    app = pilot.app
    assert isinstance(app, KringApp)
    await pilot.press(KEYS[kind])
    await settle(pilot)
    assert isinstance(app.screen, QrScreen)
    grid = app_grid(app)
    assert read_codes(grid) == [server.url(kind)]
    assert server.url(kind) in text_of(grid).replace("\n", "")  # maybe folded over lines
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(app.screen, ShareDialog)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_code_in_the_dialog_reads_or_is_a_key_away(
        size: tuple[int, int], data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=size) as pilot:
        server = await sharing_dialog(pilot, live.meeting.id)
        shown = check_dialog(app, server, list(AccessKind))
        assert shown == list(AccessKind)[:FITTING[size]]
        for kind in AccessKind:
            await check_large(pilot, server, kind)


async def test_the_dialog_fits_its_codes_again_when_the_terminal_is_resized(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(160, 50)) as pilot:
        server = await sharing_dialog(pilot, live.meeting.id)
        for size in [(120, 40), (80, 24), (200, 60), (100, 30), (160, 50)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            shown = check_dialog(app, server, list(AccessKind))
            assert shown == list(AccessKind)[:FITTING[size]], size


async def test_the_large_view_says_so_where_even_it_has_no_room(
        data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        server = await sharing_dialog(pilot, live.meeting.id)
        await pilot.press("2")
        await settle(pilot)
        assert read_codes(app_grid(app)) == [server.url(AccessKind.CONTRIBUTE)]
        for size in [(60, 18), (36, 30)]:  # too few lines, too few columns
            await pilot.resize_terminal(*size)
            await settle(pilot)
            grid = app_grid(app)
            assert not code_boxes(grid)  # nothing drawn, not even a cut code
            text = " ".join(text_of(grid).split())
            assert "too small to show the whole code" in text
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert read_codes(app_grid(app)) == [server.url(AccessKind.CONTRIBUTE)]
        # Back in the dialog, its codes fit the size the terminal has now.
        await pilot.press("escape")
        await settle(pilot)
        assert check_dialog(app, server, list(AccessKind)) == list(AccessKind)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (160, 50)],
                         ids=["80x24", "120x40", "160x50"])
async def test_on_the_projector_the_scribes_code_never_shows(
        size: tuple[int, int], data: Path, clock: FakeClock) -> None:
    live = held(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=size) as pilot:
        server = await sharing_dialog(pilot, live.meeting.id, projected=True)
        room = [AccessKind.VIEW, AccessKind.CONTRIBUTE]
        shown = check_dialog(app, server, room)
        assert shown == room[:FITTING[size]]
        text = text_of(app_grid(app))
        assert server.url(AccessKind.SCRIBE) not in text
        assert "press 3" not in text
        await pilot.press("3")  # no key for it either
        await settle(pilot)
        assert isinstance(app.screen, ShareDialog)
        for kind in room:
            await check_large(pilot, server, kind)


# A real terminal.

SGR = re.compile(r"\x1b\[([0-9;:]*)m")
BASIC = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205),
         (0, 205, 205), (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0),
         (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def xterm(index: int) -> tuple[int, int, int]:
    """An xterm 256-colour index as RGB."""
    if index < 16:
        return BASIC[index]
    if index >= 232:
        grey = 8 + 10 * (index - 232)
        return grey, grey, grey
    levels = (0, 95, 135, 175, 215, 255)
    index -= 16
    return levels[index // 36], levels[index // 6 % 6], levels[index % 6]


def background(params: list[int], current: tuple[int, int, int] | None
               ) -> tuple[int, int, int] | None:
    """The background after one SGR sequence's parameters."""
    at = 0
    while at < len(params):
        code = params[at]
        if code in (0, 49):
            current = None
        elif 40 <= code <= 47:
            current = BASIC[code - 40]
        elif 100 <= code <= 107:
            current = BASIC[code - 100 + 8]
        elif code in (38, 48, 58) and at + 1 < len(params):
            if params[at + 1] == 5 and at + 2 < len(params):
                if code == 48:
                    current = xterm(params[at + 2])
                at += 2
            elif params[at + 1] == 2 and at + 4 < len(params):
                if code == 48:
                    current = (params[at + 2], params[at + 3], params[at + 4])
                at += 4
        at += 1
    return current


def ansi_grid(captured: str) -> Grid:
    """``tmux capture-pane -e -p``'s lines as cells: its SGR sequences give the background."""
    grid: Grid = []
    for line in captured.splitlines():
        row: list[Cell] = []
        current: tuple[int, int, int] | None = None
        parts = SGR.split(line)
        for index, part in enumerate(parts):
            if index % 2:
                params = [int(p) if p else 0 for p in re.split("[;:]", part)] if part else [0]
                current = background(params, current)
            else:
                for char in part:
                    row += [(char, light(current))] * cell_len(char)
        grid.append(row)
    return grid


class OwnTerminal(Terminal):
    """A tmux session on a server of its own: the size it is given is the size it keeps,
    whatever sessions (and options) the shared server has from other tests."""

    def tmux(self, *args: str) -> str:
        return super().tmux("-L", self.name, *args)


@pytest.fixture
def shell(tmp_path: Path) -> Iterator[Terminal]:
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    data = tmp_path / "data"
    stored_meeting(data)
    terminal = OwnTerminal(f"kring-qr-{os.getpid()}")
    env = (f"KRING_DATA={data} KRING_CONFIG={tmp_path / 'config'} "
           f"KRING_STATE={tmp_path / 'state'} TERM=xterm-256color")
    terminal.tmux("new-session", "-d", "-s", terminal.name, "-x", "120", "-y", "40",
                  f"env -u COLUMNS -u LINES {env} {KRING}")
    try:
        yield terminal
    finally:
        subprocess.run([TMUX or "tmux", "-L", terminal.name, "kill-server"], check=False)


@pytest.mark.e2e
@needs_tmux
def test_the_codes_in_a_real_terminal_read(shell: Terminal) -> None:
    open_first_meeting(shell)
    shell.keys("F12")
    screen = shell.wait_for("This computer only")
    # The naming choice has the focus, then the offer of the minutes; the room's network's
    # button comes first when there is one to offer.
    shell.keys("Tab", "Tab", *(["Tab"] if "No room network found" not in screen else []),
               "Enter")
    shell.wait_for("Sharing on 127.0.0.1")

    def captured() -> Grid:
        return ansi_grid(shell.tmux("capture-pane", "-e", "-p", "-t", shell.name))

    # Drawn once the dialog has measured: until then, the codes are lines with their keys.
    try:
        wait_until(lambda: len(code_boxes(captured())) == 2)
    except AssertionError:
        raise AssertionError(f"not two codes on the screen:\n{text_of(captured())}\n"
                             f"{shell.tmux('capture-pane', '-e', '-p', '-t', shell.name)!r}"
                             ) from None
    grid = captured()
    said = read_codes(grid)
    text = text_of(grid)
    urls = re.findall(r"http://127\.0\.0\.1:\d+/[vcs]/[\w-]+", text)
    assert len(urls) == 3
    assert said == urls[:2]  # the view's and the contribution's, side by side
    assert "press 3" in text  # in the narrow column beside them, the line folded
    shell.keys("3")
    wait_until(lambda: "Escape: back" in text_of(captured()))
    assert read_codes(captured()) == [urls[2]]
