"""A message left when nobody can chat: it becomes a request to the topic's department
(no topic: a question to the contact centre), for the customer the contact names, or a
new customer made from the form, in one transaction. Its due time is the category's
target counted in the department's working hours, as for a request made on a call."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from cc_terminal import limits
from cc_terminal.customer_fields import FIELD_NAMES
from cc_terminal.data.codes import RequestCategory
from cc_terminal.i18n import N_
from cc_terminal.models import (
    Customer,
    CustomerPhone,
    ListKind,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
)
from cc_terminal.services.channels.contacts import known_customer
from cc_terminal.services.channels.lines import Words
from cc_terminal.services.channels.prechat import CheckedForm
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.reference import ReferenceLists, lists_in
from cc_terminal.services.common.working_hours import WorkingHours, due_at, working_hours
from cc_terminal.services.privacy.erasure import erased_numbers
from cc_terminal.store import search_index

NUMBER_ERASED = N_("This number cannot be used here; give an e-mail address, please.")
MESSAGE_TOO_LONG = N_("Too long: {length} characters, at most {limit}.")
FALLBACK_DUE = timedelta(days=2)
NO_TOPIC = RequestCategory.QUESTION.value


def checked_message(text: str, words: Words) -> str:
    value = text.strip()
    if len(value) > limits.REQUEST_SUMMARY:
        raise ValidationFailed(
            {
                "text": words(MESSAGE_TOO_LONG).format(
                    length=len(value), limit=limits.REQUEST_SUMMARY
                )
            }
        )
    return value


def leave(
    session: Session,
    form: CheckedForm,
    text: str,
    by_id: uuid.UUID,
    now: datetime,
    place: tuple[str, str],
    words: Words,
) -> uuid.UUID:
    """Store the request (and the customer when new); ``place`` is the floor's time zone
    and country, for the department's working hours."""
    customer_id = known_customer(session, form.contact, form.is_phone)
    if customer_id is None:
        customer_id = _new_customer(session, form, words, now)
    lists = lists_in(session)
    category = form.topic or NO_TOPIC
    department = department_of(lists, category)
    request = ServiceRequest(
        customer_id=customer_id,
        category=category,
        department=department,
        summary=text,
        due_at=_due(lists, category, department, now, place),
        created_by=by_id,
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    session.flush()
    session.add(
        RequestEvent(
            request_id=request.id,
            to_status=RequestStatus.OPEN.value,
            department=department,
            actor_id=by_id,
            at=now,
        )
    )
    return request.id


def department_of(lists: ReferenceLists, category: str) -> str:
    """Where a request of the category goes ("" for an unknown category)."""
    choice = lists.find(ListKind.REQUEST_CATEGORY, category)
    return choice.department if choice is not None and choice.department else ""


def hours_of(lists: ReferenceLists, department: str, place: tuple[str, str]) -> WorkingHours:
    """A department's working hours where the floor is (time zone, country)."""
    choice = lists.find(ListKind.DEPARTMENT, department)
    return working_hours((choice.working_hours if choice is not None else "") or "", *place)


def _due(
    lists: ReferenceLists,
    category: str,
    department: str,
    now: datetime,
    place: tuple[str, str],
) -> datetime:
    choice = lists.find(ListKind.REQUEST_CATEGORY, category)
    if choice is None or not choice.sla_minutes:
        return now + FALLBACK_DUE
    hours = hours_of(lists, department, place)
    return due_at(now, choice.sla_minutes, hours) or now + FALLBACK_DUE


def _new_customer(session: Session, form: CheckedForm, words: Words, now: datetime) -> uuid.UUID:
    if form.is_phone and erased_numbers(session, [form.contact]):
        raise ValidationFailed({"contact": words(NUMBER_ERASED)})
    fields: dict[str, Any] = dict.fromkeys(FIELD_NAMES, "")
    fields["full_name"] = form.name
    if not form.is_phone:
        fields["email"] = form.contact
    customer = Customer(**fields, created_at=now, updated_at=now)
    session.add(customer)
    if form.is_phone:
        session.add(CustomerPhone(customer_id=customer.id, e164=form.contact))
    session.flush()
    search_index.index_customer(session.connection(), customer.id, fields)
    return customer.id
