"""``kring`` without a command: the Textual app. Textual is imported only here, when the app
starts, so that ``kring templates`` and the other commands stay quick."""

from __future__ import annotations

from kring.tui.cli.context import Context, say_error
from kring.tui.terminal import terminal_problem


def run_app(context: Context) -> int:
    problem = terminal_problem()
    if problem is not None:
        say_error(problem)
        return 2
    from kring.tui.app import create_app  # deferred: the sub-commands never pay for Textual

    create_app(context.data, language=context.language or "en",
               template_dirs=[context.user_templates, *context.extra_templates],
               minutes=context.minutes, minutes_html=context.minutes_html,
               bell=context.bell, flash=context.flash, guard=context.guard).run()
    return 0
