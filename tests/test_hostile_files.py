"""Hostile files: whatever sits where Kring expects one of its files, commands finish quickly
with a sentence naming it, never a traceback or a hang.

A FIFO where a file should be would make a plain ``open()`` wait for a writer for ever, and
``/dev/zero`` would never end; deeply nested TOML makes ``tomllib`` recurse until Python gives
up. Each case here once broke a command.
"""

from __future__ import annotations

import os
import random
import signal
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.errors import ReadError
from kring.sessions.language import load_config, read_config
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.protocols.templates import (
    MAX_BYTES,
    TemplateError,
    load_protocol,
    parse_protocol,
    parse_protocol_text,
)
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import (
    FileTooLargeError,
    NotRegularFileError,
    read_file,
    read_limited,
)
from kring.sessions.store.layout import Layout
from kring.templates import BUILTIN_DIR
from kring.tui.cli import main
from tests.support.budget import examples
from tests.support.templates import BUILTINS, VALID

# Generous: each command takes well under a second; only a hang comes near this.
TIMEOUT = 20
SPECIAL = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture])


class Blocked(BaseException):  # not an OSError (TimeoutError is): never swallowed
    """A read that waited: raised out of it, past any ``except OSError`` on the way."""


@contextmanager
def time_limit(seconds: int = TIMEOUT) -> Iterator[None]:
    """Fail, rather than hang the test run, when a read blocks: SIGALRM's handler raises out
    of the blocked open() or read() (PEP 475 retries only when the handler returns)."""

    def expire(signum: int, frame: object) -> None:
        raise Blocked(f"still running after {seconds} s: something blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def make_special(path: Path, kind: str) -> None:
    """Put a FIFO, a folder or a link to /dev/zero at ``path`` instead of a file."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")


KINDS = ("fifo", "folder", "zero")
REASONS = {"fifo": "not a regular file", "zero": "not a regular file",
           "folder": "a folder, not a file"}


# -- the reader ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_read_file_refuses_what_is_not_a_regular_file_without_waiting(
        tmp_path: Path, kind: str) -> None:
    path = tmp_path / "meeting.json"
    make_special(path, kind)
    with time_limit(), pytest.raises(ReadError) as raised:
        read_file(path, "meeting x")
    assert "meeting x" in raised.value.message and REASONS[kind] in raised.value.message


@SPECIAL
@given(size=st.integers(min_value=0, max_value=4096), limit=st.integers(min_value=0,
                                                                         max_value=4096))
def test_read_limited_reads_up_to_the_limit_and_never_more(
        tmp_path: Path, size: int, limit: int) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * size)
    if size <= limit:
        assert read_limited(path, limit)[0] == b"x" * size
    else:
        with pytest.raises(FileTooLargeError):
            read_limited(path, limit)


def test_a_file_that_grows_while_read_is_cut_off_at_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # fstat says small, the reads go on: /proc-like files and files being appended to.
    path = tmp_path / "file"
    path.write_bytes(b"x" * 10)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, n) or b"y" * n)
    with pytest.raises(FileTooLargeError):
        read_limited(path, 1000)


def test_an_oversized_meeting_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.truncate(2048)  # sparse: costs no disk
    with pytest.raises(ReadError) as raised:
        read_file(path, "meeting big", limit=1024)
    assert "meeting big" in raised.value.message and "too large" in raised.value.message


def test_a_fifo_is_no_regular_file_even_through_a_link(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "pipe")
    with time_limit(), pytest.raises(NotRegularFileError):
        read_limited(tmp_path / "link", 100)


# -- TOML: templates and config.toml ---------------------------------------------------------


def nested(depth: int, table: bool) -> str:
    opening, closing = ("{a = ", "}") if table else ("[", "]")
    return f"x = {opening * depth}1{closing * depth}\n"


@settings(max_examples=examples(80), deadline=None)
@given(depth=st.integers(min_value=1, max_value=6000), table=st.booleans(),
       before=st.booleans())
def test_nested_toml_never_escapes_as_anything_but_a_template_error(
        depth: int, table: bool, before: bool) -> None:
    text = nested(depth, table) + VALID if before else VALID + nested(depth, table)
    try:
        parse_protocol_text(text.encode())
    except TemplateError as error:
        assert error.problems
    # (a shallow unknown key "x" is a TemplateError too: reaching here would be a bug)
    else:
        pytest.fail("a template with an unknown key 'x' loaded")


def test_a_very_deep_template_names_the_file_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(nested(3000, table=False), encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_protocol(path)
    assert str(path) in str(raised.value) and "nested too deeply" in str(raised.value)


def test_a_snapshot_nested_deeper_than_python_recurses_is_a_template_error() -> None:
    # A meeting's snapshot of its protocol comes from any laptop, as JSON, and JSON is read
    # without a depth limit: the protocol's own reading must not be what overflows.
    deep: dict[str, object] = {}
    for _ in range(100_000):
        deep = {"x": deep}
    with pytest.raises(TemplateError) as raised:
        parse_protocol({"id": "deep", "x": deep})
    assert "nested too deeply" in str(raised.value)


def _mutate(text: str, rng: random.Random) -> str:
    values = ["[[[[[[1]]]]]]", "1e400", "nan", "-inf", "1979-05-27T07:32:00Z", "{a={b=1}}",
              '""', "0", "-1", "99999999999999999999999", "true", "[]", "{}", "3.5",
              "[1, 2]", '"' + "x" * 30_000 + '"', nested(2000, False)[4:]]
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(lines))
        choice = rng.randrange(4)
        if choice == 0 and "=" in lines[at]:
            lines[at] = lines[at].split("=")[0] + "= " + rng.choice(values)
        elif choice == 1:
            del lines[at]
        elif choice == 2:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif lines[at]:
            cut = rng.randrange(len(lines[at]))
            lines[at] = lines[at][:cut] + chr(rng.randrange(32, 127)) + lines[at][cut + 1:]
    return "\n".join(lines)


@settings(max_examples=examples(200), deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), which=st.integers(min_value=0))
def test_mutated_builtins_load_or_fail_as_a_template_error(seed: int, which: int) -> None:
    source = BUILTINS[which % len(BUILTINS)].read_text(encoding="utf-8")
    # Loading or a TemplateError are both fine; any other exception fails the test.
    with suppress(TemplateError):
        parse_protocol_text(_mutate(source, random.Random(seed)).encode())


@pytest.mark.parametrize("kind", KINDS)
def test_a_template_that_is_no_regular_file_is_a_template_error(
        tmp_path: Path, kind: str) -> None:
    path = tmp_path / "odd.toml"
    make_special(path, kind)
    with time_limit(), pytest.raises(TemplateError) as raised:
        load_protocol(path)
    assert str(path) in str(raised.value)


def test_an_oversized_template_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(TemplateError) as raised:
        load_protocol(path)
    assert "at most" in str(raised.value)


def test_an_unexpected_error_while_loading_is_still_a_template_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(VALID, encoding="utf-8")

    def broken(raw: bytes, origin: object) -> None:
        raise MemoryError

    monkeypatch.setattr("kring.sessions.protocols.templates.parse_protocol_text", broken)
    with pytest.raises(TemplateError) as raised:
        load_protocol(path)
    assert "MemoryError" in str(raised.value) and str(path) in str(raised.value)


def test_the_catalog_lists_the_good_templates_and_reports_the_deep_one(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text(nested(3000, table=True), encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(VALID, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.toml")  # not a file: left out, never opened
    with time_limit():
        catalog = load_catalog(BUILTIN_DIR, [tmp_path])
    assert catalog.find("tiny") is not None and catalog.find("incident") is not None
    assert [problem.file for problem in catalog.problems] == [str(tmp_path / "deep.toml")]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(min_value=1, max_value=6000), table=st.booleans())
def test_a_nested_config_is_ignored_with_a_sentence_naming_it(
        tmp_path: Path, depth: int, table: bool) -> None:
    path = tmp_path / "config.toml"
    path.write_text('language = "nl"\n' + nested(depth, table), encoding="utf-8")
    settings_, problem = load_config(tmp_path)
    if problem is None:  # shallow enough for tomllib: read, and the nesting is not Kring's
        assert settings_ == {"language": "nl"}
    else:
        assert settings_ == {} and str(path) in problem


@pytest.mark.parametrize("kind", KINDS)
def test_a_config_that_is_no_regular_file_is_ignored_without_waiting(
        tmp_path: Path, kind: str) -> None:
    make_special(tmp_path / "config.toml", kind)
    with time_limit():
        settings_, problem = load_config(tmp_path)
    assert settings_ == {} and read_config(tmp_path) == {}
    assert problem is not None and str(tmp_path / "config.toml") in problem


def test_every_command_warns_about_a_deep_config_and_carries_on(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = isolated_folders / "config"
    config.mkdir()
    (config / "config.toml").write_text(nested(3000, table=False), encoding="utf-8")
    for argv in (["list"], ["templates"], ["actions"], ["community", "list"]):
        assert main(argv) == 0
        err = capsys.readouterr().err
        assert "config.toml" in err and "nested too deeply" in err and "Traceback" not in err


# -- special files all over the data folder and the state folder -----------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data folder with one meeting (its log, the communities log) and the state folder of
    the device that wrote it (its device id, its index), made once: each test copies both."""
    from tests.support.cli import meeting_with_entries

    base = tmp_path_factory.mktemp("filled")
    # Module-scoped: made before the per-test fixture sets KRING_STATE, so set it here, or the
    # store would write its device id into the real user's state folder.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KRING_STATE", str(base / "state"))
        meeting_with_entries(base / "data", "2025-01-10", "Team West",
                              ["a: Call the mentor @bram 2025-01-20", "l: Quiet pupils @chantal"])
    return base / "data", base / "state"


def _meeting_id(layout: Layout) -> str:
    (meeting_id,) = Store(layout.root, state=layout.state).meeting_ids()
    return meeting_id


def _device(layout: Layout) -> str:
    return layout.device_file.read_text(encoding="ascii").strip()


PLACES: dict[str, Callable[[Layout, str, str], Path]] = {
    "log": lambda layout, device, mid: layout.meeting_log(device, mid),
    "communities": lambda layout, device, mid: layout.communities_log(device),
    "draft": lambda layout, device, mid: layout.window_draft(mid, "0123456789abcdef"),
    "device": lambda layout, device, mid: layout.device_file,
    "index": lambda layout, device, mid: layout.index,
}
# doctor first: list writes a fresh index over an unreadable one (derived data); add last: it
# writes (and needs this device's id).
COMMANDS = (["doctor"], ["list"], ["export", "latest", "--out", "-"], ["actions"],
            ["journal", "Team West"], ["community", "list"], ["add", "latest", "f: It rained"])


LOG_REASON = "not a regular file"  # what the log reader says of a FIFO, a folder or a device
CASES = [pytest.param(place, kind, id=f"{place}-{kind}") for place in PLACES for kind in KINDS]


@pytest.mark.parametrize(("place", "kind"), CASES)
def test_commands_finish_with_a_sentence_whatever_sits_where_a_file_should_be(
        filled: tuple[Path, Path], isolated_folders: Path, capsys: pytest.CaptureFixture[str],
        place: str, kind: str) -> None:
    import shutil

    data, state = isolated_folders / "copy", isolated_folders / "state"
    shutil.copytree(filled[0], data, symlinks=True)
    shutil.copytree(filled[1], state, symlinks=True)  # this device wrote the meeting
    layout = Layout(data, state)
    meeting_id, device = _meeting_id(layout), _device(layout)
    target = PLACES[place](layout, device, meeting_id)
    make_special(target, kind)
    outputs: dict[str, tuple[int, str]] = {}
    for argv in COMMANDS:
        with time_limit():
            code = main(["--data", str(data), *argv])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert code in (0, 1), (argv, text)
        assert "Traceback" not in text and "Error:" not in text, (argv, text)
        outputs[argv[0]] = (code, " ".join(text.split()))  # rich wraps long lines
    if place == "log":
        # (doctor counts an unreadable log as information: nothing it could repair)
        doctor_out = outputs["doctor"][1]
        assert meeting_id in doctor_out and LOG_REASON in doctor_out, doctor_out
        # The meeting is there: it must never silently vanish, nor be "no meetings yet".
        for command in ("list", "export", "actions"):
            code, text = outputs[command]
            assert meeting_id in text and LOG_REASON in text, (command, text)
        assert "kring doctor" in outputs["export"][1]
        code, text = outputs["add"]
        assert code == 1 and LOG_REASON in text, text
    else:  # the meeting itself is whole: it lists and exports
        assert meeting_id in outputs["list"][1], outputs["list"]
        code, text = outputs["export"]
        assert code == 0 and "Call the mentor" in text, text  # reading needs no device id
    if place == "communities":
        code, text = outputs["community"]
        assert code == 1 and "communities" in text and LOG_REASON in text, text
    if place == "device":  # a change needs this device's id: refused, said in a sentence
        code, text = outputs["add"]
        assert code == 1 and "device id" in text, text
    if place not in ("index", "device"):  # derived data and the id may be made afresh
        mode = os.lstat(target).st_mode
        assert {"fifo": stat.S_ISFIFO, "folder": stat.S_ISDIR, "zero": stat.S_ISLNK}[kind](mode)
