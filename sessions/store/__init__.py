"""The data folder: the Store facade over per-device logs of meetings and communities, the
index, drafts and rescue copies."""
