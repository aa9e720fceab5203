"""Kring's built-in protocol templates, shipped as TOML data files beside this module."""

from pathlib import Path

BUILTIN_DIR = Path(__file__).resolve().parent
