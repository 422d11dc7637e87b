"""The audit trail on both stores: what is written for imports, exports, sign-out and
views of a customer; a team lead's filters; the export (0600, formulas neutralised, one
clear refusal for a path that cannot be written, audited)."""

from datetime import date, timedelta

import pytest

from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file
from cc_terminal.services.common.csv_rows import ImportRejected
from cc_terminal.services.common.errors import ExportFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.audit_trail import AuditFilter
from cc_terminal.services.workstation import Workstation
from cc_terminal.store.errors import StoreBusy
from tests.conftest import KNOWN_PHONE


def kinds(ws: Workstation, lead: Actor, **wanted: object) -> list[tuple[str, str, str, str]]:
    entries = ws.audit.events(lead, AuditFilter(**wanted))  # type: ignore[arg-type]
    return [(e.who, e.kind, e.subject, e.detail) for e in entries if e.kind != "audit.viewed"]


def test_an_import_is_audited_with_its_rows_and_a_refused_file_too(ws, lead, tmp_path):
    good = tmp_path / "catalogue.csv"
    good.write_text(
        "code,name,kind,price,valid_from\n"
        "X-1,Router,product,10,2026-01-01\nX-2,Cable,product,1,2026-01-01\n"
    )
    ws.catalog.import_csv(lead, good)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind,price,valid_from\nX-3,Router,product,Infinity,2026-01-01\n")
    with pytest.raises(ImportRejected):
        ws.catalog.import_csv(lead, bad)
    imports = kinds(ws, lead, group="import")
    assert [(who, kind, subject) for who, kind, subject, _detail in imports] == [
        ("lead", "import", "catalogue"),
        ("lead", "import", "catalogue"),
    ]
    assert imports[0][3].startswith("bad.csv: refused")
    assert imports[1][3] == "catalogue.csv: 2 rows"


def test_the_export_is_private_neutralises_formulas_and_is_itself_audited(ws, lead, tmp_path):
    ws.audit.record(lead, "config.test", '=HYPERLINK("x")', "@SUM(1)")
    target = tmp_path / "audit.csv"
    written = ws.audit.export(lead, target, AuditFilter())
    assert written >= 2 and target.stat().st_mode & 0o777 == 0o600
    text = target.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    assert ("lead", "export", "audit trail") in [k[:3] for k in kinds(ws, lead, group="export")]


def test_an_export_to_a_path_that_cannot_be_written_is_refused_and_audited(ws, lead, tmp_path):
    with pytest.raises(ExportFailed) as failed:
        ws.audit.export(lead, tmp_path / "missing" / "audit.csv", AuditFilter())
    assert "Cannot write" in str(failed.value)
    ((who, kind, subject, detail),) = kinds(ws, lead, group="export")
    assert (who, kind, subject) == ("lead", "export", "audit trail")
    assert detail.startswith("audit.csv: failed")


def test_a_file_the_busy_store_stops_is_audited_and_its_error_kept(ws, lead, tmp_path):
    busy = StoreBusy("The database stayed busy; nothing was saved.")
    where = tmp_path / "r.csv"
    with (
        pytest.raises(StoreBusy) as raised,
        audited_file(ws.db, lead, AuditKind.IMPORT, "list reasons", where),
    ):
        raise busy
    assert raised.value is busy
    ((who, kind, subject, detail),) = kinds(ws, lead, group="import")
    assert (who, kind, subject) == ("lead", "import", "list reasons")
    assert detail == "r.csv: failed (The database stayed busy; nothing was saved.)"


def test_filters_by_group_person_day_and_record(ws, lead, jana, petr):
    ws.audit.record(jana, "customer.viewed", "c-1", "call")
    ws.audit.record(petr, "customer.viewed", "c-2", "call")
    ws.work_clock.end(jana)
    assert [k[:3] for k in kinds(ws, lead, group="customer")] == [
        ("petr", "customer.viewed", "c-2"),
        ("jana", "customer.viewed", "c-1"),
    ]
    assert [k[1] for k in kinds(ws, lead, who="jana")][:2] == ["logout", "customer.viewed"]
    assert [k[2] for k in kinds(ws, lead, subject="c-2")] == ["c-2"]
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    ws.audit.record(jana, "customer.viewed", str(customer.id), "call")
    part = customer.full_name.split()[-1][1:4].upper()  # a part of the surname, any case
    ((about,),) = {(e.about,) for e in ws.audit.events(lead, AuditFilter(subject=part))}
    assert about == customer.full_name
    tomorrow = date.today() + timedelta(days=2)
    assert kinds(ws, lead, since=tomorrow) == []


def test_reading_the_trail_is_audited_and_holds_no_personal_data(ws, lead):
    ws.audit.events(lead, AuditFilter(who="jana"))
    (read,) = [e for e in ws.audit.events(lead, AuditFilter()) if e.kind == "audit.viewed"][:1]
    assert read.who == "lead" and read.detail == "who=jana"
    every = " ".join(f"{e.subject} {e.detail}" for e in ws.audit.events(lead, AuditFilter()))
    assert "Svobodová" not in every and "+420" not in every


def test_a_team_leads_configuration_changes_are_audited(ws, lead):
    from cc_terminal.models.reference import ListKind
    from cc_terminal.services.calls.catalog import ProductItem
    from cc_terminal.services.common.views import Choice

    item = ProductItem("ROUTER-Z", "Router Z", "product", 99900, "CZK", date(2026, 1, 1), None)
    ws.catalog.save(lead, item)
    ws.reference.save(lead, ListKind.CALL_REASON, Choice("moving", "Moving house"))
    ws.days_off.set_rules(lead, 3, "12:00", 2, 5, 6)
    changes = [(kind, subject) for _who, kind, subject, _detail in kinds(ws, lead, group="config")]
    assert sorted(changes) == [
        ("config.catalogue", "ROUTER-Z"),
        ("config.lists", "call_reason"),
        ("config.planning", ""),
    ]
