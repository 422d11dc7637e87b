"""Floor sync at scale: 100,000 ops from 10 terminals ingested into a local store (beside a
raw insert of the same rows in the same run), and one sync round of a terminal on a floor
of 30 terminals with 50 new ops each. The other terminals' segments are signed (the lead's
key, a run of 2,000 ops each) and sealed here exactly as their publishers would do it; the
ingest verifies them, and the verification alone (open, recompute every op's digest, one
signature per run) is timed over the same segments."""

from __future__ import annotations

import json
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cache import scaled
from cc_terminal.config import Settings
from cc_terminal.services.common.views import CustomerDraft
from cc_terminal.services.floor import trust as floor_trust
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store import hlc, schema, search_index
from cc_terminal.store.ids import ascending_ids
from cc_terminal.store.keyring import public_hex
from cc_terminal.store.signing import sign_run
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.floor import FloorKey, store_key
from cc_terminal.sync.floor_record import FloorRecord
from cc_terminal.sync.sealing import open_any, seal_sealed
from cc_terminal.sync.segment import GENESIS, segment_name
from cc_terminal.sync.share import DiskShare
from cc_terminal.sync.verify import Signed, document_digest, proofs

TERMINALS = 10
OPS_EACH = 10_000
FLOOR = 30
ROUND_OPS = 50
PER_SEGMENT = 2000


PASSWORD = "lead-pass-123"
IdMaker = Callable[[int], list[uuid.UUID]]


@dataclass(frozen=True)
class IngestTimes:
    ingest_seconds: float
    verify_seconds: float
    raw_seconds: float
    raw_indexed_seconds: float


@dataclass(frozen=True)
class SyncTimes:
    imported: IngestTimes  # the customers' and ops' ids ascending, as a lead import makes them
    by_hand: IngestTimes  # random ids, as customers added one at a time get them
    round_seconds: list[float]


