"""Kring's two themes, and how an app starts in one of them.

Projected in a lit classroom, the light theme needs real contrast: black on white."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

KRING_LIGHT = Theme(
    name="kring-light",
    primary="#0b3d91",
    secondary="#5a2d82",
    accent="#0b3d91",
    warning="#8a5a00",
    error="#b00020",
    success="#0a6b2f",
    foreground="#000000",
    background="#ffffff",
    surface="#f2f2f2",
    panel="#e6e6e6",
    boost="#e8eefc",
    dark=False,
)
KRING_DARK = Theme(
    name="kring-dark",
    primary="#7aa2ff",
    secondary="#c39bff",
    accent="#ffd166",
    warning="#ffb000",
    error="#ff5c5c",
    success="#4cd97b",
    foreground="#f5f5f5",
    background="#101418",
    surface="#1a2027",
    panel="#222a33",
    dark=True,
)
LIGHT = KRING_LIGHT.name
DARK = KRING_DARK.name


def use_kring_themes(app: App[Any], name: str) -> None:
    """Register Kring's themes with ``app`` (from its ``__init__``) and start in ``name``.

    Assigning ``app.theme`` there would have Textual parse every style of the app a second
    time once it runs, for its first frame (about 5 ms of start-up). Before the styles are
    first parsed it is enough to set the theme's name, the variables styles read and the
    classes the theme gives the app."""
    app.register_theme(KRING_LIGHT)
    app.register_theme(KRING_DARK)
    theme = app.get_theme(name)
    if theme is None or theme.dark != app.current_theme.dark:
        app.theme = name  # a light start also changes the ANSI colour filter: the long way
        return
    app.set_reactive(App.theme, name)
    app.stylesheet.set_variables(app.get_css_variables())
    app.set_class(True, f"-theme-{name}", update=False)


def toggled(name: str) -> str:
    """The other of Kring's two themes (ctrl+l)."""
    return LIGHT if name == DARK else DARK
