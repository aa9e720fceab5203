"""The facilitator's coach: what the meeting's own data says about its pace (``pacing.py``),
who has spoken (``balance.py``) and what the protocol asks of a phase (``nudges.py``). Plain
functions of a meeting, its entries and a clock reading; shown on the facilitator's screen
only, never on the projector, the phones or in any output."""
