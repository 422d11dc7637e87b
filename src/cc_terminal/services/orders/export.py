"""Orders for the field teams: a CSV or XLSX of the orders of a period (one team or all),
and a plain-text day sheet per team that prints on 80 columns."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import col

from cc_terminal.formats import day_with_year, money
from cc_terminal.i18n import _, ngettext, pgettext
from cc_terminal.models import (
    Customer,
    CustomerOrder,
    CustomerPhone,
    FieldTeam,
    Operator,
    OrderStatus,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.export_files import (
    Cell,
    amount,
    private_file,
    titled,
    write_table,
)
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.labels import pay_method_label
from cc_terminal.store.database import Database

FORMATS = ("csv", "xlsx")
SHEET_WIDTH = 80
COLUMNS = (
    "number",
    "kind",
    "status",
    "visit_day",
    "visit_slot",
    "team",
    "customer",
    "phone",
    "address",
    "address_code",
    "address_override",
    "amount",
    "currency",
    "pay_method",
    "lines",
    "details",
    "created_at",
    "operator",
)
_NOT_SENT = (OrderStatus.DRAFT.value, OrderStatus.CANCELLED.value)


def column_titles() -> dict[str, str]:
    """The columns' titles in the current language (the English are the names above)."""
    return {
        "number": pgettext("export column", "number"),
        "kind": pgettext("export column", "kind"),
        "status": pgettext("export column", "status"),
        "visit_day": pgettext("export column", "visit_day"),
        "visit_slot": pgettext("export column", "visit_slot"),
        "team": pgettext("export column", "team"),
        "customer": pgettext("export column", "customer"),
        "phone": pgettext("export column", "phone"),
        "address": pgettext("export column", "address"),
        "address_code": pgettext("export column", "address_code"),
        "address_override": pgettext("export column", "address_override"),
        "amount": pgettext("export column", "amount"),
        "currency": pgettext("export column", "currency"),
        "pay_method": pgettext("export column", "pay_method"),
        "lines": pgettext("export column", "lines"),
        "details": pgettext("export column", "details"),
        "created_at": pgettext("export column", "created_at"),
        "operator": pgettext("export column", "operator"),
    }


@dataclass(frozen=True)
class OrderExportResult:
    path: Path
    rows: int


