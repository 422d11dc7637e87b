"""A big round's op digests from a helper process (sync/digests_ahead.py): the very
digests the ingest would work out, taken only for the segment they were made from, each
segment read once. With the helper, forged and altered runs are refused as without it
(tests/sync/test_signed_floor.py, ``digests_from``)."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from pathlib import Path

import pytest

from cc_terminal.store import schema
from cc_terminal.sync import digests_ahead
from cc_terminal.sync.digests_ahead import LOOKAHEAD, DigestsAhead
from cc_terminal.sync.floor_record import FloorRecord
from cc_terminal.sync.sealing import open_any
from cc_terminal.sync.segment import GENESIS
from cc_terminal.sync.share import DiskShare
from cc_terminal.sync.verify import document_digest
from tests.sync.forge import forge, op
from tests.sync.kit import Floor


class CountedShare(DiskShare):
    def __init__(self) -> None:
        self.reads: list[Path] = []

    def read(self, path: Path) -> bytes:
        self.reads.append(path)
        return super().read(path)


def _segments(floor: Floor, count: int) -> list[Path]:
    """``count`` one-op segments, each a customer's new note (unsigned), in the floor's
    folder as other terminals' first segments."""
    paths = []
    for number in range(count):
        note = op("customer", uuid.uuid4(), "update", {"notes": f"Poznámka {number}"}, None)
        terminal = forge(floor, [note])
        (written,) = (floor.folder / "terminals" / terminal).iterdir()
        paths.append(written)
    return paths


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    floor.add("t1", seed=True)
    yield floor
    floor.close()


@pytest.fixture
def ahead_of(floor: Floor, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(digests_ahead, "WAIT_SECONDS", 60.0)
    made: list[DigestsAhead] = []

    def make(
        count: int, broken: int | None = None
    ) -> tuple[DigestsAhead, list[Path], CountedShare]:
        assert floor.key is not None
        paths = _segments(floor, count)
        if broken is not None:
            paths[broken].write_bytes(b"not a segment\n")
        share = CountedShare()
        keys = FloorRecord().segment_keys(floor.key)
        made.append(DigestsAhead(share, paths, keys, floor.key.secret))
        return made[-1], paths, share

    yield make
    for helper in made:
        helper.close()


def test_the_helpers_digests_are_the_ops_own_and_each_segment_is_read_once(ahead_of, floor):
    helper, paths, share = ahead_of(LOOKAHEAD + 4)
    keys = FloorRecord().segment_keys(floor.key)
    data = helper.read(paths[0])
    assert share.reads == paths[: LOOKAHEAD + 1]  # the first and the next LOOKAHEAD handed
    assert helper.read(paths[0]) is data and share.reads == paths[: LOOKAHEAD + 1]
    segment = open_any(data, keys, schema.REVISIONS)
    expected = [document_digest(op, floor.key.secret) for op in segment.ops]
    assert helper.digests(paths[0], segment) == expected
    assert helper.digests(paths[0], segment) is None  # taken once
    helper.read(paths[3])
    assert share.reads == paths[: LOOKAHEAD + 4]  # the rest, as far as there are


def test_an_answer_not_in_yet_or_for_other_bytes_or_failed_is_not_taken(
    ahead_of, floor, monkeypatch
):
    helper, paths, _share = ahead_of(3)
    keys = FloorRecord().segment_keys(floor.key)
    first = open_any(helper.read(paths[0]), keys, schema.REVISIONS)
    second = open_any(helper.read(paths[1]), keys, schema.REVISIONS)
    assert helper.digests(paths[1], first) is None  # another segment's answer
    monkeypatch.setattr(digests_ahead, "WAIT_SECONDS", 0.0)
    waiting: Future = Future()
    helper.handed[paths[0]] = (b"", waiting)
    assert helper.digests(paths[0], first) is None  # not in yet: worked out by the ingest
    failed: Future = Future()
    failed.set_exception(ValueError("could not read it"))
    helper.handed[paths[2]] = (b"", failed)
    assert helper.digests(paths[2], second) is None
    assert helper.digests(paths[2], second) is None  # and nothing left behind


def test_bytes_the_helper_cannot_open_leave_the_segment_to_the_ingest(ahead_of, floor):
    helper, paths, _share = ahead_of(2, broken=0)
    keys = FloorRecord().segment_keys(floor.key)
    assert helper.read(paths[0]) == b"not a segment\n"
    good = open_any(helper.read(paths[1]), keys, schema.REVISIONS)
    assert helper.digests(paths[0], good) is None
    assert helper.digests(paths[1], good) == [
        document_digest(op, floor.key.secret) for op in good.ops
    ]


def test_a_file_unreadable_when_handed_is_read_by_the_ingest_and_the_rest_still_handed(
    ahead_of, floor
):
    helper, paths, share = ahead_of(4)
    gone = paths[1]
    gone.rename(gone.with_name("away"))
    helper.read(paths[0])
    assert share.reads == paths  # the missing one tried, the ones after it still handed
    assert set(helper.handed) == {paths[0], paths[2], paths[3]}
    elsewhere = gone.with_name("away")
    assert helper.read(elsewhere) == elsewhere.read_bytes()  # not in the round: read as asked
    assert elsewhere not in helper.handed and share.reads == [*paths, elsewhere]


def test_a_run_with_an_op_that_cannot_be_read_is_unsigned_either_way(floor):
    from cc_terminal.store.keyring import new_key
    from cc_terminal.sync.segment import Run, Segment
    from cc_terminal.sync.verify import proofs
    from tests.sync.forge import signed_run

    key = new_key()
    good = op("customer", uuid.uuid4(), "update", {"notes": "Ano"}, None)
    fields = signed_run(floor, [good, good], key, "signer")
    run = Run(0, 2, fields["run_id"], "signer", fields["public_key"], fields["signature"])
    broken = {key: value for key, value in good.items() if key != "entity"}
    segment = Segment("t", schema.HEAD_REVISION, 1, GENESIS, {}, [good, broken], "", 0.0, 2, (run,))
    why = "its run holds an op that cannot be read as signed"
    assert proofs(segment, floor.key.secret) == [why, why]
    digest = document_digest(good, floor.key.secret)
    assert proofs(segment, floor.key.secret, [digest, None]) == [why, why]
    whole = Segment("t", schema.HEAD_REVISION, 1, GENESIS, {}, [good, good], "", 0.0, 2, (run,))
    assert [proof.signer for proof in proofs(whole, floor.key.secret, [digest, digest])] == [
        "signer",
        "signer",
    ]
    assert proofs(whole, floor.key.secret, [digest, b"x" * 32])[0].startswith("its run's signature")
    version_one = Segment("t", schema.HEAD_REVISION, 1, GENESIS, {}, [good], "", 0.0, 1, ())
    assert proofs(version_one, floor.key.secret) == [None]


def test_an_op_without_an_actor_is_signed_with_null(floor):
    from cc_terminal.store.signing import changes_text, op_digest

    no_actor = op("customer", uuid.uuid4(), "update", {"notes": "Ano"}, None)
    assert no_actor["actor_id"] is None
    expected = op_digest(
        no_actor["op_id"],
        "customer",
        no_actor["row_id"],
        "update",
        changes_text(no_actor["changes"]),
        None,
        no_actor["at"],
        no_actor["hlc"],
    )
    assert document_digest(no_actor, floor.key.secret) == expected
