"""The built-in protocol templates, loaded once: the catalog every app and meeting of the
tests is made from."""

from __future__ import annotations

from kring.sessions.protocols.catalog import Catalog, load_catalog
from kring.templates import BUILTIN_DIR

CATALOG: Catalog = load_catalog(BUILTIN_DIR)
