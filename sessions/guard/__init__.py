"""The privacy guard: names and numbers nobody protected, spotted before they leave the meeting.

Protection works when someone thought of it (a meeting's protected names become "Pupil A"
everywhere). The guard is for the name nobody thought of: "Sanne's father called" typed in a
hurry. It spots likely names of people, places and institutions, dates of birth, phone
numbers, e-mail addresses and BSN numbers in what a meeting holds, and leaves out what is
known: the participants, the names already protected, the words the community dismissed.

- ``kinds.py``    — what it can find: one row per kind (label, what to do about it)
- ``spotting.py`` — what was found in one text (``Span``), and what of it is known
- ``engine.py``   — the spotter: deduce, the Dutch de-identification library, loaded from a
                    cache in the state folder (built the first time: minutes)
- ``cache.py``    — where that cache lives and how it is built, once, atomically
- ``meeting.py``  — the findings of a whole meeting: entries, case, focus question
"""
