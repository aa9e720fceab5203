"""The Kring app, headless, holding a meeting and sharing it: what the crash test kills.

    python tests/share_app_child.py DATA MEETING

Prints the share URLs as JSON, then the number of contributions waiting in its queue panel
each time it changes; runs until killed."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from kring.tui.app import create_app
from kring.tui.share.panel import SharePanel
from kring.tui.share.queue_panel import QueuePanel


async def main(data: Path, meeting_id: str) -> None:
    app = create_app(data, language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_meeting(meeting_id)
        await pilot.pause(0.5)
        screen = app.screen
        share = screen.query_one(SharePanel)
        await share.start_sharing("127.0.0.1")
        assert share.share_server is not None
        print(json.dumps(share.share_server.urls()), flush=True)
        shown = -1
        while True:
            await pilot.pause(0.1)
            waiting = len(screen.query_one(QueuePanel).items)
            if waiting != shown:
                shown = waiting
                print(waiting, flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
