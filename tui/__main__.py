import sys

from kring.tui.cli import main

sys.exit(main())
