"""Schema versions. Checking the version is plain SQL; Alembic is imported only when a
migration must actually run, because importing it costs about 100 ms at every start."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from cc_terminal.i18n import _
from cc_terminal.store.errors import SchemaTooNewError, StoreError

# Every revision in migrations/versions, oldest first, by their files' numbers (a test checks
# them against Alembic's own reading); a new migration is its file alone.
_VERSIONS = Path(__file__).parent / "migrations" / "versions"
REVISIONS = tuple(sorted(path.name[:4] for path in _VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")))
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


def require_head(engine: Engine) -> None:
    """Refuse a database not at this cc-terminal's schema, saying how to bring it there."""
    check_compatible(engine)
    current = current_revision(engine)
    if current != HEAD_REVISION:
        raise StoreError(
            _(
                "the database schema is at {current}; this cc-terminal needs {head}: the "
                "administrator runs 'cc-terminal db upgrade' with the database owner's account"
            ).format(current=current or _("none"), head=HEAD_REVISION)
        )


def upgrade_on_start(engine: Engine) -> bool:
    """A terminal brings its own store up to date when it starts; on a server where its
    account may not change the schema (the application role), it migrates nothing and
    says who must run the upgrade."""
    check_compatible(engine)
    if current_revision(engine) == HEAD_REVISION:
        return False
    if not may_change_schema(engine):
        require_head(engine)
    return upgrade(engine)


_OWNS_SCHEMA = text(
    "SELECT r.rolsuper OR (has_schema_privilege(current_schema(), 'CREATE') AND "
    " coalesce((SELECT pg_get_userbyid(relowner) = current_user FROM pg_class"
    "   WHERE oid = to_regclass('alembic_version')), true))"
    " FROM pg_roles r WHERE r.rolname = current_user"
)


def may_change_schema(engine: Engine) -> bool:
    """SQLite: the file's owner may. PostgreSQL: a superuser, or a role that may create in
    the schema and owns the tables (the owner role of the README's server set-up)."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        return bool(connection.execute(_OWNS_SCHEMA).scalar())


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
