"""A database handle: the engine plus transactions that carry the acting user."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from cc_terminal.i18n import _
from cc_terminal.store.db import make_engine, normalise_url
from cc_terminal.store.errors import StoreUnavailable
from cc_terminal.store.keyring import Keyring
from cc_terminal.store.outbox import ACTOR_KEY, KEYRING_OPTION, OutboxSession


@contextmanager
def _unavailable_as_store_error() -> Iterator[None]:
    """A lost server or a store busy past its timeout becomes one clear ``StoreError``
    (nothing was saved), which screens and the CLI report instead of a traceback."""
    try:
        yield
    except OperationalError as error:
        detail = str(error.orig).splitlines()[0] if error.orig else str(error)
        raise StoreUnavailable(
            _(
                "The database cannot be reached or stayed busy ({detail}); nothing was saved."
            ).format(detail=detail)
        ) from error


class Database:
    """Opens sessions; one ``write`` block is one transaction with its outbox ops, signed
    with the acting account's key when it is open in ``keyring`` (store/keyring.py)."""

    def __init__(self, url: str, engine: Engine | None = None) -> None:
        self.url = normalise_url(url)
        self.engine = engine or make_engine(self.url)
        self._sessions = sessionmaker(self.engine, class_=OutboxSession, expire_on_commit=False)
        self.keyring = Keyring()

    @contextmanager
    def write(self, actor_id: uuid.UUID | None) -> Iterator[OutboxSession]:
        with _unavailable_as_store_error(), self._sessions() as session, session.begin():
            session.info[ACTOR_KEY] = actor_id
            session.connection(execution_options={"cc_write": True, KEYRING_OPTION: self.keyring})
            yield session

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A plain connection for read-only Core queries; whatever it began is rolled back."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[OutboxSession]:
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