@dataclass(frozen=True)
class Signer:
    """The lead whose key signs the other terminals' runs, as their publishers would."""

    key: Any
    account: str

    def run(self, key: FloorKey, ops: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
        digests = [document_digest(op, key.secret) for op in ops]
        fields = {
            "run_id": str(uuid.uuid4()),
            "signer": self.account,
            "public_key": public_hex(self.key),
            "count": len(ops),
            "signature": sign_run(self.key, digests),
        }
        return {0: fields}


def _store(root: Path, name: str, key: FloorKey | None) -> Workstation:
    data_dir = root / name
    if key is not None:
        store_key(data_dir, key)
    ws = open_workstation(
        Settings(db_url=f"sqlite:///{data_dir / 'cc.sqlite3'}", data_dir=data_dir)
    )
    return ws


def _founded(root: Path, name: str, folder: Path) -> tuple[Workstation, Any, FloorKey, Signer]:
    """A terminal whose lead creates the signed floor (``floor create --as lead``)."""
    ws = _store(root, name, None)
    info = ws.auth.create_operator(None, "lead", "Team Lead", "lead", PASSWORD)
    lead = ws.auth.login("lead", PASSWORD)
    key = floor_trust.create(ws, lead, PASSWORD, folder).key
    return ws, info, key, Signer(ws.db.keyring.get(info.id), str(info.id))


def imported_ids(count: int) -> list[uuid.UUID]:
    """Ids as a terminal's lead import gives its new customers and their ops (ascending)."""
    return ascending_ids(count)


def hand_made_ids(count: int) -> list[uuid.UUID]:
    """Ids as customers added one at a time get them (random, version 4)."""
    return [uuid.uuid4() for _ in range(count)]


def _customer_ops(
    lead_id: str, count: int, start_hlc: int, tag: str, ids: IdMaker = imported_ids
) -> list[dict[str, Any]]:
    ops = []
    row_ids, op_ids = ids(count), ids(count)
    for number in range(count):
        row_id = str(row_ids[number])
        changes = {
            "id": row_id,
            "full_name": f"Zákazník {tag} {number}",
            "street": "Dlouhá",
            "house_number": str(number % 200),
            "city": "Praha",
            "postal_code": "110 00",
            "email": "",
            "notes": "",
            "version": 1,
            "created_at": "2026-11-29T08:00:00+00:00",
            "updated_at": "2026-11-29T08:00:00+00:00",
            "do_not_call": False,
        }
        ops.append(
            {
                "op_id": str(op_ids[number]),
                "entity": "customer",
                "row_id": row_id,
                "kind": "insert",
                "changes": changes,
                "bases": {},
                "hlc": start_hlc + number,
                "actor_id": lead_id,
                "at": "2026-11-29T08:00:00+00:00",
                "schema": schema.HEAD_REVISION,
            }
        )
    return ops


def _publish(
    folder: Path,
    key: FloorKey,
    terminal: str,
    ops: list[dict[str, Any]],
    after: dict[str, int],
    signer: Signer,
) -> None:
    share, prev, seq = DiskShare(), GENESIS, 1
    target = folder / "terminals" / terminal
    share.makedirs(target)
    for start in range(0, len(ops), PER_SEGMENT):
        chunk = [
            {**op, "seq": seq + index} for index, op in enumerate(ops[start : start + PER_SEGMENT])
        ]
        data, prev = seal_sealed(
            key.secret,
            terminal=terminal,
            schema=schema.HEAD_REVISION,
            first_seq=seq,
            prev_hash=prev,
            after=after,
            ops=chunk,
            runs=signer.run(key, chunk),
        )
        share.publish(target / segment_name(seq, seq + len(chunk) - 1), data)
        seq += len(chunk)


def measure() -> SyncTimes:
    imported = measure_ingest(imported_ids)
    by_hand = measure_ingest(hand_made_ids)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temp:
        rounds = _floor_round(Path(temp) / "round")
    return SyncTimes(imported, by_hand, rounds)


def measure_ingest(ids: IdMaker) -> IngestTimes:
    """One receiving round of 10 terminals' new customers, their verification alone, and
    the raw insert of the same rows (with and without their search index)."""
    each = scaled(OPS_EACH)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as temp:
        root = Path(temp)
        folder = root / "floor"
        origin, info, key, signer = _founded(root, "origin", folder)
        FloorSync(origin.db, folder, root / "origin").round()
        start = hlc.pack(hlc.wall_millis())
        all_ops = []
        for number in range(TERMINALS):
            ops = _customer_ops(str(info.id), each, start + number * each, f"T{number}", ids)
            _publish(folder, key, str(uuid.uuid4()), ops, {}, signer)
            all_ops.extend(ops)
        verify = _verify_only(folder, key)
        receiver = _store(root, "receiver", key)
        sync = FloorSync(receiver.db, folder, root / "receiver")
        began = time.perf_counter()
        state = sync.round()
        ingest = time.perf_counter() - began
        assert state.applied >= TERMINALS * each and not state.refused, state
        raw, raw_indexed = _raw_insert(root, key, all_ops)
        for ws in (origin, receiver):
            ws.close()
        return IngestTimes(ingest, verify, raw, raw_indexed)


def _verify_only(folder: Path, key: FloorKey) -> float:
    """What verifying every segment costs: decrypt, parse, recompute the op digests,
    one Ed25519 verification per run (the ingest does all of it as it applies)."""
    keys = FloorRecord().segment_keys(key)
    paths = sorted((folder / "terminals").rglob("seg-*"))
    began = time.perf_counter()
    signed = 0
    for path in paths:
        segment = open_any(path.read_bytes(), keys, schema.REVISIONS)
        signed += sum(isinstance(proof, Signed) for proof in proofs(segment, key.secret))
    seconds = time.perf_counter() - began
    assert signed >= TERMINALS * scaled(OPS_EACH), signed
    return seconds


def _raw_insert(root: Path, key: FloorKey, ops: list[dict[str, Any]]) -> tuple[float, float]:
    """The same rows straight into an empty store (one transaction, one executemany), and
    then with their search index built, which every terminal keeps for itself."""
    from cc_terminal.models import Customer
    from cc_terminal.sync.ops import Tables

    ws = _store(root, "raw", key)
    tables = Tables()
    rows = [tables.values("customer", op["changes"]) for op in ops]
    try:
        began = time.perf_counter()
        with ws.db.engine.begin() as connection:
            connection.execute(Customer.__table__.insert(), rows)  # type: ignore[attr-defined]
        bare = time.perf_counter() - began
        with ws.db.engine.begin() as connection:
            search_index.index_customers(
                connection, [(row["id"], search_index.customer_terms(row)) for row in rows]
            )
        return bare, time.perf_counter() - began
    finally:
        ws.close()


def _floor_round(root: Path) -> list[float]:
    """A terminal with 50 changes of its own on a floor where 29 others made 50 each."""
    times = []
    for attempt in range(5):
        base = root / str(attempt)
        folder = base / "floor"
        ws, info, key, signer = _founded(base, "me", folder)
        lead = ws.auth.login("lead", PASSWORD)
        sync = FloorSync(ws.db, folder, base / "me")
        sync.round()
        start = hlc.pack(hlc.wall_millis())
        for number in range(FLOOR - 1):
            ops = _customer_ops(str(info.id), ROUND_OPS, start + number * ROUND_OPS, f"P{number}")
            _publish(folder, key, str(uuid.uuid4()), ops, {sync.terminal: 1}, signer)
        ws.customers.create_many(
            lead,
            [
                CustomerDraft(
                    full_name=f"Můj Zákazník {n}",
                    phones=f"+42077790{n:04d}",
                    street="Krátká",
                    house_number="1",
                    city="Brno",
                    postal_code="602 00",
                )
                for n in range(ROUND_OPS // 2)
            ],
        )
        began = time.perf_counter()
        state = sync.round()
        times.append(time.perf_counter() - began)
        assert state.applied == (FLOOR - 1) * ROUND_OPS, state
        ws.close()
    return times


if __name__ == "__main__":
    print(json.dumps(measure().__dict__, indent=1))
