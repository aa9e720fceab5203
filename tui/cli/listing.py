"""``kring list``: the meetings in the data folder, those in progress first, and the purges a
community's retention period suggests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.tui.cli.context import Context, today, warn_unreadable

if TYPE_CHECKING:
    from kring.sessions.store.facade import Store


def list_meetings(context: Context, *, real_names: bool = False) -> int:
    """The table of meetings. Case titles show protected names as pseudonyms, as the app's
    home screen does: a terminal may be on the wall. ``real_names`` shows them as typed."""
    from kring.sessions.store.facade import Store
    from kring.sessions.store.summary import in_progress_first

    store = Store(context.data)
    meetings = store.list_meetings()
    warn_unreadable(context, store, meetings)
    if not meetings:
        context.out.print(_("No meetings yet in {folder}. Start one with 'kring'.")
                          .format(folder=context.data), markup=False, highlight=False)
        return 0
    _suggest_purges(context, store)
    table = Table(title=_("Meetings"), title_justify="left")
    for header in (_("id"), _("date"), _("community"), _("case"), _("protocol"), _("status")):
        table.add_column(header, no_wrap=header in {_("id"), _("date")})
    for summary in in_progress_first(meetings):
        case = summary.case if real_names else summary.public_case
        # Typed text as Text: a "[b]" in a title is shown, not read as markup.
        table.add_row(summary.id, summary.date.isoformat(), Text(summary.community), Text(case),
                      Text(summary.protocol),
                      _("in progress") if summary.in_progress else _("ended"))
    context.out.print(table)
    return 0

def _suggest_purges(context: Context, store: Store) -> None:
    from kring.sessions.care.purge import suggest_purge

    try:
        suggestions = suggest_purge(store, today())
    except StoreError as error:  # the communities cannot be read: the list still shows
        context.err.print(f"⚠ {error.message}", markup=False, highlight=False)
        return
    for community, cutoff in suggestions:
        context.err.print(_("{community} keeps meetings for a limited time; older ones can go: "
                            "kring purge --before {date} --community \"{community}\"").format(
            community=community, date=cutoff.isoformat()), markup=False, highlight=False,
            soft_wrap=True)  # the command must stay copyable in one piece

