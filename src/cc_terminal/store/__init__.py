"""The store: the engine and sessions with the outbox (the one write path), schema
migrations, the audit chain, the customer search index kept in step with every write (by
the services and by sync alike), and the dialect helpers. It may use the models, never the
services or sync."""
