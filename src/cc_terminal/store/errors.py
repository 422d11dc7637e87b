"""Store errors carry one clear line for the operator or the CLI."""


class StoreError(Exception):
    """The database cannot be opened or used as asked."""


class StoreUnavailable(StoreError):
    """The server went away (or the local store stayed busy past its timeout): what was
    being saved is not saved; the caller keeps it and tries again later."""


class StoreBusy(StoreUnavailable):
    """Another writer held the store past the busy wait (SQLite's write lock, a deadlock or
    a lock timeout on PostgreSQL): nothing was saved, and trying again soon may succeed."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer cc-terminal; it is left untouched."""
