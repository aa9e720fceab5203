"""What a scribe connection runs (``python -m kring.tui.share.scribe_app``): the Kring app
opened straight on one meeting, closing when the meeting screen is left, so a note-taker's
browser never reaches the list of other meetings. It cannot start sharing itself."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kring.sessions.i18n import use_language


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kring-scribe")
    parser.add_argument("--data", required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("meeting")
    args = parser.parse_args(argv)
    use_language(args.lang)
    from kring.tui.share.scribe_screen import ScribeApp

    ScribeApp(Path(args.data), args.meeting).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
