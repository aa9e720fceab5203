"""Minutes file names are safe whatever a community or case is called, and no file but the same
meeting's minutes is ever written over."""

from __future__ import annotations

import copy
import errno
import os
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.documents import filenames
from kring.sessions.documents.filenames import (
    MAX_NAME,
    MinutesError,
    default_minutes_dir,
    minutes_filename,
    slug,
)
from kring.sessions.documents.minutes import render_markdown
from kring.sessions.errors import SaveError
from kring.sessions.model.meeting import Case, Entry, Meeting
from tests.support.budget import examples
from tests.support.minutes import incident_meeting, live, write_minutes_of

SAFE = re.compile(r"\d{4}-\d{2}-\d{2}(?:-[a-z0-9]+)*(?:-\d+)?\.(?:md|html)")


def meeting_named(community: str, title: str) -> Meeting:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("")).meeting
    meeting.community = community
    meeting.case = Case(title)
    return meeting


@pytest.fixture
def incident() -> tuple[Meeting, list[Entry]]:
    return incident_meeting()


def test_the_name_is_date_community_and_case() -> None:
    meeting = meeting_named("CoP Inclusion", "A pupil who stopped asking for help")
    assert minutes_filename(meeting) == \
        "2026-11-25-cop-inclusion-a-pupil-who-stopped-asking-for-help.md"
    assert minutes_filename(meeting, "html").endswith("-help.html")


@pytest.mark.parametrize(("community", "title", "name"), [
    ("../../etc/passwd", "..", "2026-11-25-etc-passwd.md"),
    (".hidden", ".profile", "2026-11-25-hidden-profile.md"),
    ("a/b\\c", "x:y*z?\"<>|", "2026-11-25-a-b-c-x-y-z.md"),
    ("CON", "NUL", "2026-11-25-con-nul.md"),
    ("😀🎉", "🙈", "2026-11-25-meeting-m0001.md"),
    ("שלום", "مرحبا", "2026-11-25-meeting-m0001.md"),
    ("\u202eevil\u202c", "txt.exe", "2026-11-25-evil-txt-exe.md"),
    ("Çà été", "Straße Ørsted Œuvre", "2026-11-25-ca-ete-strasse-orsted-oeuvre.md"),
    ("Team 4B · Wiskunde", "", "2026-11-25-team-4b-wiskunde.md"),
    ("", "", "2026-11-25-meeting-m0001.md"),
    ("a\x00b\nc", "-- --", "2026-11-25-a-b-c.md"),
])
def test_hostile_names_become_safe_names(community: str, title: str, name: str) -> None:
    assert minutes_filename(meeting_named(community, title)) == name


def test_a_long_name_is_cut_between_words() -> None:
    meeting = meeting_named("word " * 100, "case " * 100)
    name = minutes_filename(meeting)
    assert len(name) <= MAX_NAME
    assert SAFE.fullmatch(name)
    assert "-word-" in name and "-case-" in name  # a long community leaves room for the case
    assert not re.search(r"-(?:wor|wo|w|cas|ca|c)-|-\.", name)  # no word cut in half
    assert len(minutes_filename(meeting_named("x" * 500, "y" * 500))) <= MAX_NAME


def test_a_bad_extension_is_refused() -> None:
    meeting = meeting_named("a", "b")
    for ext in ("", "../md", "m d", "x" * 11):
        with pytest.raises(ValueError):
            minutes_filename(meeting, ext)
    assert minutes_filename(meeting, ".MD").endswith(".md")


def test_slug_is_ascii_words_and_dashes() -> None:
    assert slug("  Hello,   World!  ") == "hello-world"
    assert slug("ﬁve ｆｕｌｌ") == "five-full"  # compatibility forms fold to ASCII
    assert slug("one two three", 8) == "one-two"
    assert slug("abcdefghij", 4) == "abcd"


