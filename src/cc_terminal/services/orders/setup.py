"""What a team lead sets up for orders: the fields added to a kind, and the loan products
a loan application is checked against. Read by the desk and the forms."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import LoanProduct, OrderField, OrderKind
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.validation import FormErrors, control_problem
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.loans import LoanTerms
from cc_terminal.services.orders.values import ExtraField
from cc_terminal.store.database import Database

FIELD_CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


@refusals_audited
class OrderSetup:
    def __init__(self, db: Database) -> None:
        self.db = db

    def extra_fields(self, kind: OrderKind, *, active_only: bool = True) -> tuple[ExtraField, ...]:
        with self.db.read() as session:
            return extra_fields_of(session, kind, active_only)

    def every_field(self) -> list[tuple[OrderKind, ExtraField, bool]]:
        """Every kind's added fields, retired ones too, with whether each is in use."""
        query = select(OrderField).order_by(
            col(OrderField.kind), col(OrderField.position), col(OrderField.code)
        )
        with self.db.read() as session:
            return [
                (
                    OrderKind(row.kind),
                    ExtraField(row.code, row.label, row.required, choices_of(row.choices)),
                    row.active,
                )
                for row in session.scalars(query)
            ]

    def loan_products(self) -> tuple[LoanTerms, ...]:
        with self.db.read() as session:
            return tuple(loans_of(session).values())

    @config_change(AuditKind.CONFIG_ORDERS)
    def save_field(self, actor: Actor, kind: OrderKind, item: ExtraField, active: bool) -> None:
        """Add a field to a kind, or change the one with this code (team leads)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead adds fields to orders."))
        form = FormErrors()
        if not item.code or not set(item.code) <= FIELD_CODE_CHARS or len(item.code) > 40:
            form.add("code", _("1 to 40 small letters, digits, - or _."))
        label = form.text("label", item.label, limits.LABEL, required=True)
        choices = [choice.strip() for choice in item.choices if choice.strip()]
        for choice in choices:
            if control_problem(choice, lines=False):
                form.add("choices", control_problem(choice, lines=False))
        with self.db.write(actor.operator_id) as session:
            form.raise_if_any()
            row = session.scalars(
                select(OrderField).where(
                    col(OrderField.kind) == kind.value, col(OrderField.code) == item.code
                )
            ).first()
            if row is None:
                count = len(extra_fields_of(session, kind, active_only=False))
                row = OrderField(kind=kind.value, code=item.code, label=label, position=count)
                session.add(row)
            else:
                row.version += 1
            row.label, row.required, row.active = label, item.required, active
            row.choices = "\n".join(choices)

    @config_change(AuditKind.CONFIG_ORDERS)
    def save_loan_product(self, actor: Actor, terms: LoanTerms) -> None:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets up loan products."))
        form = FormErrors()
        if not 0 < terms.min_amount <= terms.max_amount:
            form.add("amount", _("The smallest amount is above 0 and not above the largest."))
        if not 0 < terms.min_months <= terms.max_months <= 600:
            form.add("months", _("1 to 600 months, the shortest not above the longest."))
        if not Decimal(0) <= terms.yearly_rate <= Decimal(100):
            form.add("rate", _("A yearly rate of 0 to 100 %."))
        if not 1 <= terms.max_payment_share <= 100:
            form.add("share", _("1 to 100 % of the income."))
        form.raise_if_any()
        with self.db.write(actor.operator_id) as session:
            row = session.scalars(
                select(LoanProduct).where(col(LoanProduct.code) == terms.code)
            ).first()
            if row is None:
                row = LoanProduct(
                    code=terms.code, name=terms.name, min_amount_minor=0, max_amount_minor=0,
                    min_months=0, max_months=0, rate_bp=0,
                )  # fmt: skip
                session.add(row)
            else:
                row.version += 1
            row.name = terms.name
            row.min_amount_minor = int(terms.min_amount * 100)
            row.max_amount_minor = int(terms.max_amount * 100)
            row.min_months, row.max_months = terms.min_months, terms.max_months
            row.rate_bp = int(terms.yearly_rate * 100)
            row.max_payment_share, row.currency = terms.max_payment_share, terms.currency


def extra_fields_of(session: Session, kind: OrderKind, active_only: bool) -> tuple[ExtraField, ...]:
    query = select(OrderField).where(col(OrderField.kind) == kind.value)
    if active_only:
        query = query.where(col(OrderField.active))
    rows = session.scalars(query.order_by(col(OrderField.position), col(OrderField.code)))
    return tuple(
        ExtraField(row.code, row.label, row.required, choices_of(row.choices)) for row in rows
    )


def loans_of(session: Session) -> dict[str, LoanTerms]:
    rows = session.scalars(
        select(LoanProduct).where(col(LoanProduct.active)).order_by(col(LoanProduct.name))
    )
    return {
        row.code: LoanTerms(
            row.code,
            row.name,
            Decimal(row.min_amount_minor) / 100,
            Decimal(row.max_amount_minor) / 100,
            row.min_months,
            row.max_months,
            Decimal(row.rate_bp) / 100,
            row.max_payment_share,
            row.currency,
        )
        for row in rows
    }


def choices_of(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()
