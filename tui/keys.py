"""Kring's own keys on a screen, for the help screen and the command palette alike, so both
are generated from the bindings and can never disagree with them."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textual.binding import ActiveBinding, Binding
from textual.screen import Screen

from kring.sessions.i18n import _, active_language


def kring_bindings(screen: Screen) -> list[ActiveBinding]:
    """Bindings with a description, declared by Kring's screens, widgets and app; the text
    fields' and scroll bars' own keys are the usual ones and would drown ours."""
    found: list[ActiveBinding] = []
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.action in seen:
            continue
        if binding.action not in _kring_actions(type(active.node)):
            continue
        seen.add(binding.action)
        found.append(active)
    return found


def _kring_actions(kind: type) -> set[str]:
    """Actions bound by the classes of ours in ``kind``'s ancestry (not those it inherits
    from Textual's widgets)."""
    return {binding.action for binding in class_bindings(kind)}


def class_bindings(kind: type) -> list[Binding]:
    """The bindings Kring's classes in ``kind``'s ancestry declare, nearest class first."""
    found: list[Binding] = []
    for cls in kind.__mro__:
        if cls.__module__.startswith("kring.tui."):
            found += [item if isinstance(item, Binding) else Binding(*item)
                      for item in cls.__dict__.get("BINDINGS", [])]
    return found


class TranslatedBindings:
    """Mixed into Kring's screens. Key descriptions are marked with ``N_`` when the classes
    are defined and translated here, when shown, so the footer, the help screen and the
    command palette all speak the language chosen at start-up."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        shown = super().active_bindings  # type: ignore[misc]
        language = active_language()
        return {
            key: active._replace(binding=_translated(active.binding, language))
            if active.binding.description else active
            for key, active in shown.items()
        }


@lru_cache(maxsize=1024)
def _translated(binding: Binding, language: str) -> Binding:
    """``binding`` with its description in ``language`` (the one ``_`` speaks now). Made once
    per binding and language: the footer asks for the bindings on every focus change, and
    copying each one every time cost the first frame a millisecond."""
    return replace(binding, description=_(binding.description))
