"""Tests of the store: the engine and sessions, the outbox, append-only facts in every mode, a
busy SQLite file, schema versions."""
