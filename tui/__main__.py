import sys

from kring.tui.startup import launch

sys.exit(launch())
