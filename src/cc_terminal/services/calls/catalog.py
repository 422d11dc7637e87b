"""The knowledge base operators advise from: products, tariffs, services and promotions
with prices, validity dates and a description. Everyone reads it; only a lead edits it,
on the Setup screen or from a CSV file (``cc-terminal catalog import``)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.folding import words
from cc_terminal.i18n import N_, _
from cc_terminal.models import Product, ProductKind
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, config_change, refusals_audited
from cc_terminal.services.common.csv_rows import parse_all, read_rows
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.text_files import echoed
from cc_terminal.services.common.typed_dates import parse_date
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

# A catalogue item's kind in words (translated where drawn: the knowledge base, Setup).
PRODUCT_KIND_LABELS = {
    ProductKind.PRODUCT: N_("product"),
    ProductKind.TARIFF: N_("tariff"),
    ProductKind.SERVICE: N_("service"),
    ProductKind.PROMOTION: N_("promotion"),
    ProductKind.MATERIAL: N_("material"),
    ProductKind.WORK: N_("work"),
    ProductKind.FEE: N_("fee"),
}

CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]*$")
CSV_COLUMNS = {"code", "name", "kind", "price", "valid_from"}
# The price column is a 32-bit integer of minor units on both stores: 21,474,836.47.
MAX_PRICE_MINOR = 2**31 - 1


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

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


WRITE_BATCH = 2000  # items per transaction of an import (about 0.25 s of write lock)
YIELD_SECONDS = 0.12  # between two of them, for the other writers


@refusals_audited
class CatalogService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock
        # Told of each product that is new or cheaper than before, after it is stored
        # (the re-offers); the catalogue knows nothing of campaigns.
        self.on_cheaper: Callable[[Actor, list[str]], object] | None = None

    def items(self) -> tuple[ProductItem, ...]:
        """The whole catalogue, by kind and name (it is hundreds of rows, not millions)."""
        query = select(Product).order_by(col(Product.kind), col(Product.name))
        with self.db.read() as session:
            return tuple(_item(product) for product in session.scalars(query))

    def search(self, text: str, *, current_only: bool = True) -> tuple[ProductItem, ...]:
        """Items whose code, name, kind or description have every word typed (a word's
        beginning is enough; a typo or two is forgiven), closest first. Empty lists all."""
        day = self.clock().date() if current_only else None
        return matching(self.items(), text, day)

    def add(self, actor: Actor, items: Iterable[ProductItem]) -> int:
        """Add or change items by code. Every item is checked first (a bad one stores
        nothing); then they are written ``WRITE_BATCH`` to a transaction, so a file of tens
        of thousands holds the write lock well under a second at a time and a sign-in or a
        call saved meanwhile waits that long at most. Writing again is harmless (by code)."""
        _require_lead(actor)
        rows = [_validated(item) for item in items]
        cheaper: list[str] = []
        for start in range(0, len(rows), WRITE_BATCH):
            if start:
                # SQLite lets a waiting writer in only between transactions, and its busy
                # wait polls up to 100 ms apart: without a pause it can miss every gap.
                time.sleep(YIELD_SECONDS)
            cheaper += self._write(actor, rows[start : start + WRITE_BATCH])
        if self.on_cheaper is not None and cheaper:
            self.on_cheaper(actor, cheaper)
        return len(rows)

    def _write(self, actor: Actor, rows: list[ProductItem]) -> list[str]:
        """One transaction: the new and changed items; returns the new or cheaper codes."""
        with self.db.write(actor.operator_id) as session:
            codes = [row.code for row in rows]
            stored = {
                p.code: p
                for p in session.scalars(select(Product).where(col(Product.code).in_(codes)))
            }
            cheaper = []
            for row in rows:
                product = stored.get(row.code)
                if product is None:
                    session.add(Product(**row.__dict__))
                    cheaper.append(row.code)
                else:
                    if row.price_minor < product.price_minor:
                        cheaper.append(row.code)
                    for name, value in row.__dict__.items():
                        setattr(product, name, value)
        return cheaper

    @config_change(AuditKind.CONFIG_CATALOGUE)
    def save(self, actor: Actor, item: ProductItem) -> ProductItem:
        self.add(actor, [item])
        return item

    def import_csv(self, actor: Actor, path: Path) -> int:
        """Add or change items from CSV; any bad row stores nothing and all are reported."""
        _require_lead(actor)
        with audited_file(self.db, actor, AuditKind.IMPORT, "catalogue", path) as read:
            rows = read_rows(path, CSV_COLUMNS, unique="code")  # a code twice is a bad row
            read.rows = self.add(actor, parse_all(rows, _from_row))
        return read.rows


def matching(
    items: Iterable[ProductItem], text: str, day: date | None = None
) -> tuple[ProductItem, ...]:
    """``CatalogService.search`` over items already read (valid on ``day``, if given), for
    a screen that filters as the operator types without reading the catalogue again."""
    items = [item for item in items if day is None or item.valid_on(day)]
    typed = words(text[: limits.SEARCH])
    if not typed:
        return tuple(items)
    scored = []
    for item in items:
        haystack = set(words(f"{item.code} {item.name} {item.kind} {item.description}"))
        misses = [_word_distance(word, haystack) for word in typed]
        if all(miss is not None for miss in misses):
            scored.append((sum(m for m in misses if m is not None), item.name, item))
    return tuple(item for *_, item in sorted(scored, key=lambda row: row[:2]))


def _word_distance(word: str, haystack: set[str]) -> int | None:
    """0 when a word of the item starts with it, else the fewest typos (at most one, two
    for long words) to one of them; None when nothing is close."""
    if any(term.startswith(word) for term in haystack):
        return 0
    if len(word) < 4:
        return None
    from rapidfuzz.distance import OSA  # loaded by the first typo: see search.py's near

    budget = 1 if len(word) < 7 else 2
    best = min((OSA.distance(word, term, score_cutoff=budget + 1) for term in haystack), default=99)
    return best if best <= budget else None


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead edits the catalogue."))


def _item(product: Product) -> ProductItem:
    return ProductItem(
        code=product.code,
        name=product.name,
        kind=product.kind,
        price_minor=product.price_minor,
        currency=product.currency,
        valid_from=product.valid_from,
        valid_to=product.valid_to,
        description=product.description,
    )


def _validated(item: ProductItem, *, in_file: bool = False) -> ProductItem:
    form = FormErrors(in_file=in_file)
    code = form.text("code", item.code, 32, required=True).upper()
    if code and not CODE.match(code):
        form.add("code", _("Code: letters, digits, _ . - only."))
    name = form.text("name", item.name, 120, required=True)
    if item.kind not in {kind.value for kind in ProductKind}:
        kinds = ", ".join(kind.value for kind in ProductKind)
        form.add("kind", _("Kind must be one of: {kinds}.").format(kinds=kinds))
    if item.price_minor < 0:
        form.add("price", _("A price cannot be negative."))
    if not re.fullmatch(r"[A-Z]{3}", item.currency):
        form.add("currency", _("Currency: three capital letters, such as CZK."))
    if item.valid_to is not None and item.valid_to < item.valid_from:
        form.add("valid_to", _("Ends before it starts."))
    description = form.text("description", item.description, limits.NOTES)
    form.raise_if_any()
    return ProductItem(
        code,
        name,
        item.kind,
        item.price_minor,
        item.currency,
        item.valid_from,
        item.valid_to,
        description,
    )


def parse_price(text: str) -> int:
    """'399', '399.90' or '399,90' (and spaces as thousands) to minor units."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    # Infinity, NaN and huge values first: rounding them raises instead of answering
    if not value.is_finite() or abs(value) * 100 > MAX_PRICE_MINOR:
        raise ValueError(text)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return int(value * 100)


def _from_row(row: dict[str, str]) -> ProductItem:
    form = FormErrors(in_file=True)
    price = 0
    try:
        price = parse_price(row["price"])
    except ValueError:
        form.add(
            "price",
            _("price {text!r} is not an amount like 399.90.").format(text=echoed(row["price"])),
        )
    dates: dict[str, date | None] = {"valid_from": None, "valid_to": None}
    for name in dates:
        text = row.get(name, "")
        if text:
            try:
                dates[name] = parse_date(text)
            except ValueError:
                form.add(
                    name, _("{name} {text!r} is not a date.").format(name=name, text=echoed(text))
                )
    if dates["valid_from"] is None and "valid_from" not in form.errors:
        form.add("valid_from", _("no valid_from in this row"))
    form.raise_if_any()
    valid_from = dates["valid_from"]
    assert valid_from is not None
    return _validated(
        ProductItem(
            code=row["code"],
            name=row["name"],
            kind=row["kind"].lower(),
            price_minor=price,
            currency=(row.get("currency") or "CZK").upper(),
            valid_from=valid_from,
            valid_to=dates["valid_to"],
            description=row.get("description", ""),
        ),
        in_file=True,
    )
