"""Looking after the data between meetings: follow-up of action points, doctor and purge."""
