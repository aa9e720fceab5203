"""Protocol templates for the tests: the built-in files, and the smallest valid template (two
phases, the two required roles) that a test changes one thing of."""

from __future__ import annotations

from pathlib import Path

from kring.sessions.protocols.catalog import template_files
from kring.templates import BUILTIN_DIR

BUILTINS: list[Path] = template_files(BUILTIN_DIR)

VALID = """\
schema = 1
id = "tiny"
language = "en"
name = "Tiny"
summary = "Two phases, for tests."

[roles]
facilitator = "required"
case-bringer = "required"

[[phases]]
id = "tell"
title = "Tell"
minutes = 5
speakers = "case-bringer"
case_bringer = "speaks"
input = "presentation"
captures = ["note"]
instructions = "Tell the case."

[[phases]]
id = "ask"
title = "Ask"
minutes = 10
speakers = "group"
case_bringer = "answers"
input = "round"
captures = ["question", "fact"]
instructions = "Ask **factual** questions."
prompts = ["Who was there?"]
"""
