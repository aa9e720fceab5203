"""``kring project``: a second window that shows a live meeting to the room.

The window is ``kring.tui.projector``'s; it is imported only when this command runs, so the
other commands never load it (nor Textual)."""

from __future__ import annotations

from kring.tui.cli.context import Context


def project_command(context: Context, ref: str) -> int:
    from kring.tui.projector import run_projector

    return run_projector(context.data, ref, context.language)
