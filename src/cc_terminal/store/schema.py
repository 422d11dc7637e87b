"""Schema versions. Checking the version is plain SQL; Alembic is imported only when a
migration must actually run, because importing it costs about 100 ms at every start."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from cc_terminal.i18n import _
from cc_terminal.store.errors import SchemaTooNewError, StoreError

# Every revision in migrations/versions, oldest first; a test checks it against Alembic.
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
    "0016",
)
HEAD_REVISION = REVISIONS[-1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_compatible(engine: Engine) -> None:
    """Refuse a database whose schema this version of cc-terminal does not know."""
    current = current_revision(engine)
    if current is not None and current not in REVISIONS:
        raise SchemaTooNewError(
            _(
                "the database schema ({current}) is newer than this cc-terminal knows; "
                "upgrade cc-terminal. The database was not changed."
            ).format(current=current)
        )


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest schema; True when anything was applied."""
    check_compatible(engine)
    if current_revision(engine) == HEAD_REVISION:
        return False
    from cc_terminal.store import migrate

    migrate.upgrade(engine)
    return True


def check_server(engine: Engine) -> None:
    """A server's database is shared by every terminal of the floor: one that starts
    never migrates it under the others (an empty one is set up, nothing runs on it yet).
    A schema older than this cc-terminal's is refused, saying to run the upgrade."""
    check_compatible(engine)
    current = current_revision(engine)
    if current is not None and current != HEAD_REVISION:
        raise StoreError(
            _(
                "the database schema is at {current}, older than this cc-terminal ({head}) "
                "needs: run 'cc-terminal db upgrade' once (the administrator, with the "
                "database owner's account), then start the terminals again. The database "
                "was not changed."
            ).format(current=current, head=HEAD_REVISION)
        )
