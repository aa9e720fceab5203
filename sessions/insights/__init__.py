"""A community's learning over time: action follow-through, time per phase, speaking balance,
evaluation scores, recurring themes and the case-bringers' rotation, over a range of meetings.

``model.py`` holds what the insights are, ``gather.py`` makes them from the index's digests
(consent and groups of at least three decide what is shown about people), ``themes.py``
reads the key phrases, ``html.py`` writes the self-contained report.
"""
