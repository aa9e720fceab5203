"""A community or meeting that does not exist is an error people can read, with a non-zero
exit, in every command that takes one: never an empty journal, an empty list or "nothing to
remove" for a typo. A near miss is named ("Did you mean ...?")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import meeting_with_entries, run

COMMUNITY = "CoP Inclusion"


@pytest.fixture(autouse=True)
def meeting(isolated_folders: Path) -> str:
    return meeting_with_entries(isolated_folders / "data", "2025-01-10", COMMUNITY, [
        "a: Bel de mentor @bram 2025-01-20", "l: Stille leerlingen @chantal"])


COMMUNITY_COMMANDS = [
    ["journal", "{name}"],
    ["journal", "{name}", "--out", "{out}"],
    ["actions", "--community", "{name}"],
    ["actions", "--community", "{name}", "--format", "md"],
    ["calendar", "--community", "{name}", "--out", "{out}"],
    ["purge", "--before", "2100-01-01", "--community", "{name}", "--yes"],
    ["community", "show", "{name}"],
    ["community", "remove-member", "{name}", "Bram"],
    ["community", "retention", "{name}", "30"],
    ["community", "plan", "{name}", "2030-01-01 10:00"],
    ["community", "plan", "{name}", "--clear"],
    ["consent", "{name}", "Bram", "grant"],
    ["research", "{name}", "--format", "csv", "--out", "{out}"],
]


@pytest.mark.parametrize("argv", COMMUNITY_COMMANDS, ids=lambda argv: " ".join(argv[:2]))
@pytest.mark.parametrize("name", ["Typo", "CoP Inclusoin"])
def test_an_unknown_community_is_named_and_fails(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path, argv: list[str],
        name: str) -> None:
    out_file = isolated_folders / "out.txt"
    code, out, err = run(capsys, *[part.format(name=name, out=out_file) for part in argv])
    assert code == 1, (argv, out, err)
    assert f"There is no community called '{name}'." in err
    assert out == "" and not out_file.exists() and "Traceback" not in err
    if name == "CoP Inclusoin":
        assert f"Did you mean '{COMMUNITY}'?" in err
    else:
        assert "'kring community list' lists the communities." in err


def test_nothing_was_changed_by_a_typo(capsys: pytest.CaptureFixture[str],
                                       isolated_folders: Path) -> None:
    from kring.sessions.store.facade import Store

    for argv in COMMUNITY_COMMANDS:
        run(capsys, *[part.format(name="Typo", out=isolated_folders / "x") for part in argv])
    store = Store(isolated_folders / "data")
    assert [c.name for c in store.communities()] == [COMMUNITY]
    assert len(store.list_meetings()) == 1


@pytest.mark.parametrize("argv", [["journal", "cop inclusion"],
                                  ["actions", "--community", "COP INCLUSION"],
                                  ["community", "show", "cop inclusion"],
                                  ["purge", "--before", "2000-01-01", "--community",
                                   "cop inclusion"]])
def test_a_community_in_another_case_is_the_same_community(
        capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 0, err
    assert "There is no community" not in err


def test_the_journal_is_titled_with_the_community_s_own_name(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "journal", "cop inclusion")
    assert code == 0 and out.startswith(f"# Learning journal: {COMMUNITY}\n")


def test_a_community_known_only_from_its_meetings_is_known(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path) -> None:
    from kring.sessions.store.facade import Store

    store = Store(isolated_folders / "data")
    store.delete_community(COMMUNITY)  # the roster is gone; its meetings are not
    code, out, err = run(capsys, "journal", COMMUNITY)
    assert code == 0 and "Stille leerlingen" in out, err
    assert run(capsys, "actions", "--community", COMMUNITY)[0] == 0


@pytest.mark.parametrize("argv", [["export", "{id}"], ["export", "{id}", "--out", "-"],
                                  ["add", "{id}", "q: Why?"], ["project", "{id}"],
                                  ["share", "{id}"],
                                  ["carry", "{id}", "--to", "T", "--to-data", "{folder}",
                                   "--consent-of", "Bram"]])
def test_an_unknown_meeting_id_is_named_and_fails(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path, argv: list[str]) -> None:
    folder = isolated_folders / "elsewhere"
    code, out, err = run(capsys, *[part.format(id="ffff0000", folder=folder) for part in argv])
    assert code == 1, (argv, err)
    assert "No meeting has an id starting with 'ffff0000'" in err
    assert out == "" and "Traceback" not in err


def test_an_unreadable_communities_file_leaves_the_meetings_to_say(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kring.sessions.errors import StoreError
    from kring.sessions.store.facade import Store

    def refuse(self: Store) -> list[object]:
        raise StoreError("The communities file cannot be read.")

    monkeypatch.setattr(Store, "communities", refuse)
    code, out, err = run(capsys, "actions", "--community", COMMUNITY)
    assert code == 0 and "Bel de mentor" in out, err
    code, _out, err = run(capsys, "journal", "CoP Inclusoin")
    assert code == 1 and f"Did you mean '{COMMUNITY}'?" in err and "Traceback" not in err



def test_a_community_that_held_meetings_but_has_no_roster_says_so(
        capsys: pytest.CaptureFixture[str], isolated_folders: Path) -> None:
    """Not "no community called 'CoP Zuid'. Did you mean 'CoP Zuid'?": its meetings name it,
    but consent and the roster commands need a roster (Kring once kept none)."""
    from kring.sessions.meeting.setup import MeetingPlan
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.protocol import Role
    from kring.sessions.store.facade import Store
    from tests.support.catalog import CATALOG

    found = CATALOG.find("incident", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="CoP Zuid",
                       participants=["Anouk", "Bram", "Chantal"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    Store(isolated_folders / "data").create_meeting(plan.create(FakeClock()))
    code, out, err = run(capsys, "consent", "cop zuid", "Bram", "grant")
    assert code == 1 and out == "" and "Traceback" not in err
    assert "'CoP Zuid' held meetings but has no roster yet" in err
    assert "no community called" not in err and "Did you mean" not in err
