"""A department's working hours, set by a team lead, decide its requests' due times, what
its queue marks overdue and the lead's overdue alert (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.working_hours import WeekHours
from tests.conftest import KNOWN_PHONE
from tests.helpers import count_rows, rows

# the test day is Friday 27 November 2026, 9:30 in Prague (8:30 UTC)
EVENINGS = WeekHours(("14:00-22:00",) * 5 + ("", ""))


@pytest.fixture
def customer_id(ws):
    return ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id


def department(ws, code):
    return ws.reference.lists().find(ListKind.DEPARTMENT, code)


def set_hours(ws, actor, code, week):
    return ws.reference.save(
        actor, ListKind.DEPARTMENT, replace(department(ws, code), working_hours=week.text())
    )


def fault(customer_id, **changes):
    fields = {"customer_id": customer_id, "category": "technical_fault", "summary": "No signal"}
    return RequestDraft(**{**fields, **changes})


def test_a_lead_sets_a_departments_hours_and_they_are_stored_with_it(ws, lead):
    saved = set_hours(ws, lead, "technical", EVENINGS)
    assert saved.working_hours == EVENINGS.text()
    assert department(ws, "technical").working_hours == EVENINGS.text()
    assert department(ws, "billing").working_hours == ""  # the default week


def test_changing_a_departments_label_keeps_its_hours(ws, lead):
    """The entry's form sends no hours (None): the stored week stays."""
    set_hours(ws, lead, "technical", EVENINGS)
    relabelled = replace(department(ws, "technical"), label="Support", working_hours=None)
    ws.reference.save(lead, ListKind.DEPARTMENT, relabelled)
    kept = department(ws, "technical")
    assert (kept.label, kept.working_hours) == ("Support", EVENINGS.text())


def test_a_departments_csv_without_hours_keeps_them_and_with_hours_sets_them(ws, lead, tmp_path):
    set_hours(ws, lead, "technical", EVENINGS)
    plain = tmp_path / "departments.csv"
    plain.write_text("code,label\ntechnical,Technical support\n", encoding="utf-8")
    ws.reference.import_csv(lead, ListKind.DEPARTMENT, plain)
    assert department(ws, "technical").working_hours == EVENINGS.text()
    weekend = "|||||09:00-13:00|09:00-13:00|holidays"
    with_hours = tmp_path / "with-hours.csv"
    with_hours.write_text(f'code;label;working_hours\nsales;Sales;"{weekend}"\n', "utf-8")
    ws.reference.import_csv(lead, ListKind.DEPARTMENT, with_hours)
    assert department(ws, "sales").working_hours == weekend
    untidy = tmp_path / "untidy.csv"
    untidy.write_text('code,label,working_hours\nsales,Sales,"8:00 - 16:30||||||"\n', "utf-8")
    ws.reference.import_csv(lead, ListKind.DEPARTMENT, untidy)
    assert department(ws, "sales").working_hours == "8:00-16:30||||||"  # stored tidy


def test_bad_hours_are_refused_next_to_the_day_and_nothing_is_stored(ws, lead):
    wrong = WeekHours(("08:00-16:30", "8 to 4", "", "", "", "", ""))
    with pytest.raises(ValidationFailed) as refused:
        set_hours(ws, lead, "technical", wrong)
    assert refused.value.errors == {
        "day1": "Write the hours as 08:00-16:30, or leave the day empty."
    }
    with pytest.raises(ValidationFailed) as never:
        set_hours(ws, lead, "technical", WeekHours(("",) * 7))
    assert never.value.errors == {"week": "At least one day needs working hours."}
    assert department(ws, "technical").working_hours == ""


def test_only_a_team_lead_sets_hours(ws, jana):
    with pytest.raises(PermissionDenied):
        set_hours(ws, jana, "contact_centre", EVENINGS)


def test_the_hours_are_written_through_the_one_write_path(ws, lead):
    before = count_rows(ws, "outbox_op")
    set_hours(ws, lead, "technical", EVENINGS)
    assert count_rows(ws, "outbox_op") > before
    stored = rows(ws, "SELECT working_hours FROM reference_item WHERE code = 'technical'")
    assert stored == [(EVENINGS.text(),)]


def test_a_request_falls_due_in_its_departments_hours(ws, lead, jana, clock, customer_id):
    """Four hours of a technical fault from Friday 9:30: by default at 13:30; in evening
    hours (14:00-22:00) they start at 14:00 and end at 18:00."""
    assert ws.requests.create(jana, fault(customer_id)).due_at == datetime(
        2026, 11, 27, 12, 30, tzinfo=UTC
    )
    set_hours(ws, lead, "technical", EVENINGS)
    evening = ws.requests.create(jana, fault(customer_id))
    assert evening.due_at == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    routed = ws.requests.create(jana, fault(customer_id, department="billing"))
    assert routed.due_at == datetime(2026, 11, 27, 12, 30, tzinfo=UTC)


def test_the_proposed_due_time_follows_the_department(ws, lead, clock):
    set_hours(ws, lead, "technical", EVENINGS)
    lists = ws.reference.lists()
    assert ws.requests.default_due(lists, "technical_fault") == datetime(
        2026, 11, 27, 17, 0, tzinfo=UTC
    )
    assert ws.requests.default_due(lists, "technical_fault", "billing") == datetime(
        2026, 11, 27, 12, 30, tzinfo=UTC
    )
    assert ws.requests.default_due(lists, "no_such_category") is None


def test_overdue_counts_only_working_time_past_due(ws, lead, jana, clock, customer_id):
    """Due on Friday at 16:00 in Prague: overdue at 16:10, and no more minutes pass over
    the weekend; a request due at 16:30 sharp is not overdue until Monday's first minute."""
    late = ws.requests.create(
        jana,
        fault(
            customer_id,
            department="contact_centre",
            due_at=datetime(2026, 11, 27, 15, 0, tzinfo=UTC),
        ),
    )
    sharp = ws.requests.create(
        jana,
        fault(
            customer_id,
            department="contact_centre",
            due_at=datetime(2026, 11, 27, 15, 30, tzinfo=UTC),
        ),
    )
    clock.now = datetime(2026, 11, 27, 15, 10, tzinfo=UTC)
    queue = {r.id: r for r in ws.requests.queue(lead)}
    assert queue[late.id].overdue(clock.now) and not queue[sharp.id].overdue(clock.now)
    assert ws.requests.overdue_count(lead) == 1
    clock.now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Sunday evening
    assert not ws.requests.get(lead, sharp.id).overdue(clock.now)
    assert ws.requests.overdue_count(lead) == 1
    clock.now = datetime(2026, 11, 30, 7, 1, tzinfo=UTC)  # Monday 8:01
    assert ws.requests.get(lead, sharp.id).overdue(clock.now)
    assert ws.requests.overdue_count(lead) == 2


def test_the_lead_is_alerted_to_their_departments_overdue_requests_only(
    ws, lead, jana, clock, customer_id
):
    due = clock.now + timedelta(minutes=30)
    ws.requests.create(jana, fault(customer_id, department="billing", due_at=due))
    ws.requests.create(jana, fault(customer_id, department="contact_centre", due_at=due))
    clock.advance(3600)
    assert lead.department == "contact_centre"
    assert ws.requests.overdue_count(lead) == 1
    assert ws.requests.overdue_count(replace(lead, department="")) == 2  # no department: all
    assert ws.requests.overdue_count(jana) == 0  # operators: their queue marks them
