"""Checking the signed runs of a sealed segment: which ops which account really signed.

Each run's op digests are recomputed from the ops as they arrived (a sealed secret is
opened and stands as the placeholder of its SHA-256, as it was signed), and the run's one
signature is verified over them: one Ed25519 verification per run, not per op. An op of a
run that fails, or outside every run, is unsigned; whether that is acceptable is the
ingest rule's to say (sync/roles.py), per op.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cc_terminal.i18n import N_, _
from cc_terminal.store.signing import (
    changes_text,
    op_digest,
    run_verifies,
    secret_placeholder,
)
from cc_terminal.sync.secrets import SecretError, any_sealed, is_sealed, open_value
from cc_terminal.sync.segment import Run, Segment

UNSIGNED = N_("not signed")


@dataclass(frozen=True)
class Signed:
    """A verified signature: the account that signed and the key it signed with."""

    signer: str
    public_key: str


Proof = Signed | str | None  # None: a format 1 op (before signing); str: why unsigned


def proofs(segment: Segment, secret: bytes, known: list[bytes | None] | None = None) -> list[Proof]:
    """Per op of the segment, in order: who signed it, or why it counts as unsigned.
    ``known``: the ops' digests already worked out (sync/digests_ahead.py; None for an op
    that cannot be read as signed)."""
    if segment.version == 1:
        return [None] * len(segment.ops)
    found: list[Proof] = [_(UNSIGNED)] * len(segment.ops)
    for run in segment.runs:
        ops = segment.ops[run.first : run.first + run.count]
        digests = None if known is None else known[run.first : run.first + run.count]
        verdict = _verdict(run, ops, secret, digests)
        found[run.first : run.first + run.count] = [verdict] * len(ops)
    return found


def _verdict(
    run: Run, ops: list[dict[str, Any]], secret: bytes, known: list[bytes | None] | None
) -> Proof:
    digests: list[bytes | None]
    try:
        digests = [document_digest(op, secret) for op in ops] if known is None else known
    except (SecretError, KeyError, TypeError, ValueError):
        digests = [None]
    readable = [digest for digest in digests if digest is not None]
    if len(readable) != len(digests):
        return _("its run holds an op that cannot be read as signed")
    if len(readable) != run.count or not run_verifies(run.public_key, run.signature, readable):
        return _("its run's signature does not verify (altered, reordered or incomplete)")
    return Signed(run.signer, run.public_key)


def document_digest(op: dict[str, Any], secret: bytes) -> bytes:
    """The digest of an op as it arrived, in the form its signer signed it."""
    changes = op["changes"]
    if any_sealed(changes.values()):
        changes = {
            name: _as_signed(secret, op, name, value) if is_sealed(value) else value
            for name, value in changes.items()
        }
    actor = op.get("actor_id")
    return op_digest(
        str(op["op_id"]),
        str(op["entity"]),
        str(op["row_id"]),
        str(op["kind"]),
        changes_text(changes),
        None if actor is None else str(actor),
        str(op["at"]),
        int(op["hlc"]),
    )


def _as_signed(secret: bytes, op: dict[str, Any], name: str, value: Any) -> str:
    opened = open_value(secret, str(op["entity"]), str(op["row_id"]), name, value)
    return secret_placeholder(opened)
