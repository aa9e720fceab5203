"""Kring's widgets: each shows one part of a meeting."""
