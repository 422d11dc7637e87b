"""The rules for adding an account: what its typed fields must be, who may add it, and that
its user name and department fit the store (the first account of a store is a lead's)."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import ListKind, Operator, Role
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.reference import lists_in
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor

USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")


def checked_fields(
    username: str, full_name: str, role: str, password: str, department: str
) -> tuple[str, str, str]:
    """The user name, full name and department as stored; raises ValidationFailed with
    every problem of the typed fields at once."""
    form = FormErrors()
    username = username.strip().lower()
    if not USERNAME.match(username):
        form.add("username", _("2 to 40 characters: small letters, digits, . _ -; a letter first."))
    full_name = form.text("full_name", full_name, limits.FULL_NAME, required=True)
    if role not in {r.value for r in Role}:
        form.add("role", _("Role must be operator or lead."))
    if not limits.MIN_PASSWORD <= len(password) <= limits.PASSWORD:
        form.add("password", _("At least {n} characters.").format(n=limits.MIN_PASSWORD))
    department = form.text("department", department, limits.CODE, required=True)
    form.raise_if_any()
    return username, full_name, department


def check_may_add(
    session: Session, actor: Actor | None, role: str, username: str, department: str
) -> None:
    """A lead adds accounts (with none yet, the first is a lead's own), in a department in
    use, under a user name not taken."""
    _check_may_create(session, actor, role)
    form = FormErrors()
    if not lists_in(session).is_active(ListKind.DEPARTMENT, department):
        form.add("department", _("No such department: {code}.").format(code=department))
    if operator_named(session, username) is not None:
        form.add("username", _("That user name is taken."))
    form.raise_if_any()


def _check_may_create(session: Session, actor: Actor | None, role: str) -> None:
    if actor is not None:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead adds accounts."))
        return
    if session.scalar(select(func.count()).select_from(Operator)):
        raise PermissionDenied(_("Accounts exist already; a team lead must add this one."))
    if role != Role.LEAD.value:
        raise PermissionDenied(_("The first account must be a team lead."))


def operator_named(session: Session, username: str) -> Operator | None:
    return session.scalars(select(Operator).where(col(Operator.username) == username)).first()
