"""The configurable lists: shipped defaults, lead-only changes, rules across a list."""

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.common.csv_rows import ImportRejected
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.reference import default_lists
from cc_terminal.services.common.views import Choice
from tests.helpers import count_rows


def test_the_shipped_defaults_are_in_a_new_database(ws):
    lists = ws.reference.lists()
    for kind, defaults in default_lists().items():
        assert [c.code for c in lists.active(kind)] == [c.code for c in defaults]
    complaint = lists.find(ListKind.REQUEST_CATEGORY, "complaint")
    assert (complaint.sla_minutes, complaint.department) == (4320, "complaints")


def test_a_lead_adds_renames_and_retires_entries(ws, lead):
    ws.reference.save(lead, ListKind.REFUSAL_REASON, Choice("bad_timing", "Bad timing"))
    ws.reference.save(lead, ListKind.REFUSAL_REASON, Choice("no_trust", "Does not trust us"))
    ws.reference.save(lead, ListKind.REFUSAL_REASON, Choice("not_now", "Not now", active=False))
    lists = ws.reference.lists()
    assert lists.label(ListKind.REFUSAL_REASON, "no_trust") == "Does not trust us"
    assert lists.active(ListKind.REFUSAL_REASON)[-1].code == "bad_timing"
    assert not lists.is_active(ListKind.REFUSAL_REASON, "not_now")
    assert lists.label(ListKind.REFUSAL_REASON, "not_now") == "Not now"  # old records


def test_an_operator_cannot_change_the_lists(ws, jana):
    with pytest.raises(PermissionDenied):
        ws.reference.save(jana, ListKind.CALL_REASON, Choice("x", "X"))


@pytest.mark.parametrize(
    ("kind", "choice", "message"),
    [
        (ListKind.CALL_REASON, Choice("Bad Code", "X"), "Code"),
        (ListKind.CALL_REASON, Choice("ok", ""), "Required"),
        (ListKind.CALL_OUTCOME, Choice("sold", "Sold", key="0"), "key from 1 to 9"),
        (ListKind.CALL_OUTCOME, Choice("sold", "Sold", key="1"), "share the key 1"),
        (
            ListKind.REQUEST_CATEGORY,
            Choice("x", "X", sla_minutes=0, department="billing"),
            "1 minute",
        ),
        (
            ListKind.REQUEST_CATEGORY,
            Choice("x", "X", sla_minutes=60, department="moon"),
            "not a department",
        ),
        (ListKind.DEPARTMENT, Choice("complaints", "Complaints", active=False), "not a department"),
    ],
)
def test_list_rules(ws, lead, kind, choice, message):
    before = count_rows(ws, "reference_item")
    with pytest.raises(ValidationFailed, match=message):
        ws.reference.save(lead, kind, choice)
    assert count_rows(ws, "reference_item") == before


def test_retiring_every_entry_is_refused(ws, lead):
    reasons = ws.reference.lists().active(ListKind.CALL_REASON)
    with pytest.raises(ValidationFailed, match="stay in use"):
        ws.reference.save_many(
            lead, ListKind.CALL_REASON, [Choice(c.code, c.label, active=False) for c in reasons]
        )


def test_csv_import_of_categories_reports_unknown_departments_and_stores_nothing(
    ws, lead, tmp_path
):
    path = tmp_path / "categories.csv"
    path.write_text(
        "code,label,sla_minutes,department\n"
        "outage,Outage,60,technical\n"
        "refund,Refund,2880,treasury\n"
        "late,Late,soon,billing\n"
    )
    before = count_rows(ws, "reference_item")
    with pytest.raises(ImportRejected) as rejected:
        ws.reference.import_csv(lead, ListKind.REQUEST_CATEGORY, path)
    assert [r.line for r in rejected.value.rejected] == [4]  # parse errors come first
    path.write_text(
        "code,label,sla_minutes,department\noutage,Outage,60,technical\nrefund,Refund,2880,treasury\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        ws.reference.import_csv(lead, ListKind.REQUEST_CATEGORY, path)
    assert [r.line for r in rejected.value.rejected] == [3]
    assert "treasury" in rejected.value.rejected[0].reason
    assert count_rows(ws, "reference_item") == before


def test_csv_import_adds_departments_and_categories(ws, lead, tmp_path):
    departments = tmp_path / "departments.csv"
    departments.write_text("code;label\ntreasury;Treasury\n")
    categories = tmp_path / "categories.csv"
    categories.write_text("code;label;sla_minutes;department\nrefund;Refund;2880;treasury\n")
    assert ws.reference.import_csv(lead, ListKind.DEPARTMENT, departments) == 1
    assert ws.reference.import_csv(lead, ListKind.REQUEST_CATEGORY, categories) == 1
    refund = ws.reference.lists().find(ListKind.REQUEST_CATEGORY, "refund")
    assert (refund.sla_minutes, refund.department) == (2880, "treasury")


def test_a_retired_reason_cannot_be_used_on_a_new_call(ws, lead):
    ws.reference.save(lead, ListKind.CALL_REASON, Choice("billing", "Billing", active=False))
    assert not ws.reference.lists().is_active(ListKind.CALL_REASON, "billing")
