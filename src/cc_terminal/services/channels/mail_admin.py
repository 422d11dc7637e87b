"""The team lead's mailboxes: the form checked field by field, the passwords sealed to the
mail loop's key (mail_secrets.py), the list as plain views."""

from __future__ import annotations

import uuid
from email.utils import parseaddr

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Mailbox, MailKey
from cc_terminal.models.mail import HOST, Security
from cc_terminal.services.channels import mail_secrets
from cc_terminal.services.channels.mail_views import MailboxForm, MailboxView
from cc_terminal.services.common.errors import NotFound, ValidationFailed

SECURITIES = tuple(item.value for item in Security)
PASSWORD_FIELDS = ("imap_password", "smtp_password")
MAX_AUTO_REPLIES = 100


def view(box: Mailbox) -> MailboxView:
    return MailboxView(
        id=box.id,
        name=box.name,
        department=box.department,
        imap_host=box.imap_host,
        imap_port=box.imap_port,
        imap_security=box.imap_security,
        imap_user=box.imap_user,
        imap_folder=box.imap_folder,
        smtp_host=box.smtp_host,
        smtp_port=box.smtp_port,
        smtp_security=box.smtp_security,
        smtp_user=box.smtp_user,
        from_address=box.from_address,
        from_name=box.from_name,
        acknowledge=box.acknowledge,
        auto_replies_per_day=box.auto_replies_per_day,
        active=box.active,
        has_imap_password=bool(box.imap_password_sealed),
        has_smtp_password=bool(box.smtp_password_sealed),
        last_fetch_at=box.last_fetch_at,
        last_error=box.last_error,
    )


def listed(session: Session) -> tuple[MailboxView, ...]:
    boxes = session.scalars(select(Mailbox).order_by(col(Mailbox.name)))
    return tuple(view(box) for box in boxes)


def get(session: Session, mailbox_id: uuid.UUID) -> Mailbox:
    found = session.get(Mailbox, mailbox_id)
    if found is None:
        raise NotFound(_("No such mailbox."))
    return found


def loop_public_key(session: Session) -> str:
    found = session.get(MailKey, 1)
    return "" if found is None else found.public_key


def context(mailbox_id: uuid.UUID, field: str) -> str:
    return f"mailbox/{mailbox_id}/{field}"


def save(session: Session, form: MailboxForm) -> uuid.UUID:
    """Check the whole form (every wrong field said at once), then write it."""
    errors, numbers = _checked(session, form)
    public = loop_public_key(session)
    if not public and any(getattr(form, name) for name in PASSWORD_FIELDS):
        errors.setdefault(
            "imap_password",
            _(
                "The mail loop has not started yet: start cc-terminal mail serve once, "
                "then type the password again."
            ),
        )
    if errors:
        raise ValidationFailed(errors)
    box = get(session, form.id) if form.id else Mailbox(name=form.name.strip())
    _fill(box, form, numbers)
    for field in PASSWORD_FIELDS:
        typed = getattr(form, field)
        if typed:
            sealed = mail_secrets.seal(public, context(box.id, field), typed)
            setattr(box, f"{field}_sealed", sealed)
    if form.id:
        box.version += 1
    session.add(box)
    session.flush()
    return box.id


def _fill(box: Mailbox, form: MailboxForm, numbers: dict[str, int]) -> None:
    box.name = form.name.strip()
    box.department = form.department.strip()
    for field in ("imap_host", "imap_user", "imap_folder", "smtp_host", "smtp_user"):
        setattr(box, field, getattr(form, field).strip())
    box.imap_security, box.smtp_security = form.imap_security, form.smtp_security
    box.imap_port, box.smtp_port = numbers["imap_port"], numbers["smtp_port"]
    box.auto_replies_per_day = numbers["auto_replies_per_day"]
    box.from_address = form.from_address.strip().lower()
    box.from_name = form.from_name.strip()
    box.acknowledge, box.active = form.acknowledge, form.active


def _checked(session: Session, form: MailboxForm) -> tuple[dict[str, str], dict[str, int]]:
    errors: dict[str, str] = {}
    name = form.name.strip()
    if not name:
        errors["name"] = _("Name the mailbox.")
    elif len(name) > limits.CODE:
        errors["name"] = _("At most {n} characters.").format(n=limits.CODE)
    else:
        same = session.scalars(select(Mailbox).where(col(Mailbox.name) == name)).first()
        if same is not None and same.id != form.id:
            errors["name"] = _("Another mailbox has this name.")
    for field in ("imap_host", "smtp_host"):
        host = getattr(form, field).strip()
        if not host or len(host) > HOST or any(c.isspace() for c in host):
            errors[field] = _("Type the server's name, like imap.example.cz.")
    for field in ("imap_security", "smtp_security"):
        if getattr(form, field) not in SECURITIES:
            errors[field] = _("Choose ssl, starttls or none.")
    if not form.imap_user.strip():
        errors["imap_user"] = _("Type the mailbox's user name.")
    address = parseaddr(form.from_address.strip())[1]
    if "@" not in address or address != form.from_address.strip() or len(address) > limits.EMAIL:
        errors["from_address"] = _("Type an e-mail address, like podpora@example.cz.")
    if len(form.from_name) > limits.FULL_NAME or len(form.department) > limits.CODE:
        errors["from_name" if len(form.from_name) > limits.FULL_NAME else "department"] = _(
            "Too long."
        )
    if not form.id and not form.imap_password:
        errors["imap_password"] = _("Type the mailbox's password.")
    for field in PASSWORD_FIELDS:
        typed = getattr(form, field)
        if len(typed) > limits.PASSWORD or any(ord(c) < 32 for c in typed):
            errors[field] = _("Not a password this form can keep.")
    return errors, _numbers(form, errors)


def _numbers(form: MailboxForm, errors: dict[str, str]) -> dict[str, int]:
    numbers: dict[str, int] = {}
    bounds = {
        "imap_port": (1, 65535),
        "smtp_port": (1, 65535),
        "auto_replies_per_day": (0, MAX_AUTO_REPLIES),
    }
    for field, (low, high) in bounds.items():
        typed = str(getattr(form, field)).strip()
        if typed.isdigit() and low <= int(typed) <= high:
            numbers[field] = int(typed)
        else:
            errors[field] = _("A whole number from {low} to {high}.").format(low=low, high=high)
    return numbers
