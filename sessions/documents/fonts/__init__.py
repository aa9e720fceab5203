"""The fonts the PDF minutes are set in (``pdf/document.py``) and how they were cut down
(``build.py``, run by hand)."""
