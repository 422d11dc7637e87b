"""Segments made by hand, as someone holding the floor key (every terminal holds it) could
make them: sealed with the real code, in a terminal folder of their own, optionally signed
with a key they hold."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from cc_terminal.store import hlc, schema
from cc_terminal.store.keyring import public_hex
from cc_terminal.store.signing import sign_run
from cc_terminal.sync.sealing import seal_sealed
from cc_terminal.sync.secrets import seal_value
from cc_terminal.sync.segment import GENESIS, segment_name
from cc_terminal.sync.share import DiskShare
from cc_terminal.sync.verify import document_digest

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tests.sync.kit import Floor


def op(
    entity: str,
    row_id: object,
    kind: str,
    changes: dict[str, Any],
    actor: object | None,
    at_hlc: int | None = None,
) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "entity": entity,
        "row_id": str(row_id),
        "kind": kind,
        "changes": changes,
        "bases": {},
        "hlc": at_hlc or hlc.pack(hlc.wall_millis() + 1000),
        "actor_id": None if actor is None else str(actor),
        "at": "2026-11-29T08:00:00+00:00",
        "schema": schema.HEAD_REVISION,
    }


def sealed_secret(floor: Floor, entity: str, row_id: object, field: str, value: str) -> Any:
    assert floor.key is not None
    return seal_value(floor.key.secret, entity, str(row_id), field, value)


def signed_run(
    floor: Floor, ops: list[dict[str, Any]], key: Ed25519PrivateKey, signer: object
) -> dict[str, Any]:
    """The run line a signer's terminal would write for ``ops``."""
    assert floor.key is not None
    digests = [document_digest(item, floor.key.secret) for item in ops]
    return {
        "run_id": str(uuid.uuid4()),
        "signer": str(signer),
        "public_key": public_hex(key),
        "count": len(ops),
        "signature": sign_run(key, digests),
    }


def forge(
    floor: Floor,
    ops: list[dict[str, Any]],
    runs: dict[int, dict[str, Any]] | None = None,
    terminal: str | None = None,
) -> str:
    """Publish ``ops`` as the first segment of a terminal folder (a new one by default)."""
    assert floor.key is not None
    terminal = terminal or str(uuid.uuid4())
    numbered = [{**item, "seq": number} for number, item in enumerate(ops, start=1)]
    data, _last = seal_sealed(
        floor.key.secret,
        terminal=terminal,
        schema=schema.HEAD_REVISION,
        first_seq=1,
        prev_hash=GENESIS,
        after={},
        ops=numbered,
        runs=runs or {},
    )
    share = DiskShare()
    folder = floor.folder / "terminals" / terminal
    share.makedirs(folder)
    share.publish(folder / segment_name(1, len(numbered)), data)
    return terminal
