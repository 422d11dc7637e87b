"""The chat bench's store and nothing more: a lead, the operators who take chats (signed in,
each with room for their share of the visitors), every department open around the clock
(the gateway runs on the real clock), and the gateway's service account with its key file.
Made through the services on a SQLite file, or on a PostgreSQL database of a throwaway
server from the installed binaries (tests/pgserver.py, as the tests start it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text
from tests.pgserver import PostgresServer

from cc_terminal.config import Settings
from cc_terminal.models import ListKind
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import ServiceAccounts
from cc_terminal.services.workstation import open_workstation
from cc_terminal.sync.roles import CHAT_GATEWAY_SCOPE

PASSWORD = "bench-password-1"
ALWAYS = "|".join(["00:00-24:00"] * 7) + "|holidays"
GATEWAY = "chat-gateway"


def operator_name(number: int) -> str:
    return f"op{number:03d}"


def prepare(url: str, folder: Path, operators: int, limit: int) -> Path:
    """Accounts and hours on the store at ``url``; the gateway's key file."""
    key_file = folder / "chat-gateway.pem"
    ws = open_workstation(Settings(db_url=url, data_dir=folder))  # migrates
    try:
        made = ws.auth.create_operator(None, "lead", "Bench Lead", "lead", PASSWORD)
        lead = Actor(made.id, made.username, made.full_name, made.role)
        for department in ws.reference.lists().active(ListKind.DEPARTMENT):
            ws.reference.save(lead, ListKind.DEPARTMENT, replace(department, working_hours=ALWAYS))
        for number in range(operators):
            info = ws.auth.create_operator(
                lead,
                operator_name(number),
                f"Operator {number:03d}",
                "operator",
                PASSWORD,
                must_change=False,
            )
            ws.chats.set_limit(lead, info.id, limit)
            ws.work_clock.begin(Actor(info.id, info.username, info.full_name, info.role))
        ServiceAccounts(ws.db).add(lead, GATEWAY, ",".join(CHAT_GATEWAY_SCOPE), key_file)
    finally:
        ws.close()
    return key_file


@contextmanager
def postgresql_database() -> Iterator[str]:
    """A new database on a throwaway server; its URL."""
    server = PostgresServer.start()
    try:
        engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        engine.dispose()
        yield server.url("bench")
    finally:
        server.stop()


def stored_counts(url: str) -> tuple[int, int, int]:
    """Visitor lines, operator lines, and (conversation, client id) pairs stored twice."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            visitor, operator = (
                connection.execute(
                    text("SELECT count(*) FROM conversation_message WHERE author = :a"), {"a": a}
                ).scalar_one()
                for a in ("visitor", "operator")
            )
            twice = connection.execute(
                text(
                    "SELECT count(*) FROM (SELECT conversation_id, client_id"
                    " FROM conversation_message WHERE client_id <> ''"
                    " GROUP BY conversation_id, client_id HAVING count(*) > 1) AS t"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return int(visitor), int(operator), int(twice)
