"""What Kring writes for people to read: minutes (Markdown and HTML), the journal, exports and
their file names."""
