"""The bulk write path (issue 29): a lead import's search index is exactly what the per-row
path makes of the same customers, and every change op it wrote is one the flush hook would
write, signed so that its run verifies. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import delete, select, text, update

from cc_terminal.models import Customer, CustomerTerm, OutboxOp, OutboxRun, SearchTerm
from cc_terminal.store import search_index
from cc_terminal.store.outbox import _digest
from cc_terminal.store.signing import run_verifies
from tests.outbound.outbound_floor import SALES, set_up_campaigns

PEOPLE = [
    ("Jiří", "Dvořák", "Praha 4", "jiri.dvorak@example.cz"),
    ("Eva", "Dvořáková", "Brno", ""),
    ("Žofie", "Nováková-Malá", "Ústí nad Labem", "zofie@posta.cz"),
    ("Jan", "Novák", "Praha", ""),  # the seeded Jan Novák's words again
    ("Ondřej", "Šťastný", "České Budějovice", "o.stastny@example.com"),
]


def lead_file(tmp_path: Path, count: int) -> Path:
    lines = ["Jméno;Příjmení;Telefon;Město;E-mail"]
    for number in range(count):
        first, last, town, email = PEOPLE[number % len(PEOPLE)]
        lines.append(f"{first};{last} {number % 7};731 200 {number:03d};{town};{email}")
    path = tmp_path / "leads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def index_of(ws) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Each term's customers (by id) and each term's stored count (terms with any)."""
    with ws.db.connect() as connection:
        pairs = connection.execute(
            select(SearchTerm.term, CustomerTerm.customer_id).join(
                CustomerTerm, CustomerTerm.term_id == SearchTerm.id
            )
        ).all()
        counts = connection.execute(
            select(SearchTerm.term, SearchTerm.customers).where(SearchTerm.customers != 0)
        ).all()
    customers: dict[str, set[str]] = defaultdict(set)
    for term, customer_id in pairs:
        customers[term].add(str(customer_id))
    return dict(customers), dict(counts)


def index_again_row_by_row(ws) -> None:
    """The per-row path: the index emptied, then each customer indexed on its own."""
    with ws.db.write(None) as session:
        connection = session.connection()
        connection.execute(delete(CustomerTerm))
        connection.execute(update(SearchTerm).values(customers=0))
        names = search_index.SEARCHED_NAMES
        rows = connection.execute(select(Customer)).mappings().all()
        for row in rows:
            search_index.index_customer(connection, row["id"], {n: row[n] for n in names})


def import_leads(ws, lead, tmp_path: Path, count: int):
    set_up_campaigns(ws, lead)
    lead_file_read = ws.leads.read(lead_file(tmp_path, count))
    return ws.leads.import_file(lead, lead_file_read, SALES)


def test_the_bulk_index_is_the_per_row_index(ws, lead, tmp_path):
    report = import_leads(ws, lead, tmp_path, 120)
    assert report.added == 120 and report.new_customers == 120
    bulk_customers, bulk_counts = index_of(ws)
    assert bulk_customers["dvorak"] and bulk_counts["dvorak"] == len(bulk_customers["dvorak"])
    index_again_row_by_row(ws)
    assert index_of(ws) == (bulk_customers, bulk_counts)


def test_every_op_of_a_bulk_import_verifies_and_holds_its_row(ws, lead, tmp_path):
    import_leads(ws, lead, tmp_path, 30)
    with ws.db.connect() as connection:
        ops = connection.execute(
            select(OutboxOp).where(OutboxOp.entity == "lead").order_by(OutboxOp.seq)
        ).mappings()
        ops = [dict(op) for op in ops]
        runs = {run.run_id: run for run in connection.execute(select(OutboxRun))}
        stored = {
            str(row.id): row
            for row in connection.execute(text("SELECT id, phone_e164, status FROM lead"))
        }
        run_ops: dict[object, list[dict]] = defaultdict(list)
        for op in connection.execute(select(OutboxOp).order_by(OutboxOp.seq)).mappings():
            run_ops[op["run_id"]].append(dict(op))
    assert len(ops) == 30 and all(op["run_id"] in runs for op in ops)
    for run_id, members in run_ops.items():
        if run_id is None:
            continue
        run = runs[run_id]
        digests = [_digest(op) for op in members]
        assert run.count == len(members) and run_verifies(run.public_key, run.signature, digests)
    hlcs = [op["hlc"] for op in ops]
    assert hlcs == sorted(set(hlcs))
    for op in ops:
        changes = json.loads(op["changes"])
        assert changes["status"] == "open" and changes["id"] == op["row_id"]
        assert list(changes) == sorted(changes)
    assert {op["row_id"].replace("-", "") for op in ops} == {key.replace("-", "") for key in stored}


def test_an_ops_changes_are_what_the_flush_hook_writes():
    import uuid
    from datetime import UTC, datetime

    from sqlmodel import SQLModel

    from cc_terminal.store.bulk import changes_texts
    from cc_terminal.store.outbox import json_value

    table = SQLModel.metadata.tables["consent"]
    row = {
        "id": uuid.uuid4(),
        "phone_e164": "+420731200001",
        "source": "import",
        "given_on": datetime(2026, 11, 27, tzinfo=UTC).date(),
        "recorded_by": None,
        "recorded_at": datetime(2026, 11, 27, 8, 30, 1, 5, tzinfo=UTC),
        "note": 'řádek 2 "leads.csv"',
    }
    columns = sorted(row)
    texts = changes_texts(table, columns, [[row[name]] for name in columns])
    assert texts == [json.dumps(row, ensure_ascii=False, sort_keys=True, default=json_value)]


def test_a_batch_s_changes_are_each_row_s_as_the_flush_hook_writes_them():
    """The template path (a column of one object encoded once per batch): every row the
    same text as ``json.dumps`` of its own dict, a '%' in a shared value and equal values
    of two types (0 and False, one time in two zones) included."""
    import uuid
    from datetime import UTC, datetime, timedelta, timezone

    from sqlmodel import SQLModel

    from cc_terminal.store.bulk import changes_texts
    from cc_terminal.store.outbox import json_value

    table = SQLModel.metadata.tables["lead"]
    at = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
    same_instant = at.astimezone(timezone(timedelta(hours=1)))
    shared = {"status": "open", "extra": '{"sleva": "10 %s %"}', "created_at": at}
    rows = [
        {
            **shared,
            "id": uuid.uuid4(),
            "priority": [0, False][number % 2],
            "updated_at": [at, same_instant][number % 2],
            "phone_e164": f"+42073120{number:04d}",
        }
        for number in range(5)
    ]
    columns = sorted(rows[0])
    texts = changes_texts(table, columns, [[row[name] for row in rows] for name in columns])
    assert texts == [
        json.dumps(row, ensure_ascii=False, sort_keys=True, default=json_value) for row in rows
    ]
