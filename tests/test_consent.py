"""Consent for research (issue 15): whose words may leave Kring for research, from when, and
from when no longer; set with `kring consent`, listed by `kring community show`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kring.sessions.errors import NotFoundError, StoreError
from kring.sessions.model.community import Community
from kring.sessions.model.consent import Consent, consented_on
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, find_community, set_consent
from kring.tui.cli import main

JAN, FEB, MAR = date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)


def test_consent_holds_from_the_day_granted_until_the_day_withdrawn() -> None:
    consents = {"Bram": Consent("Bram", granted_on=FEB, withdrawn_on=MAR)}
    assert not consented_on(consents, "Bram", JAN)
    assert consented_on(consents, "Bram", FEB)  # the day itself counts
    assert consented_on(consents, "bram", date(2026, 3, 9))  # names match as rosters do
    assert consented_on(consents, "  BRAM ", date(2026, 3, 9))
    assert not consented_on(consents, "Bram", MAR)  # withdrawn that day: no longer
    assert not consented_on(consents, "Bram", date(2027, 1, 1))


def test_no_consent_without_a_grant() -> None:
    assert not consented_on({}, "Bram", FEB)
    assert not consented_on({"Bram": Consent("Bram")}, "Bram", FEB)
    assert not consented_on({"Bram": Consent("Bram", withdrawn_on=MAR)}, "Bram", FEB)
    assert not consented_on({"Anouk": Consent("Anouk", granted_on=JAN)}, "Bram", FEB)


def test_granted_and_open_ended() -> None:
    consents = {"Anouk": Consent("Anouk", granted_on=JAN)}
    assert consented_on(consents, "Anouk", JAN)
    assert consented_on(consents, "anouk", date(2030, 1, 1))
    assert not consented_on(consents, "Anouk", date(2026, 1, 9))


def test_a_consent_and_a_community_round_trip_through_json() -> None:
    consent = Consent("Özlem", granted_on=JAN, withdrawn_on=MAR)
    assert consent.to_dict() == {"person": "Özlem", "granted_on": "2026-01-10",
                                 "withdrawn_on": "2026-03-10"}
    assert Consent.from_dict(json.loads(json.dumps(consent.to_dict()))) == consent
    community = Community("Team", ["Özlem", "Dev"], consents={"Özlem": consent})
    again = Community.from_dict(json.loads(json.dumps(community.to_dict())))
    assert again == community
    # A communities file written before consent existed reads as no consent at all.
    old = Community.from_dict({"name": "Team", "members": ["Dev"], "retention_days": None})
    assert old.consents == {}


def test_a_damaged_consent_is_refused() -> None:
    with pytest.raises((TypeError, ValueError)):
        Community.from_dict({"name": "T", "members": [], "consents": {"A": {"person": "A",
                                                                          "granted_on": "x"}}})
    with pytest.raises(TypeError):
        Community.from_dict({"name": "T", "members": [], "consents": ["A"]})


def test_set_consent_grants_withdraws_and_grants_again(tmp_path: Path) -> None:
    store = Store(tmp_path)
    add_member(store, "CoP Inclusion", "Bram")
    first = set_consent(store, "cop inclusion", "bram", grant=True, day=JAN)
    assert first == Consent("Bram", granted_on=JAN)  # named as on the roster
    withdrawn = set_consent(store, "CoP Inclusion", "BRAM", grant=False, day=FEB)
    assert withdrawn == Consent("Bram", granted_on=JAN, withdrawn_on=FEB)
    found = find_community(Store(tmp_path), "CoP Inclusion")
    assert found is not None and found.consents == {"Bram": withdrawn}
    assert consented_on(found.consents, "Bram", JAN)
    assert not consented_on(found.consents, "Bram", FEB)
    again = set_consent(store, "CoP Inclusion", "Bram", grant=True, day=MAR)
    assert again == Consent("Bram", granted_on=MAR)
    found = find_community(Store(tmp_path), "CoP Inclusion")
    assert found is not None and list(found.consents) == ["Bram"]
    assert consented_on(found.consents, "Bram", MAR)
    assert not consented_on(found.consents, "Bram", FEB)


def test_set_consent_needs_a_member_of_a_community(tmp_path: Path) -> None:
    store = Store(tmp_path)
    add_member(store, "Team", "Dev")
    with pytest.raises(NotFoundError) as error:
        set_consent(store, "Team", "Nobody", grant=True, day=JAN)
    assert "roster" in error.value.message
    with pytest.raises(StoreError) as error:
        set_consent(store, "No such team", "Dev", grant=True, day=JAN)
    assert "no such community" in error.value.message


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_consent_from_the_command_line(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "community", "add-member", "CoP Inclusion", "Bram")[0] == 0
    assert run(capsys, "community", "add-member", "CoP Inclusion", "Anouk")[0] == 0
    assert run(capsys, "community", "add-member", "CoP Inclusion", "Dev")[0] == 0
    code, out, _ = run(capsys, "consent", "cop inclusion", "bram", "grant")
    assert code == 0 and "Bram consents" in out
    code, out, _ = run(capsys, "consent", "CoP Inclusion", "Anouk", "grant", "--date",
                       "2026-01-10")
    assert code == 0 and "10 January 2026" in out
    code, out, _ = run(capsys, "consent", "CoP Inclusion", "Anouk", "withdraw", "--date",
                       "2026-03-10")
    assert code == 0 and "withdrew" in out and "10 March 2026" in out
    found = find_community(Store(data), "CoP Inclusion")
    assert found is not None
    assert found.consents["Anouk"] == Consent("Anouk", granted_on=JAN, withdrawn_on=MAR)
    assert found.consents["Bram"].granted_on is not None

    code, out, _ = run(capsys, "community", "show", "CoP Inclusion")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert "research consent since" in lines["Bram"]
    assert "withdrawn on 10 March 2026" in lines["Anouk"]
    assert "never given" in lines["Dev"]


def test_consent_errors_are_sentences(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "community", "add-member", "Team", "Dev")[0] == 0
    code, _out, err = run(capsys, "consent", "Team", "Nobody", "grant")
    assert code == 1 and "not on the community's roster" in err and "Traceback" not in err
    code, _out, err = run(capsys, "consent", "Nowhere", "Dev", "withdraw")
    assert code == 1 and "no community called 'Nowhere'" in err and "Traceback" not in err
    with pytest.raises(SystemExit) as exited:
        main(["consent", "Team", "Dev", "grant", "--date", "soon"])
    assert exited.value.code == 2
    assert "not a date" in capsys.readouterr().err
