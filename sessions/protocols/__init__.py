"""Protocol templates: reading TOML into protocols, and the catalog of all protocols Kring knows."""
