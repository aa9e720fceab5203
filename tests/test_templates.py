"""Loading protocol templates: every built-in loads, every kind of bad input gets a clear error."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.model.protocol import Block, Capture, Protocol
from kring.sessions.protocols.templates import (
    MAX_BYTES,
    TemplateError,
    load_protocol,
    parse_protocol,
    parse_protocol_text,
    protocol_to_data,
)
from kring.templates import BUILTIN_DIR
from tests.support.budget import examples
from tests.support.templates import BUILTINS, VALID


def problems(text: str) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        parse_protocol_text(text.encode(), "bad.toml")
    return [p.describe("bad.toml") for p in caught.value.problems]


def test_the_valid_example_loads() -> None:
    protocol = parse_protocol_text(VALID.encode(), "tiny.toml")
    assert protocol.id == "tiny"
    assert [p.id for p in protocol.phases()] == ["tell", "ask"]
    assert protocol.phases()[1].default_capture is Capture.QUESTION
    assert protocol.planned_minutes() == 15


def test_there_are_nine_protocols_in_each_language() -> None:
    by_language: dict[str, set[str]] = {}
    for path in BUILTINS:
        protocol = load_protocol(path)
        by_language.setdefault(protocol.language, set()).add(protocol.id)
    expected = {"incident", "incident-short", "gossip", "balint", "consultancy", "tuning",
                "troika", "what-so-what", "kollegiale-beratung"}
    assert by_language == {"en": expected, "nl": expected}


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_builtin_loads_and_round_trips(path: Path) -> None:
    protocol = load_protocol(path)
    assert path.parent.name == protocol.language
    assert path.stem == protocol.id
    assert parse_protocol(protocol_to_data(protocol), path) == protocol


def test_balint_has_no_action_step() -> None:
    for language in ("en", "nl"):
        balint = load_protocol(BUILTIN_DIR / language / "balint.toml")
        assert all(Capture.ACTION not in p.captures for p in balint.phases())


def test_troika_repeats_its_round_for_every_participant() -> None:
    troika = load_protocol(BUILTIN_DIR / "en" / "troika.toml")
    assert any(isinstance(item, Block) for item in troika.items)
    steps = troika.steps(["Ann", "Bo", "Cem"])
    clients = [s.client for s in steps if s.block is not None]
    per_round = len(next(i for i in troika.items if isinstance(i, Block)).phases)
    assert clients == ["Ann"] * per_round + ["Bo"] * per_round + ["Cem"] * per_round
    assert len({s.key for s in steps}) == len(steps)


def replace(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new, 1)


BAD_CASES = {
    "syntax error": (replace('name = "Tiny"', 'name = "Tiny'), "line 4: TOML syntax error"),
    "missing key": (replace('title = "Ask"\n', ""), "phases[2].title: is missing"),
    "wrong type": (replace("minutes = 10", 'minutes = "ten"'),
                   "phases[2].minutes: should be a number of minutes, got text 'ten'"),
    "bool minutes": (replace("minutes = 10", "minutes = true"),
                     "phases[2].minutes: should be a number"),
    "unknown key": (replace('title = "Ask"', 'title = "Ask"\ntitel = "x"'),
                    "phases[2].titel: unknown key (did you mean 'title'?)"),
    "unknown top key": (replace('summary =', 'sumary = "x"\nsummary ='),
                        "sumary: unknown key (did you mean 'summary'?)"),
    "zero minutes": (replace("minutes = 10", "minutes = 0"),
                     "phases[2].minutes: must be more than 0 and at most 240, got 0"),
    "negative minutes": (replace("minutes = 10", "minutes = -3"), "got -3"),
    "absurd minutes": (replace("minutes = 10", "minutes = 100000"), "at most 240"),
    "nan minutes": (replace("minutes = 10", "minutes = nan"), "at most 240, got nan"),
    "duplicate ids": (replace('id = "ask"', 'id = "tell"'),
                      "phases[2].id: 'tell' is already the id of phases[1]"),
    "unknown speaking rule": (replace('speakers = "group"', 'speakers = "grup"'),
                              "unknown speaking rule 'grup' (did you mean 'group'?)"),
    "unknown capture": (replace('["question", "fact"]', '["questoin"]'),
                        "phases[2].captures[1]: unknown capture kind 'questoin' "
                        "(did you mean 'question'?)"),
    "no phases": ("phases = []\n" + VALID.split("[[phases]]")[0], "phases: is empty"),
    "phases missing": (VALID.split("[[phases]]")[0], "phases: is missing"),
    "empty text": (replace('instructions = "Tell the case."', 'instructions = "   "'),
                   "phases[1].instructions: is empty"),
    "bad id": (replace('id = "tiny"', 'id = "Tiny Protocol"'), "id: 'Tiny Protocol' is not a"),
    "bad language": (replace('language = "en"', 'language = "english"'),
                     "language: 'english' is not a two-letter"),
    "unknown role": (replace('case-bringer = "required"', 'casebringer = "required"'),
                     "roles.casebringer: unknown role 'casebringer' (did you mean "
                     "'case-bringer'?)"),
    "contradiction": (replace('case_bringer = "speaks"', 'case_bringer = "away"'),
                      "phases[1].case_bringer: is 'away', but speakers is 'case-bringer'"),
    "future schema": (replace("schema = 1", "schema = 7"), "schema: is 7"),
    "phase not a table": ('phases = ["a"]\n' + VALID.split("[[phases]]")[0],
                          "phases[1]: should be a table"),
    "participants": (VALID + "[participants]\nmin = 5\nmax = 3\n",
                     "participants.max: is 3, less than participants.min (5)"),
    # The coach's fields (issue 26): checked as every other field of a phase.
    "unknown expected kind": (replace('title = "Ask"', 'title = "Ask"\nexpects = ["advise"]'),
                              "phases[2].expects[1]: unknown capture kind 'advise'"),
    "expected and out of place": (
        replace('title = "Ask"', 'title = "Ask"\nexpects = ["question"]\n'
                'out_of_place = ["question"]'),
        "phases[2].out_of_place: names question, which expects names too"),
    "minimum without kinds": (replace('title = "Ask"', 'title = "Ask"\nmin_each = 2'),
                              "phases[2].min_each: counts the kinds in expects"),
    "absurd minimum": (replace('title = "Ask"', 'title = "Ask"\nexpects = ["question"]\n'
                               "min_each = 99"),
                       "phases[2].min_each: must be from 0 to 20, got 99"),
    "minimum as text": (replace('title = "Ask"', 'title = "Ask"\nexpects = ["question"]\n'
                                'min_each = "one"'),
                        "phases[2].min_each: should be a whole number, got text 'one'"),
    "open questions as text": (replace('title = "Ask"', 'title = "Ask"\nopen_questions = "yes"'),
                               "phases[2].open_questions: should be true or false"),
}


def test_every_questioning_phase_of_the_builtins_tells_the_coach_what_it_expects() -> None:
    """Where the group asks the case-bringer questions, the coach knows to expect one from
    each and that advice is out of place; where the group advises while the case-bringer
    listens, the reverse."""
    for protocol in (load_protocol(path) for path in BUILTINS):
        for phase in protocol.phases():
            if phase.speakers.value != "group":
                continue
            if Capture.QUESTION in phase.captures:
                assert phase.expects == (Capture.QUESTION,), (protocol.id, phase.id)
                assert Capture.POSITION in phase.out_of_place and phase.min_each == 1
            elif phase.captures[0] is Capture.POSITION and phase.case_bringer.value == "listens":
                assert phase.expects == (Capture.POSITION,), (protocol.id, phase.id)


@pytest.mark.parametrize("case", BAD_CASES, ids=str)
def test_bad_templates_name_file_key_and_problem(case: str) -> None:
    text, expected = BAD_CASES[case]
    found = problems(text)
    assert any(expected in line for line in found), found
    assert all(line.startswith("bad.toml: ") for line in found)


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    text = replace("minutes = 10", "minutes = 0").replace('speakers = "group"', 'speakers = "x"')
    found = problems(text)
    assert len(found) == 2


def test_a_block_with_nested_phases_is_checked_with_its_own_key_path() -> None:
    text = VALID + """
