"""The one capture line: always at hand, never a command. Keys that mean something to the
meeting are ctrl- and function keys, so typing can never trigger them by accident."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.suggester import Suggester

from kring.sessions.meeting.capture import complete_mention
from kring.tui.widgets.line import LineInput

_MENTION = re.compile(r"@([^\s@\"]*)$")


class MentionSuggester(Suggester):
    """Completes the @name being typed at the end of the line from the roster."""

    def __init__(self, roster: Sequence[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.roster = list(roster)

    async def get_suggestion(self, value: str) -> str | None:
        match = _MENTION.search(value)
        if not match or not match.group(1):
            return None
        names = complete_mention(match.group(1), self.roster)
        if len(names) != 1:
            return None
        name = names[0]
        token = f'"{name}"' if " " in name else name
        return value[: match.start(1)] + token


class CaptureLine(LineInput):
    DEFAULT_CLASSES = "capture"

    # Input resizes its virtual (scrollable) width on every keystroke, and Widget declares
    # virtual_size as a layout change: the whole screen, a thousand entries included, would be
    # laid out again per key. A one-line input has no scroll bars, so a repaint is enough.
    virtual_size = Reactive(Size(0, 0), layout=False, repaint=True)

    def __init__(self, **kwargs: Any) -> None:
        # Never select the line on focus: coming back from a dialog or the entry list, the
        # next key would replace the draft instead of adding to it.
        kwargs.setdefault("select_on_focus", False)
        super().__init__(**kwargs)
