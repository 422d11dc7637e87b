"""Reading the audit trail, for team leads: the events filtered by group, person, days and
record, each with its label and the customer it names, and their export. Reading is itself
audited. The events are written by services/common/audit.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models import AuditCheck, AuditEvent, Customer, Operator
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.audit import audited_file, record, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.export_files import write_csv
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

# What each kind of event is called on the team lead's screen; the first word groups them.
KIND_LABELS: dict[str, str] = {
    AuditKind.LOGIN_OK: N_("signed in"),
    AuditKind.LOGIN_FAILED: N_("wrong password"),
    AuditKind.LOGIN_THROTTLED: N_("sign-in while waiting"),
    AuditKind.LOGIN_LOCKED: N_("sign-in wait started"),
    AuditKind.LOGOUT: N_("signed out"),
    AuditKind.SESSION_LOCKED: N_("screen locked"),
    AuditKind.SESSION_UNLOCKED: N_("screen unlocked"),
    AuditKind.ACCOUNT_CREATED: N_("account created"),
    AuditKind.ACCOUNT_UNLOCKED: N_("account unlocked"),
    AuditKind.ACCOUNT_PASSWORD: N_("password changed"),
    AuditKind.ACCOUNT_PASSWORD_RESET: N_("password reset by a team lead"),
    AuditKind.ACCOUNT_ROLE: N_("role changed"),
    AuditKind.ACCOUNT_DEACTIVATED: N_("account deactivated"),
    AuditKind.ACCOUNT_RECOVERED: N_("team lead recovered with the recovery key"),
    AuditKind.ACCOUNT_DEPARTMENT: N_("department changed"),
    AuditKind.ACCOUNT_TEAM: N_("team changed"),
    AuditKind.ACCOUNT_CHAT_LIMIT: N_("chats at once changed"),
    AuditKind.ACCOUNT_EXTENSION: N_("phone extension changed"),
    AuditKind.SERVICE_ADDED: N_("service account added"),
    AuditKind.SERVICE_REVOKED: N_("service account revoked"),
    AuditKind.PHONE_TOKEN_SET: N_("phone webhook's token set"),
    AuditKind.PHONE_TOKEN_REFUSED: N_("phone webhook refused a wrong token"),
    AuditKind.CONFIG_SECURITY_POLICY: N_("sign-in policy changed"),
    AuditKind.CONFIG_CATALOGUE: N_("catalogue item changed"),
    AuditKind.CONFIG_LISTS: N_("list changed"),
    AuditKind.CONFIG_CAMPAIGNS: N_("campaign set up"),
    AuditKind.CONFIG_TEAMS: N_("field team set up"),
    AuditKind.CONFIG_ORDERS: N_("order setup changed"),
    AuditKind.CONFIG_PAY: N_("pay plan changed"),
    AuditKind.CONFIG_PLANNING: N_("planning rules changed"),
    AuditKind.CONFIG_QUALITY: N_("quality form changed"),
    AuditKind.CONFIG_RETENTION: N_("retention periods changed"),
    AuditKind.CONFIG_MAILBOXES: N_("mailbox set up"),
    AuditKind.CONFIG_FLOOR: N_("floor board's limits changed"),
    AuditKind.PHONE_CALLBACK_GIVEN: N_("callback given to an operator"),
    AuditKind.PHONE_CALLBACK_TAKEN_BACK: N_("callback taken back"),
    AuditKind.CUSTOMER_VIEWED: N_("customer's card opened"),
    AuditKind.CUSTOMER_LOOKED_UP: N_("phone looked up"),
    AuditKind.CUSTOMER_SEARCHED: N_("customers searched"),
    AuditKind.CUSTOMER_REVEALED: N_("personal data revealed"),
    AuditKind.CUSTOMER_EXPORTED: N_("customer's data exported"),
    AuditKind.CUSTOMER_ERASED: N_("customer erased"),
    AuditKind.CUSTOMER_PURGED: N_("personal data past its retention erased"),
    AuditKind.MAIL_ATTACHMENT_SAVED: N_("letter's attachment saved"),
    AuditKind.PERMISSION_REFUSED: N_("refused"),
    AuditKind.EXPORT: N_("export"),
    AuditKind.IMPORT: N_("import"),
    AuditKind.AUDIT_VIEWED: N_("audit trail read"),
    AuditKind.AUDIT_CUT: N_("another terminal's audit trail was cut"),
    AuditKind.SYNC_REFUSED: N_("change from another terminal refused"),
    AuditKind.SYNC_QUARANTINED: N_("file in this terminal's name set aside"),
}
GROUPS: dict[str, str] = {
    "login": N_("Sign-in"),
    "logout": N_("Sign-out"),
    "session": N_("Screen lock"),
    "account": N_("Accounts"),
    "service": N_("Service accounts"),
    "phone": N_("Phone"),
    "config": N_("Configuration"),
    "customer": N_("Personal data"),
    "permission": N_("Refusals"),
    "export": N_("Exports"),
    "import": N_("Imports"),
    "audit": N_("Audit trail"),
    "sync": N_("Floor sync"),
}
MAX_LISTED = 2000
MAX_NAMED = 500  # customers a name filter may stand for


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str  # user name, or "" for an unknown or absent account
    kind: str
    subject: str
    detail: str
    about: str = ""  # the customer a "customer." event names, read when the trail is shown

    @property
    def label(self) -> str:
        return _(KIND_LABELS[self.kind]) if self.kind in KIND_LABELS else self.kind


@dataclass(frozen=True)
class AuditFilter:
    group: str = ""  # a key of GROUPS, or every group
    who: str = ""  # a user name
    since: date | None = None
    until: date | None = None
    subject: str = ""  # the start of a record's id, or a part of a customer's name


def _customer_names(session: Session, subjects: list[str]) -> dict[str, str]:
    """The trail keeps ids only; the lead's screen shows whom they name (an erased
    customer has no name left to show)."""
    ids = set()
    for subject in subjects:
        try:
            ids.add(uuid.UUID(subject))
        except ValueError:
            continue
    if not ids:
        return {}
    query = select(col(Customer.id), col(Customer.full_name)).where(col(Customer.id).in_(ids))
    return {str(customer_id): name for customer_id, name in session.execute(query)}


@refusals_audited
class AuditTrail:
    def __init__(
        self, db: Database, zone: str = "UTC", clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.db = db
        self.zone = ZoneInfo(zone)
        self.clock = clock

    def record(
        self, actor: Actor | None, kind: AuditKind, subject: str | uuid.UUID = "", detail: str = ""
    ) -> None:
        """One event in a transaction of its own (a view, a refusal: nothing else is
        written with it)."""
        record(self.db, actor, kind, subject, detail, self.clock())

    def events(self, actor: Actor, wanted: AuditFilter) -> list[AuditEntry]:
        """The newest first, at most ``MAX_LISTED``; team leads only (reading is audited)."""
        self._require_lead(actor)
        with self.db.read() as session:
            rows = session.execute(self._query(wanted).limit(MAX_LISTED)).all()
            about = [
                subject
                for _at, _who, kind, subject, _detail in rows
                if kind.startswith("customer.")
            ]
            names = _customer_names(session, about)
        self.record(actor, AuditKind.AUDIT_VIEWED, detail=self._describe(wanted))
        return [
            AuditEntry(at, who or "", kind, subject, detail, names.get(subject, ""))
            for at, who, kind, subject, detail in rows
        ]

    def last_verified(self, actor: Actor) -> AuditCheck | None:
        """The last ``cc-terminal audit verify``: when, and whether the chain held."""
        self._require_lead(actor)
        with self.db.read() as session:
            return session.get(AuditCheck, 1)

    def export(self, actor: Actor, path: Path, wanted: AuditFilter) -> int:
        """Every matching event, oldest first, to a CSV file only its owner can read."""
        self._require_lead(actor)
        with self.db.read() as session:
            rows = session.execute(self._query(wanted, newest_first=False)).all()
        header = [
            pgettext("export column", "at"),
            pgettext("export column", "who"),
            pgettext("export column", "kind"),
            pgettext("export column", "subject"),
            pgettext("export column", "detail"),
        ]
        lines = [
            (at.astimezone(self.zone), who or "", kind, subject, detail)
            for at, who, kind, subject, detail in rows
        ]
        with audited_file(self.db, actor, AuditKind.EXPORT, "audit trail", path) as written:
            write_csv(path, header, lines, ",")
            written.rows = len(lines)
        return written.rows

    @staticmethod
    def _require_lead(actor: Actor) -> None:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead reads the audit trail."))

    def _query(self, wanted: AuditFilter, *, newest_first: bool = True) -> Any:
        query = select(
            col(AuditEvent.at),
            col(Operator.username),
            col(AuditEvent.kind),
            col(AuditEvent.subject),
            col(AuditEvent.detail),
        ).outerjoin(Operator, col(Operator.id) == col(AuditEvent.actor_id))
        if wanted.group:
            query = query.where(col(AuditEvent.kind).startswith(wanted.group))
        if wanted.who:
            query = query.where(col(Operator.username) == wanted.who.strip().lower())
        if wanted.since:
            query = query.where(col(AuditEvent.at) >= self._start_of(wanted.since))
        if wanted.until:
            query = query.where(
                col(AuditEvent.at) < self._start_of(wanted.until + timedelta(days=1))
            )
        if wanted.subject:
            typed = wanted.subject.strip()
            named = [str(customer_id) for customer_id in self._customers_named(typed)]
            query = query.where(
                or_(col(AuditEvent.subject).startswith(typed), col(AuditEvent.subject).in_(named))
            )
        if newest_first:
            return query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        return query.order_by(col(AuditEvent.at), col(AuditEvent.id))

    def _customers_named(self, typed: str) -> list[uuid.UUID]:
        pattern = f"%{typed.lower()}%"
        query = select(col(Customer.id)).where(func.lower(col(Customer.full_name)).like(pattern))
        with self.db.read() as session:
            return list(session.scalars(query.limit(MAX_NAMED)))

    def _start_of(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.zone)

    @staticmethod
    def _describe(wanted: AuditFilter) -> str:
        parts = [
            f"{name}={value}" for name, value in vars(wanted).items() if value not in (None, "")
        ]
        return " ".join(parts) or "all"
