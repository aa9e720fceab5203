"""``kring share``'s server: the live meeting on the room's phones and laptops, over HTTP on
the room's network. The domain (tokens, queue, votes, what a page may show) is in
``kring.sessions.share``; here are the aiohttp application, its pages and the textual-serve
wrapper that gives a note-taker the meeting screen in a browser."""
