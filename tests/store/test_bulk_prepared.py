"""The bulk write path prepared before its transaction (issue 29): an op whose digest was
made up to its clock before the transaction is the op the flush hook signs; a batch whose
numbers the store took in between is checked again in its transaction; a staged write
commits without waiting for the disk and a durable one with it; the shown import's notes
go in bounded steps. SQLite and PostgreSQL where a store is used."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from cc_terminal.folding import words
from cc_terminal.services.outbound import lead_staging
from cc_terminal.services.outbound.lead_store import LeadBatch
from cc_terminal.store.bulk import BulkOps
from cc_terminal.store.outbox import _digest
from cc_terminal.store.signing import digest_with_clock
from tests.outbound.outbound_floor import SALES, set_up_campaigns
from tests.outbound.test_staged_import import counts, lead_file


def test_a_prepared_ops_digest_is_the_one_the_flush_hook_signs():
    dialect = create_engine("sqlite://").dialect
    for actor in (uuid.uuid4(), None):
        bulk = BulkOps(dialect, actor)
        row = {"id": uuid.uuid4(), "customer_id": uuid.uuid4(), "e164": '+420"1\\', "position": 0}
        bulk.insert(SQLModel.metadata.tables["customer_phone"], [row])
        op_id, entity, row_id, kind, changes, _actor, _at, _bases = bulk.ops[0]
        op = {"op_id": uuid.UUID(hex=op_id), "entity": entity, "row_id": row_id, "kind": kind,
              "changes": changes, "actor_id": actor, "at": bulk.at, "hlc": 7_000_001}  # fmt: skip
        assert digest_with_clock(bulk.heads[0], 7_000_001, bulk.changes[0]) == _digest(op)


def test_a_texts_words_are_its_space_free_tokens_words():
    # store.search_index.customer_terms reads a value token by token (remembered)
    texts = ["Jan  Novák", "a\u00a8b c", "x \u0301y", "Straße 5a", "jan.novak42@example.cz"]
    texts += ["Ústí\u00a0nad Labem", "a\u2028b", "ł ø Ø", "\u00bd 1\u20444", "A\tB\nC", "Ω" * 90]
    for value in texts:
        assert {w for token in value.split() for w in words(token)} == set(words(value))


def test_a_number_the_store_took_while_its_batch_was_prepared_is_checked_again(
    ws, lead, tmp_path, monkeypatch
):
    set_up_campaigns(ws, lead)
    prepare = LeadBatch.prepare

    def prepare_then_object(self, connection, to, batch):
        prepare(self, connection, to, batch)
        if batch[0].phone == "+420731200000":  # meanwhile, at another terminal
            ws.consents.record_objection(lead, batch[0].phone, note="")

    monkeypatch.setattr(LeadBatch, "prepare", prepare_then_object)
    report = ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 5)), SALES)
    assert report.added == 4 and [reject.line for reject in report.rejected] == [2]
    with ws.db.connect() as connection:
        stored = connection.execute(text("SELECT phone_e164 FROM lead")).scalars().all()
    assert "+420731200000" not in stored and len(stored) == 4


def test_a_staged_write_commits_without_waiting_for_the_disk_a_durable_one_with_it(ws):
    sqlite = ws.db.engine.dialect.name == "sqlite"
    ask = "PRAGMA synchronous" if sqlite else "SHOW synchronous_commit"
    seen = []
    for durable in (False, True, False, True):
        with ws.db.write(None, durable=durable) as session:
            seen.append(str(session.connection().exec_driver_sql(ask).scalar()))
    assert seen == (["1", "2", "1", "2"] if sqlite else ["off", "on", "off", "on"])
    ws.db.checkpoint()  # SQLite's pages into the file; nothing on a server


def test_a_shown_imports_notes_are_cleared_in_bounded_steps(ws, lead, tmp_path, monkeypatch):
    set_up_campaigns(ws, lead)
    monkeypatch.setattr(lead_staging, "NOTES_AT_ONCE", 7)
    steps = []
    write = ws.db.write

    def counted(actor, durable=True):
        steps.append(actor)
        return write(actor, durable)

    monkeypatch.setattr(ws.db, "write", counted)
    report = ws.leads.import_file(lead, ws.leads.read(lead_file(tmp_path, 20)), SALES)
    assert report.added == 20 and counts(ws)["notes"] == 0
    assert steps.count(None) >= 3  # 20 notes, 7 at a time
