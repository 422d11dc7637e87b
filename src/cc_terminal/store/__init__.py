"""Engine factory, sessions with the outbox, and schema migrations."""
