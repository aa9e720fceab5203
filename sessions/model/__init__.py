"""The things Kring is about, as plain data: protocols, meetings, communities, time, the capture
kinds and the words people read for them."""
