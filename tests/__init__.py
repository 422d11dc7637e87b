"""The tests: a folder per domain, mirroring src/cc_terminal; the helpers beside them (tui for
Pilot, cli_run for the real command, pgserver for a real PostgreSQL server)."""
