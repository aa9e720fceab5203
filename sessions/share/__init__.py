"""Sharing a live meeting with the room's own devices (``kring share``), as plain Python: who
may come in (``access``), what waits for the facilitator (``journal``, ``queue``), dot-votes
(``votes``) and what a page may show (``page``, built from ``room_view`` alone). The HTTP
server that carries it is the UI's (``kring.tui.share``)."""
