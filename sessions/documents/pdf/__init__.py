"""The minutes as A4 PDF: the whole minutes (``minutes.py``, from their Markdown) and a one-page
handout (``handout.py``). fpdf2 is imported by these modules alone, so nothing else pays for
it (``kring`` starts without it)."""
