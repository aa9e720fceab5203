"""All the phases of the meeting at a glance: done, current, still to come."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static

from kring.sessions.meeting.live import LiveMeeting
from kring.tui.plain_text import plain_text


class PhaseStepper(Static):
    DEFAULT_CLASSES = "stepper"

    def show(self, live: LiveMeeting) -> None:
        done, skipped = live.done_steps(), live.skipped_steps()
        table = Table.grid(expand=True, padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(no_wrap=True, justify="right")
        for index, step in enumerate(live.steps):
            current = index == live.step_index
            if current:
                mark, style = "▶", "bold reverse"
            elif step.key in skipped:
                mark, style = "↷", "dim strike"
            elif step.key in done:
                mark, style = "✓", "dim"
            else:
                mark, style = "·", ""
            title = step.phase.title
            if step.client:
                title = f"{title} ({step.client})"
            # A template's title and a participant's name: plain, and never read as markup.
            table.add_row(f"{mark}{index + 1:>2}", plain_text(title, one_line=True),
                          f"{step.phase.minutes:g}′",
                          style=style)
        self.update(table)
