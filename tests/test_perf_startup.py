"""What starting Kring does and does not do: the command line is parsed by one parser built
once (``kring`` alone builds no command's parser), the package metadata is read only for
--version, and quitting from the home screen loads no meeting screen. benchmarks/ui.py times
start-up against a bare Textual app."""

from __future__ import annotations

import ast
import contextlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kring.sessions.store.facade import Store
from kring.tui.cli import main, parser

ROOT = Path(__file__).resolve().parent.parent


def loaded_after(code: str) -> set[str]:
    """The modules loaded after running ``code`` in a fresh interpreter (with the app's run
    replaced by nothing, so no terminal is needed)."""
    # Printed with repr, read with literal_eval: importing json here would hide whether the
    # code imported it.
    script = ("import sys\n"
              "import kring.tui.cli.app as app\n"
              "app.run_app = lambda context: 0\n"
              f"{code}\n"
              "print(repr(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=60)
    return set(ast.literal_eval(done.stdout.splitlines()[-1]))


def test_starting_the_app_reads_no_metadata_and_builds_no_command_parser() -> None:
    loaded = loaded_after("from kring.tui.cli import main; main([])")
    assert "importlib.metadata" not in loaded and "email" not in loaded
    assert not {"kring.tui.cli.calendar", "kring.tui.cli.research", "kring.tui.cli.consent",
                "kring.tui.cli.listing", "kring.tui.cli.export"} & loaded
    assert "kring.sessions.protocols.catalog" not in loaded  # no template is read at start
    # No config file (as for most users): no TOML reader; reading makes no temporary names;
    # no command is given, so no command's module is looked up.
    assert not {"tomllib", "secrets", "kring.tui.cli.commands"} & loaded


def test_a_command_reads_no_metadata_and_builds_only_its_own_parser() -> None:
    loaded = loaded_after("from kring.tui.cli import main; main(['templates'])")
    assert "importlib.metadata" not in loaded
    # share's module imports asyncio, research's csv: what `kring templates` never needs.
    assert not {"kring.tui.cli.share", "kring.tui.cli.research", "kring.tui.cli.listing",
                "asyncio"} & loaded


@pytest.mark.parametrize("argv", [["--help"], ["-h", "list"], ["--he"], ["nosuchcommand"]])
def test_the_main_help_and_a_wrong_command_still_name_every_command(
        capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    shown = capsys.readouterr()
    for name in parser.command_names():
        assert name in shown.out + shown.err, name


@pytest.mark.parametrize("argv, command", [
    (["list"], "list"), (["--data", "list", "doctor"], "doctor"), (["--data=x", "list"], "list"),
    (["--dat", "journal", "export", "x"], "export"), (["--lang", "nl"], None),
    (["--", "list"], "list"), (["--real-names"], None)])
def test_the_command_is_found_past_the_options_and_their_values(
        argv: list[str], command: str | None) -> None:
    assert parser._command_in(argv) == command


def test_version_reads_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("kring ") and out.strip() != "kring"


@pytest.mark.parametrize("argv, builds", [([], 0), (["list"], 1), (["--lang", "nl", "list"], 1),
                                          (["templates"], 1), (["--data=x", "doctor"], 1)])
def test_the_full_parser_is_built_at_most_once(
        monkeypatch: pytest.MonkeyPatch, argv: list[str], builds: int) -> None:
    import kring.tui.cli.app as app

    built: list[int] = []
    original = parser.build_parser
    monkeypatch.setattr(parser, "build_parser",
                        lambda only=None: built.append(1) or original(only))
    monkeypatch.setattr(app, "run_app", lambda context: 0)
    assert main(argv) == 0
    assert len(built) == builds


def test_kring_alone_and_its_options_still_reach_the_app(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import kring.tui.cli.app as app

    seen: list[object] = []
    monkeypatch.setattr(app, "run_app", lambda context: seen.append(context) or 0)
    assert main([]) == 0
    assert main(["--data", str(tmp_path / "d"), "--lang", "nl"]) == 0
    assert [context.data for context in seen][1] == tmp_path / "d"  # type: ignore[attr-defined]


async def test_quitting_from_home_loads_no_meeting_screen(data: Path) -> None:
    code = ("from pathlib import Path\n"
            "import asyncio\n"
            "from kring.tui.app import create_app\n"
            f"app = create_app(Path({str(data)!r}))\n"
            "async def go():\n"
            "    async with app.run_test() as pilot:\n"
            "        await pilot.pause()\n"
            "        await pilot.press('ctrl+q')\n"
            "asyncio.run(go())\n")
    loaded = loaded_after(code)
    assert "kring.tui.screens.meeting" not in loaded
    assert "kring.tui.screens.home" in loaded


# The data folder's watch starts after the first frame by design (tui/screens/home.py,
# FOLLOW_AFTER) and loads its own modules then (watchfiles, anyio, json): what is measured
# here is the list's, so the watch waits past the end of the script; a busy machine once
# let it start inside the script's few tenths of a second.
HOME_SHOWN = ("from pathlib import Path\n"
              "import asyncio\n"
              "import kring.tui.screens.home as home\n"
              "home.FOLLOW_AFTER = 3600\n"
              "from kring.tui.widgets.meeting_list import MeetingList\n"
              "from kring.tui.app import create_app\n"
              "app = create_app(Path({data!r}))\n"
              "async def go():\n"
              "    async with app.run_test() as pilot:\n"
              "        await pilot.pause()\n"
              "        shown = app.screen.query_one('#meetings', MeetingList).row_count\n"
              "        assert shown == {count}, shown\n"
              "asyncio.run(go())\n")
# What a meeting needs and a list does not: the model, the event format, the logs' readers.
MEETING_MACHINERY = {"kring.sessions.model.meeting", "kring.sessions.model.protocol",
                     "kring.sessions.store.meetings", "kring.sessions.store.events",
                     "kring.sessions.store.logs"}


def test_the_home_screen_lists_from_an_up_to_date_index_without_the_meeting_model(
        data: Path) -> None:
    from tests.support.store import meeting

    store = Store(data)
    for number in range(3):
        store.create_meeting(meeting(f"m{number}"))
    assert store.count_meetings() == 3  # the index is now up to date (same state folder)
    loaded = loaded_after(HOME_SHOWN.format(data=str(data), count=3))
    assert "kring.tui.screens.home" in loaded
    assert not MEETING_MACHINERY & loaded
    # Loaded when something could not be read, a community is asked for by name, or the
    # index is written or a digest read.
    assert not {"kring.sessions.store.problems", "kring.sessions.model.name_variants",
                "json"} & loaded


def test_a_log_changed_since_the_index_loads_what_reads_it(data: Path) -> None:
    from tests.support.store import meeting

    Store(data).create_meeting(meeting("m1"))  # the index has never been read: stale
    loaded = loaded_after(HOME_SHOWN.format(data=str(data), count=1))
    assert {"kring.sessions.store.meetings", "kring.sessions.store.logs"} <= loaded


def test_the_command_defers_collections_before_its_imports() -> None:
    from kring.tui import startup

    script = ("import gc, json, sys\n"
              "seen = []\n"
              "class Watch:\n"
              "    def find_spec(self, name, path=None, target=None):\n"
              "        if name == 'kring.tui.cli':\n"
              "            seen.append(gc.get_threshold())\n"
              "sys.meta_path.insert(0, Watch())\n"
              "from kring.tui import startup\n"
              "sys.argv = ['kring', '--version']\n"
              "try:\n"
              "    startup.launch()\n"
              "except SystemExit:\n"
              "    pass\n"
              "print(json.dumps(seen))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=60)
    assert json.loads(done.stdout.splitlines()[-1]) == [list(startup.STARTING)]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'kring = "kring.tui.startup:launch"' in pyproject


def test_collecting_rarely_lasts_as_long_as_its_block() -> None:
    import gc

    from kring.tui import startup

    before = gc.get_threshold()
    with startup.collecting_rarely():
        assert gc.get_threshold() == startup.STARTING
    assert gc.get_threshold() == before
    with contextlib.suppress(RuntimeError), startup.collecting_rarely():
        raise RuntimeError
    assert gc.get_threshold() == before


async def test_opening_a_meeting_collects_rarely_while_it_is_read(
        data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from kring.sessions.model.clock import FakeClock
    from kring.tui import startup
    from tests.support.meeting_app import app_with_meeting

    app, meeting_id = app_with_meeting(data, FakeClock())
    seen: list[tuple[int, int, int]] = []
    load = Store.load
    monkeypatch.setattr(Store, "load", lambda self, wanted: seen.append(gc.get_threshold())
                        or load(self, wanted))
    async with app.run_test() as pilot:
        await pilot.pause()
        before = gc.get_threshold()
        app.open_meeting(meeting_id)
        await pilot.pause()
        assert seen == [startup.STARTING] and gc.get_threshold() == before
        assert type(app.screen).__name__ == "MeetingScreen"
