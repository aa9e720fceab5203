"""Kring replaces Textual's crash report (tui/crash.py ``report_fatal``: a sentence, never a
frame's locals, which hold case notes) through names Textual keeps private. They are checked
here, so that a Textual release that moves them fails this test, not a facilitator's meeting;
pyproject.toml keeps Textual below its next major version. What a crash shows is
tests/test_app_crash.py's."""

from __future__ import annotations

from textual.app import App

from kring.tui.app import KringApp
from kring.tui.projector.app import ProjectorApp


def test_the_private_names_replaced_and_used_are_still_textual_s() -> None:
    for name in ("_fatal_error", "_close_messages_no_wait"):
        assert callable(getattr(App, name, None)), name
    for app in (KringApp, ProjectorApp):
        assert app._fatal_error is not App._fatal_error  # type: ignore[attr-defined]
    fresh = App()
    assert isinstance(fresh._exit_renderables, list) and hasattr(fresh, "_exception")
