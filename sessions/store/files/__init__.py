"""Files on disk: atomic writes, the JSON envelope every file wears, and locks between processes."""
