"""Store errors carry one clear line for the operator or the CLI."""


class StoreError(Exception):
    """The database cannot be opened or used as asked."""


class SchemaTooNewError(StoreError):
    """The database was migrated by a newer cc-terminal; it is left untouched."""
