"""A floor of real terminals in one test: each with its own SQLite file and data folder,
all syncing through one real folder on disk (optionally behind a fault-injecting layer)."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cc_terminal.config import Settings
from cc_terminal.services.common.views import Actor, CustomerDraft
from cc_terminal.services.floor import trust as floor_trust
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.sync.engine import FloorSync, SyncState
from cc_terminal.sync.floor import FLOOR_FILE, FORMAT, FloorKey, make_floor_folder, store_key
from cc_terminal.sync.floor import new_key as new_floor_key
from cc_terminal.sync.ops import Tables
from cc_terminal.sync.share import ShareFiles
from tests.conftest import PASSWORDS, seed_floor

# Local to each terminal or rebuilt from the rows: never compared.
NOT_COMPARED: set[str] = set()
# Each terminal audits the ops it refused, the files it set aside and the cut trails it
# noticed: its own events.
LOCAL_ROWS = {"audit_event": " WHERE kind NOT IN ('sync.refused', 'sync.quarantined', 'audit.cut')"}


@dataclass
class Terminal:
    name: str
    data_dir: Path
    ws: Workstation
    sync: FloorSync
    actors: dict[str, Actor] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "cc-terminal.sqlite3"

    def round(self) -> SyncState:
        return self.sync.round()

    def actor(self, username: str) -> Actor:
        if username not in self.actors:
            self.actors[username] = self.ws.auth.login(username, PASSWORDS[username])
        return self.actors[username]

    def close(self) -> None:
        self.ws.close()


class Floor:
    """``Floor(tmp_path).add("t1", seed=True)`` then more terminals that start empty. The
    first (seeded) terminal's lead creates the signed floor, as ``floor create`` does;
    ``signed=False`` makes a floor as versions before signing did."""

    def __init__(self, root: Path, signed: bool = True) -> None:
        self.root = root
        self.folder = root / "share" / "floor"
        self.terminals: list[Terminal] = []
        self.key: FloorKey | None = None if signed else plain_floor(self.folder)
        self.recovery = ""

    def add(self, name: str, seed: bool = False, files: ShareFiles | None = None) -> Terminal:
        data_dir = self.root / name
        if self.key is not None:
            store_key(data_dir, self.key)
        new_store(data_dir / "cc-terminal.sqlite3")
        ws = open_workstation(
            Settings(db_url=f"sqlite:///{data_dir / 'cc-terminal.sqlite3'}", data_dir=data_dir)
        )
        if seed:
            seed_floor(ws)
        if self.key is None:
            lead = ws.auth.login("lead", PASSWORDS["lead"])
            made = floor_trust.create(ws, lead, PASSWORDS["lead"], self.folder)
            self.key, self.recovery = made.key, made.recovery
        terminal = Terminal(
            name,
            data_dir,
            ws,
            FloorSync(ws.db, self.folder, data_dir, files=files, auto_snapshot=False),
        )
        self.terminals.append(terminal)
        return terminal

    def add_existing(self, name: str, files: ShareFiles | None = None) -> Terminal:
        """A terminal on a data folder already there (a copied disk, a restored store)."""
        data_dir = self.root / name
        ws = open_workstation(
            Settings(db_url=f"sqlite:///{data_dir / 'cc-terminal.sqlite3'}", data_dir=data_dir)
        )
        terminal = Terminal(
            name,
            data_dir,
            ws,
            FloorSync(ws.db, self.folder, data_dir, files=files, auto_snapshot=False),
        )
        self.terminals.append(terminal)
        return terminal

    def add_restored(self, name: str) -> Terminal:
        """A terminal whose store is gone: it starts from the floor's newest snapshot, as
        the workstation does at start in floor mode."""
        data_dir = self.root / name
        assert self.key is not None
        store_key(data_dir, self.key)
        settings = Settings(
            db_url=f"sqlite:///{data_dir / 'cc-terminal.sqlite3'}",
            data_dir=data_dir,
            sync_dir=self.folder,
        )
        ws = open_workstation(settings)
        assert ws.floor is not None
        terminal = Terminal(name, data_dir, ws, ws.floor)
        self.terminals.append(terminal)
        return terminal

    def reopen(self, terminal: Terminal, files: ShareFiles | None = None) -> Terminal:
        terminal.close()
        self.terminals.remove(terminal)
        ws = open_workstation(
            Settings(db_url=f"sqlite:///{terminal.db_path}", data_dir=terminal.data_dir)
        )
        again = Terminal(
            terminal.name,
            terminal.data_dir,
            ws,
            FloorSync(ws.db, self.folder, terminal.data_dir, files=files, auto_snapshot=False),
        )
        self.terminals.append(again)
        return again

    def rejoin(self, terminal: Terminal) -> Terminal:
        """``floor join`` with the floor's (new) key, then the terminal as it restarts."""
        assert self.key is not None
        store_key(terminal.data_dir, self.key)
        return self.reopen(terminal)

    def settle(self, rounds: int = 6) -> None:
        """Sync every terminal until nothing moves (twice over, for causal waits)."""
        for _ in range(rounds):
            states = [terminal.round() for terminal in self.terminals]
            if all(not (s.pending or s.waiting or s.applied or s.published) for s in states):
                return

    def close(self) -> None:
        for terminal in self.terminals:
            terminal.close()


