"""Two and three terminals on one floor folder: what one does, the others see."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_terminal.services.common.views import CustomerDraft
from tests.sync.kit import Floor, assert_converged, customer_id_of, edit_customer


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


def test_an_empty_terminal_gets_the_whole_floor(floor: Floor) -> None:
    floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    assert_converged(floor)
    assert t2.ws.customers.lookup_phone("+420601123456").matches
    assert t2.actor("jana").role == "operator"


def test_a_customer_edited_at_one_terminal_shows_at_another(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    jana = t2.actor("jana")
    created = t2.ws.customers.create(
        jana,
        CustomerDraft(
            full_name="Eva Černá",
            phones="+420777123456",
            street="Nová",
            house_number="5",
            city="Plzeň",
            postal_code="301 00",
        ),
    )
    floor.settle()
    assert [hit.id for hit in t1.ws.search.search("cerna")] == [created.id]
    assert_converged(floor)


def test_the_same_field_edited_apart_keeps_the_loser_as_a_conflict_everywhere(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    t3 = floor.add("t3")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, notes="Calls after 5 pm.")
    edit_customer(t2, "petr", customer, notes="Prefers e-mail.")
    floor.settle()
    assert_converged(floor)
    notes = {t.ws.customers.card(customer).notes for t in floor.terminals}
    assert len(notes) == 1
    winner = notes.pop()
    with t3.ws.db.connect() as connection:
        conflicts = connection.exec_driver_sql(
            "SELECT field, value, resolved FROM sync_conflict WHERE entity = 'customer'"
        ).all()
    loser = {"Calls after 5 pm.", "Prefers e-mail."} - {winner}
    assert [(row[0], row[1], row[2]) for row in conflicts] == [("notes", f'"{loser.pop()}"', 0)]


def test_edits_one_after_another_are_no_conflict(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, notes="First.")
    floor.settle()
    edit_customer(t2, "petr", customer, notes="Second.")
    floor.settle()
    assert_converged(floor)
    assert t1.ws.customers.card(customer).notes == "Second."
    with t1.ws.db.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sync_conflict").scalar() == 0


def test_an_edit_against_a_delete_keeps_the_edit_as_a_conflict_on_the_deleted_row(
    floor: Floor,
) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, phones="+420601123456, +420603999888")
    floor.settle()
    # t1 drops the second number while t2, unaware, ... re-orders nothing but edits notes;
    # t2 meanwhile edits the phone row t1 deletes: its position moves
    edit_customer(t1, "jana", customer, phones="+420601123456")
    edit_customer(t2, "petr", customer, phones="+420603999888, +420601123456")
    floor.settle()
    assert_converged(floor)
    with t2.ws.db.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT entity, field, deleted FROM sync_conflict WHERE entity = 'customer_phone'"
        ).all()
    assert ("customer_phone", "position", 1) in [tuple(row) for row in rows]


def test_a_team_lead_resolves_a_conflict_and_it_closes_everywhere(floor: Floor) -> None:
    from cc_terminal.services.common.errors import PermissionDenied
    from cc_terminal.services.floor.conflicts import TAKE, Decision

    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t1, "jana", customer, notes="Calls after 5 pm.")
    edit_customer(t2, "petr", customer, notes="Prefers e-mail.")
    floor.settle()
    with pytest.raises(PermissionDenied):
        t1.ws.conflicts.open(t1.actor("jana"))
    [conflict] = t1.ws.conflicts.open(t1.actor("lead"))
    assert {conflict.current, conflict.losing} == {"Calls after 5 pm.", "Prefers e-mail."}
    assert t2.sync.state().conflicts == 1
    t1.ws.conflicts.resolve(
        t1.actor("lead"), Decision(conflict.entity, conflict.row_id, conflict.field, TAKE)
    )
    floor.settle()
    assert_converged(floor)
    for terminal in floor.terminals:
        assert terminal.ws.customers.card(customer).notes == conflict.losing
        assert terminal.sync.state().conflicts == 0


def test_account_secrets_cross_the_share_only_encrypted(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    t1.sync.snapshot()
    with t1.ws.db.connect() as connection:
        hashes = [h for (h,) in connection.exec_driver_sql("SELECT password_hash FROM operator")]
        in_outbox = connection.exec_driver_sql(
            "SELECT count(*) FROM outbox_op WHERE changes LIKE '%argon2%'"
        ).scalar()
    assert in_outbox == 0
    shared = b"".join(path.read_bytes() for path in floor.folder.rglob("*") if path.is_file())
    for password_hash in hashes:
        assert password_hash.encode() not in shared
    assert b"argon2" not in shared
    # and yet the accounts work at the other terminal
    assert t2.actor("jana").username == "jana"


def test_one_terminal_keeps_a_snapshot_for_those_joining_later(floor: Floor) -> None:
    from cc_terminal.sync.engine import FloorSync
    from cc_terminal.sync.snapshot import snapshots

    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    for terminal in (t1, t2):
        terminal.sync = FloorSync(terminal.ws.db, floor.folder, terminal.data_dir)
    for _round in range(3):
        floor.settle()
    published = snapshots(t1.sync.folder, floor.key)
    assert len(published) == 1  # the first round's terminal made it; none again within 6 h
    assert published[0].terminal in {t1.sync.terminal, t2.sync.terminal}
