"""``kring doctor``: check the data folder and, with ``--repair``, fix what is safe."""

from __future__ import annotations

from kring.sessions.i18n import _
from kring.tui.cli.context import Context


def doctor_command(context: Context, repair: bool) -> int:
    from kring.sessions.care import doctor

    report = doctor.repair(context.data) if repair else doctor.check(context.data)
    print_ = context.out.print
    print_(_("Data folder: {folder}").format(folder=context.data), markup=False, highlight=False)
    if not report.findings:
        print_(_("Everything is in order."), highlight=False)
    for finding in report.findings:
        print_(f"• {finding.detail}", markup=False, highlight=False)
    for done in report.repaired:
        print_(f"✓ {done}", markup=False, highlight=False)
    for failed in report.failed:
        print_(f"✗ {failed}", markup=False, highlight=False)
    if not report.healthy and not repair:
        print_(_("Nothing was changed. 'kring doctor --repair' fixes what can be fixed safely."),
               highlight=False)
    return 1 if report.failed or (not repair and not report.healthy) else 0

