"""The data folder: the Store facade over meetings, drafts, communities, the index and recovery."""