@functools.cache
def _migrated_store() -> Path:
    """An empty store at the newest schema, made once per test process: migrating a new
    file through every revision is most of what opening a new terminal costs, and the
    result is the same file every time (the shipped lists have fixed ids)."""
    folder = Path(tempfile.mkdtemp(prefix="cc-schema-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "cc-terminal.sqlite3"
    open_workstation(Settings(db_url=f"sqlite:///{path}", data_dir=folder)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def new_store(path: Path) -> None:
    """A new terminal's store, as the workstation would make it at its first start."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copyfile(_migrated_store(), path)
    path.chmod(0o600)


def plain_floor(folder: Path) -> FloorKey:
    """A floor folder as versions before signing made it (format 1, no anchors)."""
    make_floor_folder(folder)
    key = new_floor_key()
    document = {"format": FORMAT, "version": 1, "floor_id": key.floor_id}
    document["check"] = key.check_value()
    (folder / FLOOR_FILE).write_text(json.dumps(document))
    return key


def two_terminals(floor: Floor) -> tuple[Terminal, Terminal]:
    """t1 (seeded, its lead made the floor) and t2, settled."""
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    return t1, t2


def new_customer(terminal: Terminal, name: str, phone: str) -> None:
    terminal.ws.customers.create(
        terminal.actor("jana"),
        CustomerDraft(
            full_name=name,
            phones=phone,
            street="Nová",
            house_number="1",
            city="Praha",
            postal_code="110 00",
        ),
    )


def customer_count(terminal: Terminal) -> int:
    with terminal.ws.db.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM customer").scalar() or 0)


def customer_id_of(terminal: Terminal, phone: str = "+420601123456") -> uuid.UUID:
    return terminal.ws.customers.lookup_phone(phone).matches[0].id


def edit_customer(terminal: Terminal, username: str, customer_id: uuid.UUID, **fields: str) -> Any:
    """Change some of a customer's fields at one terminal, as its card's form would: the
    draft names only what was changed."""
    card = terminal.ws.customers.card(customer_id)
    draft = CustomerDraft(**fields)
    return terminal.ws.customers.update(terminal.actor(username), customer_id, draft, card.version)


def notes_conflict(
    floor: Floor, between: Callable[[], None] = lambda: None
) -> tuple[Terminal, uuid.UUID]:
    """Two terminals that edited one customer's notes apart: t1 (seeded) and its customer."""
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, notes="Calls after 5 pm.")
    between()
    edit_customer(t2, "petr", customer, notes="Prefers e-mail.")
    floor.settle()
    return t1, customer


def floor_settings(floor: Floor, terminal: Terminal) -> Settings:
    """The workstation's settings for a terminal of the floor, as it starts every day."""
    return Settings(
        db_url=f"sqlite:///{terminal.db_path}",
        data_dir=terminal.data_dir,
        sync_dir=floor.folder,
        cursor_blink=False,
    )


def canonical(path: Path) -> dict[str, Any]:
    """Every synced table's rows and the open conflicts, ordered, as plain values."""
    connection = sqlite3.connect(path)
    try:
        dump: dict[str, Any] = {}
        for name in sorted(Tables().tables):
            if name in NOT_COMPARED or name == "outbox_op":
                continue
            cursor = connection.execute(f'SELECT * FROM "{name}"' + LOCAL_ROWS.get(name, ""))
            columns = [column[0] for column in cursor.description]
            dump[name] = sorted(
                json.dumps(dict(zip(columns, row, strict=True)), default=str, sort_keys=True)
                for row in cursor
            )
        cursor = connection.execute(
            "SELECT entity, row_id, field, loser_op_id, value, hlc, terminal, deleted, resolved"
            " FROM sync_conflict ORDER BY entity, row_id, field"
        )
        dump["conflicts"] = [list(row) for row in cursor]
        return dump
    finally:
        connection.close()


def integrity(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def assert_converged(floor: Floor) -> None:
    dumps = [canonical(terminal.db_path) for terminal in floor.terminals]
    for terminal, dump in zip(floor.terminals[1:], dumps[1:], strict=True):
        for table in dumps[0]:
            assert dump[table] == dumps[0][table], f"{terminal.name} differs in {table}"
    for terminal in floor.terminals:
        assert integrity(terminal.db_path) == "ok"
