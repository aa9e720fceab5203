"""Helpers the benchmarks share: a real terminal to run commands in, and data folders to run
them on. Not benchmarks themselves (``make bench`` runs only ``benchmarks/*.py``)."""
