"""What the tests share: builders of meetings, stores and apps, fakes and fault injection, and
the drivers of what runs outside the test's process (tmux, Chromium, Syncthing, a store in a
child process). One module per concept, named for what it holds: ``minutes.py`` the meetings
the minutes are written from, ``meeting_app.py`` the app opened on a meeting, ``faults.py`` a
disk that refuses, and so on.

Test modules import from here, never from each other: a ``test_*.py`` file holds tests only,
and what two of them need lives in this package (tests/test_suite_layout.py checks it).
Benchmarks import from here too. Nothing here is collected as a test; a fixture that several
modules use is defined here and offered to every test by tests/conftest.py.

Not here: the programs the tests start by their path or with ``python -m``
(tests/store_child.py, tests/share_app_child.py, tests/i18n_catalog.py), which stay beside the
tests that run them."""