@settings(max_examples=examples(1000), deadline=None)
@given(community=st.text(), title=st.text())
def test_any_names_give_a_safe_short_name(community: str, title: str) -> None:
    meeting = meeting_named(community, title)
    for ext in ("md", "html"):
        name = minutes_filename(meeting, ext)
        assert SAFE.fullmatch(name), name
        assert len(name) <= MAX_NAME
        assert name == os.path.basename(name) and not name.startswith((".", "-"))


def test_people_are_not_in_the_file_name(incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, _ = incident
    name = minutes_filename(meeting)
    for person in meeting.participants:
        assert person.lower() not in name


# -- writing -------------------------------------------------------------------------------------


def test_writes_the_markdown_into_a_new_private_folder(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    folder = tmp_path / "data" / "minutes"
    old = os.umask(0)  # whatever the umask, minutes are private
    try:
        paths = write_minutes_of(folder, meeting, entries)
    finally:
        os.umask(old)
    assert paths == [folder / minutes_filename(meeting)]
    assert paths[0].read_bytes() == render_markdown(meeting, entries).encode("utf-8")
    assert stat.S_IMODE(paths[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == [paths[0].name]  # no temp, no backup


def test_writes_the_html_beside_it_when_asked(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    md, html = write_minutes_of(tmp_path, meeting, entries, html=True)
    assert html.name == md.name.removesuffix(".md") + ".html"
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(html.stat().st_mode) == 0o600


def test_writing_the_same_meeting_again_rewrites_its_files(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    first = write_minutes_of(tmp_path, meeting, entries, html=True)
    entries = entries[:-1]  # the minutes changed meanwhile
    again = write_minutes_of(tmp_path, meeting, entries, html=True)
    assert again == first
    assert sorted(tmp_path.iterdir()) == sorted(first)  # no -2 copy, no temp, no backup
    assert first[0].read_bytes() == render_markdown(meeting, entries).encode("utf-8")
    assert write_minutes_of(tmp_path, meeting, entries) == first[:1]  # Markdown only, same name


def test_another_meeting_of_the_same_name_gets_its_own_file(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    other = copy.deepcopy(meeting)
    other.id = "m0002"
    first = write_minutes_of(tmp_path, meeting, entries)[0]
    second = write_minutes_of(tmp_path, other, entries)[0]
    third = write_minutes_of(tmp_path, other, entries, html=True)
    stem = first.name.removesuffix(".md")
    assert second.name == f"{stem}-2.md"
    assert [p.name for p in third] == [f"{stem}-2.md", f"{stem}-2.html"]
    assert first.read_text(encoding="utf-8").startswith('---\nmeeting: "m0001"\n')
    assert write_minutes_of(tmp_path, meeting, entries)[0] == first


@pytest.mark.parametrize("content", [
    "edited by hand",
    '---\nmeeting: "m0002"\n---\n',
    "---\nmeeting: m0001\n---\n",  # not how Kring writes it: not Kring's file
    '---\ntitle: "x"\nmeeting: "m0001"\n---\n',
])
def test_a_file_that_is_not_this_meeting_s_is_never_written_over(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]], content: str) -> None:
    meeting, entries = incident
    taken = tmp_path / minutes_filename(meeting)
    taken.write_text(content, encoding="utf-8")
    written = write_minutes_of(tmp_path, meeting, entries)[0]
    assert taken.read_text(encoding="utf-8") == content
    assert written.name == taken.name.removesuffix(".md") + "-2.md"


def test_the_markdown_and_html_share_the_first_name_free_for_both(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    stem = minutes_filename(meeting).removesuffix(".md")
    (tmp_path / f"{stem}.html").write_text("someone else's", encoding="utf-8")
    paths = write_minutes_of(tmp_path, meeting, entries, html=True)
    assert [p.name for p in paths] == [f"{stem}-2.md", f"{stem}-2.html"]
    assert not (tmp_path / f"{stem}.md").exists()  # its claim was given back
    assert (tmp_path / f"{stem}.html").read_text(encoding="utf-8") == "someone else's"


def test_a_link_in_the_way_is_not_followed(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep", encoding="utf-8")
    (tmp_path / minutes_filename(meeting)).symlink_to(target)
    path = write_minutes_of(tmp_path, meeting, entries)[0]
    assert path.name.endswith("-2.md")
    assert target.read_text(encoding="utf-8") == "keep"


def test_suffixed_names_stay_short(tmp_path: Path) -> None:
    meeting = meeting_named("c" * 300, "t" * 300)
    others = [copy.deepcopy(meeting) for _ in range(12)]
    for number, other in enumerate(others):
        other.id = f"m{number:04}"
    names = [write_minutes_of(tmp_path, other, [], html=True) for other in others]
    flat = [path.name for pair in names for path in pair]
    assert len(set(flat)) == 24
    for md, html in names:  # however long, the two of a meeting share their name
        assert md.name.removesuffix(".md") == html.name.removesuffix(".html")
    assert names[0][0].name == minutes_filename(meeting)
    assert all(len(name) <= MAX_NAME and SAFE.fullmatch(name) for name in flat)


def test_a_folder_that_is_a_file_gives_a_clear_error(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    blocker = tmp_path / "minutes"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(MinutesError, match=r"Could not write the minutes to .*: a file is in "
                                            r"the way"):
        write_minutes_of(blocker, meeting, entries)
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    with pytest.raises(MinutesError, match="a file is in the way"):
        write_minutes_of(blocker / "below", meeting, entries)


def test_no_permission_gives_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident

    def refuse(path: Path) -> bool:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(filenames, "_claim", refuse)
    with pytest.raises(MinutesError, match="no permission to write there"):
        write_minutes_of(tmp_path, meeting, entries)


def test_a_failed_write_leaves_no_empty_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident

    def full_disk(path: Path, data: bytes, what: str) -> None:
        if path.suffix == ".html":
            raise SaveError(what, "the disk is full.")
        path.write_bytes(data)

    monkeypatch.setattr(filenames, "atomic_write", full_disk)
    with pytest.raises(MinutesError, match="the disk is full"):
        write_minutes_of(tmp_path, meeting, entries, html=True)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_rewrite_keeps_the_earlier_minutes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    md, html = write_minutes_of(tmp_path, meeting, entries, html=True)
    before = md.read_bytes(), html.read_bytes()

    def full_disk(path: Path, data: bytes, what: str) -> None:
        raise SaveError(what, "the disk is full.")

    monkeypatch.setattr(filenames, "atomic_write", full_disk)
    with pytest.raises(MinutesError, match="the disk is full"):
        write_minutes_of(tmp_path, meeting, entries[:1], html=True)
    assert (md.read_bytes(), html.read_bytes()) == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs file permissions that apply (not root)")
def test_a_read_only_folder_gives_a_clear_error(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(MinutesError, match="no permission"):
            write_minutes_of(tmp_path, meeting, entries)
    finally:
        tmp_path.chmod(0o700)


def test_an_existing_folder_keeps_its_permissions(
        tmp_path: Path, incident: tuple[Meeting, list[Entry]]) -> None:
    meeting, entries = incident
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o750)
    write_minutes_of(shared, meeting, entries)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o750


def test_the_meeting_is_not_changed(incident: tuple[Meeting, list[Entry]],
                                    tmp_path: Path) -> None:
    meeting, entries = incident
    before = (copy.deepcopy(meeting.to_dict()), [entry.to_dict() for entry in entries])
    write_minutes_of(tmp_path, meeting, entries, html=True)
    assert (meeting.to_dict(), [entry.to_dict() for entry in entries]) == before


def test_default_folder_is_minutes_in_the_data_folder(tmp_path: Path) -> None:
    assert default_minutes_dir(tmp_path) == tmp_path / "minutes"