@refusals_audited
class OrderExport:
    def __init__(self, db: Database, timezone: str, region: str) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.region = region

    def export(
        self, actor: Actor, path: Path, kind: str, day_from: date, day_to: date, team: str = ""
    ) -> OrderExportResult:
        """The orders of the period (by visit day, or the day taken when there is no visit)
        that are not drafts or cancelled; of one team when ``team`` is given."""
        _require_lead(actor)
        if kind not in FORMATS:
            raise ValidationFailed({"format": _("csv or xlsx.")})
        if day_to < day_from:
            raise ValidationFailed({"day_to": _("The period ends before it starts.")})
        rows = self._rows(day_from, day_to, team)
        with audited_file(self.db, actor, AuditKind.EXPORT, f"orders {day_from}", path) as written:
            write_table(path, kind, titled(COLUMNS, column_titles()), rows, _("Orders"))
            written.rows = len(rows)
        return OrderExportResult(path, len(rows))

    def day_sheet(self, actor: Actor, team: str, day: date) -> str:
        """The team's visits of the day, in slot order, as text no wider than 80 columns."""
        _require_lead(actor)
        with self.db.read() as session:
            found = session.scalars(select(FieldTeam).where(col(FieldTeam.code) == team)).first()
            if found is None:
                raise ValidationFailed({"team": _("No field team {code}.").format(code=team)})
            name = found.name
        visits = [row for row in self._fetch(day, day, team) if row["team_code"] == team]
        visits.sort(key=lambda row: row["visit_slot"])
        title = _("{team} ({code}): visits on {day}").format(
            team=name, code=team, day=day_with_year(day)
        )
        lines = [title[:SHEET_WIDTH], "=" * SHEET_WIDTH]
        if not visits:
            lines.append(_("No visits."))
        for row in visits:
            lines.extend(self._visit_lines(row))
            lines.append("-" * SHEET_WIDTH)
        count = len(visits)
        lines.append(ngettext("{count} visit.", "{count} visits.", count).format(count=count))
        return "\n".join(lines) + "\n"

    def write_day_sheet(self, actor: Actor, team: str, day: date, path: Path) -> int:
        text = self.day_sheet(actor, team, day)
        with audited_file(
            self.db, actor, AuditKind.EXPORT, f"day sheet {team} {day}", path
        ) as written:
            private_file(path)
            path.write_text(text, encoding="utf-8")
            written.rows = text.count("\n")
        return written.rows

    def _visit_lines(self, row: dict[str, Any]) -> list[str]:
        head = f"{row['visit_slot']:<12}{row['number']:<12}{row['customer']}"
        phone = row["phone"]
        lines = [f"{head[: SHEET_WIDTH - len(phone) - 1]:<{SHEET_WIDTH - len(phone)}}{phone}"]
        indent = " " * 12
        body = [row["address"]]
        if row["address_override"]:
            body.append(_("Not in the register: {why}").format(why=row["address_override"]))
        if row["lines_text"]:
            body.append(row["lines_text"])
        if row["amount_text"]:
            body.append(
                _("The client pays {amount} {how}; never cash to the technician.").format(
                    amount=row["amount_text"], how=row["pay_method_text"]
                )
            )
        if row["details"]:
            body.append(row["details"])
        for paragraph in body:
            lines.extend(
                textwrap.wrap(
                    paragraph,
                    SHEET_WIDTH,
                    initial_indent=indent,
                    subsequent_indent=indent,
                    break_long_words=True,
                )
            )
        return lines

    def _rows(self, day_from: date, day_to: date, team: str) -> list[list[Cell]]:
        return [
            [
                row["number"],
                row["kind"],
                row["status"],
                row["visit_day"],
                row["visit_slot"],
                row["team_code"],
                row["customer"],
                row["phone"],
                row["address"],
                row["address_code"],
                row["address_override"],
                row["amount"],
                row["currency"],
                row["pay_method"],
                row["lines_text"],
                row["details"],
                row["created_at"],
                row["operator"],
            ]
            for row in self._fetch(day_from, day_to, team)
        ]

    def _fetch(self, day_from: date, day_to: date, team: str) -> list[dict[str, Any]]:
        day = func.coalesce(col(CustomerOrder.visit_day), func.date(col(CustomerOrder.created_at)))
        phone = (
            select(col(CustomerPhone.e164))
            .where(col(CustomerPhone.customer_id) == col(CustomerOrder.customer_id))
            .order_by(col(CustomerPhone.position))
            .limit(1)
            .scalar_subquery()
        )
        query = (
            select(
                CustomerOrder,
                col(Customer.full_name),
                func.coalesce(col(FieldTeam.code), ""),
                col(Operator.full_name),
                phone,
            )
            .join(Customer, col(Customer.id) == col(CustomerOrder.customer_id))
            .join(Operator, col(Operator.id) == col(CustomerOrder.created_by))
            .outerjoin(FieldTeam, col(FieldTeam.id) == col(CustomerOrder.team_id))
            .where(day >= day_from, day <= day_to, col(CustomerOrder.status).not_in(_NOT_SENT))
            .order_by(day, col(CustomerOrder.visit_slot), col(CustomerOrder.number))
        )
        if team:
            query = query.where(col(FieldTeam.code) == team)
        with self.db.read() as session:
            return [
                self._row(order, customer, team_code, operator, phone_number or "")
                for order, customer, team_code, operator, phone_number in session.execute(query)
            ]

    def _row(
        self, order: CustomerOrder, customer: str, team_code: str, operator: str, phone: str
    ) -> dict[str, Any]:
        values: dict[str, str] = json.loads(order.values)
        lines = json.loads(order.lines)
        return {
            "number": order.number,
            "kind": order.kind,
            "status": order.status,
            "visit_day": order.visit_day,
            "visit_slot": order.visit_slot,
            "team_code": team_code,
            "customer": customer,
            "phone": phone,
            "address": order.address_text,
            "address_code": order.address_code or "",
            "address_override": order.address_override,
            "amount": amount(order.amount_minor, order.currency, minor=True),
            "currency": order.currency,
            "amount_text": money(order.amount_minor, order.currency, self.region)
            if order.amount_minor is not None and order.kind == "equipment"
            else "",
            "pay_method": values.get("pay_method", ""),
            "pay_method_text": pay_method_label(values.get("pay_method", "")),
            "lines_text": ", ".join(
                f"{line['quantity']}× {line['name']}" for line in lines if line.get("quantity")
            ),
            "details": _details(values, self.zone),
            "created_at": order.created_at.astimezone(self.zone),
            "operator": operator,
        }


def _details(values: dict[str, str], zone: ZoneInfo) -> str:
    """The kind's own answers and the team lead's fields, as "name: value" pairs; a time
    (a taxi's) in the floor's local time with its offset, as the client was told it."""
    skipped = {"pay_method", "work", "destination_code", "destination_override"}
    return "; ".join(
        f"{key.removeprefix('x:')}: {_local_if_time(value, zone)}"
        for key, value in values.items()
        if value and key not in skipped
    )


def _local_if_time(value: str, zone: ZoneInfo) -> str:
    """A stored moment (ISO 8601 with its offset) in the floor's zone; anything else as is."""
    if "T" not in value:
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead exports orders for the field teams."))
