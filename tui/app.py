"""The Kring application and the one factory the command line and the tests both use."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from kring.sessions.i18n import N_, _, active_language, use_language
from kring.sessions.model.clock import Clock, SystemClock
from kring.tui.keys import kring_bindings
from kring.tui.plain_text import PlainNotify
from kring.tui.screens.home import HomeScreen
from kring.tui.startup import collecting_rarely
from kring.tui.themes import DARK, toggled, use_kring_themes
from kring.tui.watching import FollowsData

if TYPE_CHECKING:
    from kring.sessions.guard.meeting import Verdict
    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.model.meeting import Meeting
    from kring.sessions.protocols.catalog import Catalog
    from kring.sessions.store.facade import Store
    from kring.tui.guard import AppGuard

class KringApp(PlainNotify, FollowsData, App[None]):
    TITLE = "Kring"
    # Home is the bottom of the stack: the default screen, so no blank one is composed first.
    # Its styles load with the app's (Textual reads a screen's own CSS_PATH only for screens
    # it pushes or makes from MODES). Not a mode: a mode's screen is mounted inside the app's
    # start-up batch, so its first frame was rendered and then dropped, and the list showed
    # only with the next one, a full render later.
    CSS_PATH = ["app.tcss", "screens/home.tcss"]
    BINDINGS = [
        # A priority key, so that it reaches the dialogs too (the review, sharing, the case):
        # a modal screen's keys stop at itself.
        Binding("f1", "help", N_("Help"), priority=True),
        Binding("ctrl+l", "toggle_theme", N_("Light/dark"), show=False),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True),
        # Declared here so the footer and the palette name it in the interface's language
        # (Textual's own says "palette").
        Binding("ctrl+p", "command_palette", N_("Commands"), show=False, priority=True),
    ]

    def __init__(self, data: Path, clock: Clock, language: str | None = None, *,
                 catalog: Catalog | None = None, template_dirs: list[Path] | None = None,
                 minutes: Path | None = None, minutes_html: bool = False,
                 bell: bool = True, flash: bool = True, watch_by_polling: bool = False,
                 guard: bool = False) -> None:
        super().__init__()
        self.data = data
        self.watch_by_polling = watch_by_polling
        self.minutes_dir = minutes  # None: the data folder's own, as for kring export
        self.minutes_html = minutes_html
        self._catalog = catalog
        self.template_dirs = template_dirs or []
        self.clock = clock
        if language is not None:
            use_language(language)
        # How a phase's last minute and its end are signalled (config.toml: bell, flash).
        self.bell_enabled = bell
        self.flash_enabled = flash
        self.guard_enabled = guard
        use_kring_themes(self, DARK)

    @property
    def language(self) -> str:
        """The interface's language. gettext's ``_`` speaks one language per process, so the
        app reads it from there rather than keeping a second copy that could disagree."""
        return active_language()

    @cached_property
    def store(self) -> Store:
        """Opened after the first frame is on screen (the home screen fills its list then)."""
        from kring.sessions.store.facade import Store

        return Store(self.data)

    @cached_property
    def guard(self) -> AppGuard | None:
        """The privacy guard, started when a meeting first opens (its process holds a
        gigabyte: not for the home screen); None when config.toml turned it off."""
        if not self.guard_enabled:
            return None
        from kring.tui.guard import AppGuard

        return AppGuard(self, self.store.layout.state)

    def on_unmount(self) -> None:
        if self.__dict__.get("guard") is not None:
            self.guard.stop()  # type: ignore[union-attr]

    @cached_property
    def catalog(self) -> Catalog:
        """Read when first needed: the home screen shows before any template is parsed."""
        if self._catalog is not None:
            return self._catalog
        from kring.sessions.protocols.catalog import load_catalog
        from kring.templates import BUILTIN_DIR

        return load_catalog(BUILTIN_DIR, self.template_dirs)

    def get_default_screen(self) -> Screen:
        return HomeScreen()

    # -- meetings ----------------------------------------------------------------------------

    def open_meeting(self, meeting_id: str) -> None:
        # Everything opening a meeting makes lives as long as it is open (a meeting of 20,000
        # entries is 20,000 records): the collector waits until it is made.
        with collecting_rarely():
            # Imported here: the meeting screen's widgets (Markdown among them) need not slow
            # the first frame of the home screen.
            from kring.sessions.errors import StoreError
            from kring.sessions.meeting.live import LiveMeeting
            from kring.tui.screens.meeting import MeetingScreen

            try:
                record = self.store.load(meeting_id)
            except StoreError as error:
                # Gone since the list was made (purged here or on another laptop), or
                # unreadable: say so, and show the list as the logs are now.
                self.notify(error.message, severity="error", timeout=10)
                self._back_home()
                return
            live = LiveMeeting(record.meeting, record.entries, self.store, self.clock)
            screen = MeetingScreen(live, self.store.draft_slot(meeting_id))
        self.push_screen(screen, self._back_home)

    def start_meeting(self, meeting: Meeting, consent: dict[str, bool] | None = None) -> None:
        """Store a meeting set up in the app and open it. ``consent``: research consent given
        (True) or withdrawn (False) in setup, per participant, as of the meeting's start."""
        from kring.sessions.errors import StoreError
        from kring.sessions.store.rosters import remember_roster, set_consent

        self.store.create_meeting(meeting)
        remember_roster(self.store, meeting.community, meeting.participants)
        for person, grant in (consent or {}).items():
            try:
                set_consent(self.store, meeting.community, person, grant=grant,
                            day=self.clock.now().date())
            except StoreError as error:
                self.notify(error.message, severity="error")
        self.open_meeting(meeting.id)

    def write_minutes(self, live: LiveMeeting, guard: Verdict | None) -> list[Path]:
        """Write the minutes (so far) and say where; a refusing disk is said, not raised.
        Through the writer ``kring export`` uses, fed the meeting as this window holds it:
        what the store holds once everything is saved, and with the changes the disk refused
        while they wait to be saved again, so the minutes never miss an entry that is shown.
        ``guard``: what the privacy guard made of it (the meeting screen's ``GuardBar``)."""
        from kring.sessions.documents.filenames import default_minutes_dir
        from kring.sessions.documents.writing import write_minutes
        from kring.sessions.errors import StoreError

        folder = self.minutes_dir or default_minutes_dir(self.data)
        try:
            paths = write_minutes(live, folder, now=self.clock.now(), html=self.minutes_html,
                                  guard=guard)
        except StoreError as error:
            self.notify(error.message, severity="error", timeout=10)
            return []
        self.notify(_("Minutes written to {path}").format(path=paths[0]), timeout=10)
        return paths

    def _back_home(self, _result: object = None) -> None:
        if isinstance(self.screen, HomeScreen):
            self.screen.reload()

    # -- app-wide actions --------------------------------------------------------------------

    def action_help(self) -> None:
        from kring.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # F1 again closes it: the help's own F1 comes after ours
        else:
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        # ctrl+q from a meeting asks first, as leaving it does (ctrl+q again says yes); with
        # changes the disk refused it then offers to write them elsewhere.
        # Looked up, not imported: quitting from home must not load the meeting screen's
        # modules (Markdown and all) only to find that no meeting is open.
        screens = sys.modules.get("kring.tui.screens.meeting")
        if screens is None:
            self.exit()
            return
        meetings = [s for s in self.screen_stack if isinstance(s, screens.MeetingScreen)]
        if meetings:
            meetings[-1].ask_to_close(self.exit, quitting=True)
        else:
            self.exit()

    def _fatal_error(self) -> None:
        """Textual's crash report prints the locals of every frame: a meeting's entries, case
        notes about pupils, would land on screen and in screenshots. Kring says what happened
        in a sentence and keeps the details in a private log with no entry text."""
        from kring.tui.crash import report_fatal

        report_fatal(self)

    def action_toggle_theme(self) -> None:
        self.theme = toggled(self.theme)

    def action_toggle_bell(self) -> None:
        self.bell_enabled = not self.bell_enabled
        self.notify(_("Bell in a phase's last minute and at its end: on") if self.bell_enabled
                    else _("Bell in a phase's last minute and at its end: off"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the current screen is in the palette too, from the same bindings."""
        for active in kring_bindings(screen):
            binding = active.binding
            if not active.enabled:
                continue
            yield SystemCommand(binding.description, _("Key: {key}").format(
                key=self.get_key_display(binding)),
                lambda node=active.node, action=binding.action: self._run(node, action))
        from kring.tui.screens.meeting import MeetingScreen

        if isinstance(screen, MeetingScreen):
            yield SystemCommand(_("Coach on/off"), _("The facilitator's coach for this "
                                                     "meeting: pace, who spoke, nudges"),
                                screen.coach.toggle)
            yield SystemCommand(_("Take the time back"),
                                _("When phases ran over: plan the phases ahead anew, shown "
                                  "first, so the meeting ends on time"),
                                screen.coach.take_time_back)
        yield SystemCommand(_("Bell on/off"), _("Ring the terminal bell in a phase's last "
                                                "minute and when its time is up"),
                            self.action_toggle_bell)
        # Textual's own (Theme, Quit, Keys, Maximize, Screenshot) are left out: they speak
        # English only, Quit and Theme are Kring keys already, and F1 is Kring's help.
        yield SystemCommand(_("Screenshot"), _("Save a picture of this screen in {folder}")
                            .format(folder=screenshot_folder()),
                            lambda: self.set_timer(0.1, self.action_save_screenshot))

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the interface's language."""
        # (is_open is typed for App[object]; any app is one)
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=_("Search for commands…")))

    def action_save_screenshot(self) -> None:
        """An SVG of the screen in the user's pictures folder: where people look for one, and
        not in the data folder, which a sync engine carries to other laptops."""
        folder = screenshot_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.save_screenshot(path=str(folder))
        except OSError as error:
            self.notify(_("The screenshot could not be saved in {folder}: {reason}").format(
                folder=folder, reason=error.strerror or error), severity="error")
            return
        self.notify(_("Screenshot saved: {path}").format(path=path), timeout=10)

    def _run(self, node: object, action: str) -> None:
        self.call_later(self.run_action, action, node)


def screenshot_folder() -> Path:
    from platformdirs import user_pictures_dir  # only when a screenshot is asked for

    return Path(user_pictures_dir())


def create_app(data: Path, catalog: Catalog | None = None, clock: Clock | None = None,
               language: str | None = None, template_dirs: Iterable[Path] = (),
               minutes: Path | None = None, minutes_html: bool = False,
               bell: bool = True, flash: bool = True,
               watch_by_polling: bool = False, guard: bool = False) -> KringApp:
    """The app on a data folder. Without ``catalog`` (tests pass one), the protocols are read
    when first needed, from the built-ins and ``template_dirs``. ``language`` switches the
    interface to it; without one the app speaks the language already chosen (``kring --lang``
    chooses it before any sub-command runs). ``guard``: the privacy guard runs in meetings
    (the command line's default, unless config.toml says ``guard = false``; off unless asked
    for here, so a test's app starts no gigabyte process it does not look at)."""
    return KringApp(data, clock or SystemClock(), language, catalog=catalog,
                    template_dirs=list(template_dirs), minutes=minutes,
                    minutes_html=minutes_html, bell=bell, flash=flash,
                    watch_by_polling=watch_by_polling, guard=guard)
