"""Kring: guides live peer case-consultation meetings and writes their minutes."""
