"""Textual's footer, built again only when the keys it shows have changed.

Textual's Footer rebuilds itself (removes every key widget, mounts new ones, styles and lays
them out) whenever a screen publishes that its bindings may have changed: on every change of
focus, twice (``Screen._watch_focused`` and ``set_focus``), and on each
``refresh_bindings()``. Most of those change nothing the footer shows, and each rebuild costs
a layout of the footer and a frame: at start-up they delayed the home screen's list."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """A drop-in for Textual's Footer that skips rebuilds which would show the same keys."""

    _composed: Hashable = None

    def _shown_keys(self) -> Hashable:
        """What ``compose`` makes the footer of: every active binding as shown."""
        app = self.app
        return (app.ENABLE_COMMAND_PALETTE, self.show_command_palette, tuple(
            (key, binding.key, app.get_key_display(binding), binding.description,
             binding.action, binding.show, binding.group, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()))

    def compose(self) -> ComposeResult:
        self._composed = self._shown_keys() if self._bindings_ready else None
        yield from super().compose()

    async def recompose(self) -> None:
        if self._bindings_ready and self.is_attached and self._shown_keys() == self._composed:
            return
        await super().recompose()
