"""Alembic migrations, run programmatically: no alembic.ini is needed at run time."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from cc_terminal.store.errors import SchemaTooNewError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_compatible(engine: Engine) -> None:
    """Refuse a database whose schema this version of cc-terminal does not know."""
    current = current_revision(engine)
    if current is None:
        return
    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if current not in known:
        raise SchemaTooNewError(
            f"the database schema ({current}) is newer than this cc-terminal knows; "
            "upgrade cc-terminal. The database was not changed."
        )


def upgrade(engine: Engine) -> bool:
    """Migrate to the newest schema; True when anything was applied."""
    check_compatible(engine)
    before = current_revision(engine)
    if before == head_revision():
        return False
    command.upgrade(alembic_config(engine), "head")
    return True
