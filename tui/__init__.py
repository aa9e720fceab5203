"""The Textual app: screens, widgets, styles and the command line that launches them."""