[[phases]]
id = "round"
title = "Round"
repeat = "per-participant"

  [[phases.phases]]
  id = "share"
  title = "Share"
  minutes = -1
  speakers = "case-bringer"
  case_bringer = "speaks"
  input = "presentation"
  captures = ["note"]
  instructions = "Share."
"""
    assert any("phases[3].phases[1].minutes: must be more than 0" in p for p in problems(text))


def test_not_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Tiny", "Tíny").encode("latin-1"))
    with pytest.raises(TemplateError) as caught:
        load_protocol(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 4" in message and "not UTF-8" in message and "0xed" in message


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert load_protocol(path).id == "tiny"


def test_a_50_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(TemplateError) as caught:
        load_protocol(path)
    assert "50.0 MB" in str(caught.value) and str(path) in str(caught.value)
    assert MAX_BYTES < 50 * 1024 * 1024


@pytest.mark.parametrize("name", ["missing.toml", "."])
def test_missing_files_and_folders_are_clear_errors(tmp_path: Path, name: str) -> None:
    with pytest.raises(TemplateError) as caught:
        load_protocol(tmp_path / name)
    assert str(tmp_path) in str(caught.value)


# -- property: whatever the document, only TemplateError comes out ---------------------------

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
keys = st.sampled_from(["id", "title", "minutes", "speakers", "case_bringer", "input",
                        "captures", "instructions", "prompts", "case_fields", "kind", "optional",
                        "repeat", "phases", "schema", "language", "name", "summary", "roles",
                        "participants", "source", "bogus"])
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=20)


def mutated_valid() -> st.SearchStrategy[dict]:
    base = tomllib.loads(VALID)

    def mutate(draw_keys: list[str], new: object, where: int) -> dict:
        data = tomllib.loads(VALID)
        target = data if where == 0 else data["phases"][(where - 1) % 2]
        for key in draw_keys:
            target[key] = new
        return data

    return st.one_of(
        st.just(base),
        st.builds(mutate, st.lists(keys, min_size=1, max_size=3), values, st.integers(0, 2)),
    )


@pytest.mark.slow
@settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated_valid(), st.dictionaries(keys, values, max_size=10)))
def test_any_document_gives_a_protocol_or_a_template_error(data: dict) -> None:
    try:
        result = parse_protocol(data, "generated.toml")
    except TemplateError as error:
        assert error.problems
        assert all(p.message for p in error.problems)
    else:
        assert isinstance(result, Protocol)


@settings(max_examples=examples(500), deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_a_protocol_or_a_template_error(raw: bytes) -> None:
    try:
        parse_protocol_text(raw, "generated.toml")
    except TemplateError as error:
        assert str(error).startswith("generated.toml")
