"""The checks of a justified complaint against an operator, before the quality service
records it: where it came from, its note, and the call (and the request taken in it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Call, ComplaintSource, ServiceRequest
from cc_terminal.services.common.validation import FormErrors


def complaint_fields(form: FormErrors, source: str, department: str, note: str) -> tuple[str, str]:
    """The complaint's department and note, checked with its source into ``form``."""
    if source not in {s.value for s in ComplaintSource}:
        form.add("source", _("From a client or a department."))
    department = form.text("department", department, limits.CODE)
    if source == ComplaintSource.DEPARTMENT.value and not department:
        form.add("department", _("Which department complained?"))
    return department, form.text("note", note, limits.SHORT_NOTE, required=True)


def complaint_request(
    session: Session, form: FormErrors, operator_id: uuid.UUID, call_id: uuid.UUID | None
) -> uuid.UUID | None:
    """The request taken in the complaint's call, if any; another operator's call is an
    error in ``form``."""
    if call_id is None:
        return None
    call = session.get(Call, call_id)
    if call is None or call.operator_id != operator_id:
        form.add("call", _("Not a call of this operator."))
    return session.scalars(
        select(col(ServiceRequest.id)).where(col(ServiceRequest.call_id) == call_id)
    ).first()
