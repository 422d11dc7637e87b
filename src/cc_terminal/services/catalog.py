"""The product and tariff catalogue operators advise from; leads maintain it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cc_terminal.i18n import _
from cc_terminal.models import Product, ProductKind
from cc_terminal.services.errors import PermissionDenied
from cc_terminal.services.validation import FormErrors
from cc_terminal.services.views import Actor
from cc_terminal.store.database import Database


@dataclass(frozen=True)
class ProductItem:
    code: str
    name: str
    kind: str
    price_minor: int
    currency: str
    valid_from: date
    valid_to: date | None = None
    description: str = ""


class CatalogService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(self, actor: Actor, items: Iterable[ProductItem]) -> int:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead edits the catalogue."))
        rows = [_validated(item) for item in items]
        with self.db.write(actor.operator_id) as session:
            session.add_all(Product(**row.__dict__) for row in rows)
        return len(rows)


def _validated(item: ProductItem) -> ProductItem:
    form = FormErrors()
    form.text("code", item.code, 32, required=True)
    form.text("name", item.name, 120, required=True)
    if item.kind not in {kind.value for kind in ProductKind}:
        form.add("kind", _("Unknown kind: {kind}.").format(kind=item.kind))
    if item.price_minor < 0:
        form.add("price", _("A price cannot be negative."))
    if item.valid_to is not None and item.valid_to < item.valid_from:
        form.add("valid_to", _("Ends before it starts."))
    form.raise_if_any()
    return item
