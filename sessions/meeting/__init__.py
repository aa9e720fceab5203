"""A meeting being held: the live state machine, its timing, capture parsing, setting a meeting up
and the saves still waiting."""
