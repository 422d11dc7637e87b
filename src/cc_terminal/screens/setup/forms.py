"""The team lead's forms on the Setup screen: one list entry, one catalogue item, and a
CSV import that reports every rejected line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path

from textual import on
from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from cc_terminal import limits
from cc_terminal.i18n import _, ngettext, pgettext
from cc_terminal.models import ProductKind
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.calls.catalog import PRODUCT_KIND_LABELS, ProductItem, parse_price
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.reference import LIST_TITLES
from cc_terminal.services.common.typed_dates import parse_date
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor, Choice
from cc_terminal.services.privacy.retention import MAX_DAYS, MIN_DAYS, RetentionSetting
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea

CATALOGUE = "catalogue"


def product_kind(kind: str) -> str:
    """A catalogue item's kind in words of the current language (an unknown code as it is)."""
    known = {code.value: label for code, label in PRODUCT_KIND_LABELS.items()}
    return _(known[kind]) if kind in known else kind


def _input(value: str, name: str, limit: int, *, disabled: bool = False) -> FormInput:
    return FormInput(
        value,
        id=f"setup-{name}",
        max_length=limit,
        enter_moves_focus=True,
        disabled=disabled,
        compact=True,
    )


class ChoiceForm(FormScreen[SetupServices, Choice]):
    """A new entry of a list, or a change to one (its code stays)."""

    FORM_ID = "choice-form"

    def __init__(self, kind: ListKind, choice: Choice | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.choice = choice or Choice("", "")

    def title_text(self) -> str:
        verb = _("Change") if self.choice.code else _("New entry")
        return f"{_(LIST_TITLES[self.kind])}: {verb}"

    def compose_fields(self) -> Iterable[Widget]:
        choice = self.choice
        editing = bool(choice.code)
        yield FormField(
            _("Code (letters, digits, _)"),
            _input(choice.code, "code", limits.CODE, disabled=editing),
            name="code",
        )
        # A shipped label shows in the language shown; kept as stored unless retyped.
        shown = _(choice.label) if choice.label else ""
        yield FormField(_("Label"), _input(shown, "label", limits.LABEL), name="label")
        if self.kind is ListKind.CALL_OUTCOME:
            yield FormField(_("Key (1-9)"), _input(choice.key, "key", 1), name="key")
        if self.kind is ListKind.REQUEST_CATEGORY:
            sla = str(choice.sla_minutes or "")
            yield FormField(
                _("Service-level target (minutes)"), _input(sla, "sla", 6), name="sla_minutes"
            )
            departments = [
                (_(c.label), c.code) for c in self.workstation.lists.active(ListKind.DEPARTMENT)
            ]
            yield FormField(
                _("Routed to department"),
                PlainSelect(
                    departments,
                    value=choice.department or Select.NULL,
                    prompt=_("Choose"),
                    id="setup-department",
                ),
                name="department",
            )
        yield Checkbox(_("In use"), choice.active, id="setup-active")

    def on_mount(self) -> None:
        first = "#setup-label" if self.choice.code else "#setup-code"
        self.set_focus(self.query_one(first))

    def collect(self) -> Choice:
        def text(name: str) -> str:
            found = self.query(f"#setup-{name}")
            return found.first(FormInput).value.strip() if found else ""

        sla: int | None = None
        if self.kind is ListKind.REQUEST_CATEGORY:
            try:
                sla = int(text("sla"))
            except ValueError:
                raise ValidationFailed({"sla_minutes": _("Whole minutes, such as 240.")}) from None
        department = ""
        if self.kind is ListKind.REQUEST_CATEGORY:
            value = self.query_one("#setup-department", Select).value
            department = "" if value is Select.NULL else str(value)
        label = text("label")
        if self.choice.label and label == _(self.choice.label):
            label = self.choice.label  # untouched: a shipped label stays translatable
        return Choice(
            code=text("code"),
            label=label,
            key=text("key"),
            sla_minutes=sla,
            department=department,
            active=self.query_one("#setup-active", Checkbox).value,
        )

    def store(self, services: SetupServices, actor: Actor, values: Choice) -> Choice:
        return services.reference.save(actor, self.kind, values)


class ProductForm(FormScreen[SetupServices, ProductItem]):
    """A new catalogue item, or a change to one (its code stays)."""

    FORM_ID = "product-form"

    def __init__(self, item: ProductItem | None = None) -> None:
        super().__init__()
        self.item = item

    def title_text(self) -> str:
        return _("Catalogue: change item") if self.item else _("Catalogue: new item")

    def compose_fields(self) -> Iterable[Widget]:
        yield Grid(*self._fields(), id="product-grid")

    def _fields(self) -> Iterable[Widget]:
        item = self.item
        kinds = [(product_kind(kind.value), kind.value) for kind in ProductKind]
        price = f"{item.price_minor / 100:.2f}".replace(".", ",") if item else ""
        yield FormField(
            _("Code"),
            _input(item.code if item else "", "code", 32, disabled=bool(item)),
            name="code",
        )
        yield FormField(
            pgettext("item", "Name"), _input(item.name if item else "", "name", 120), name="name"
        )
        yield FormField(
            _("Kind"),
            PlainSelect(
                kinds,
                value=item.kind if item else "tariff",
                allow_blank=False,
                id="setup-kind",
                compact=True,
            ),
            name="kind",
        )
        yield FormField(_("Price"), _input(price, "price", 20), name="price")
        yield FormField(
            _("Currency"), _input(item.currency if item else "CZK", "currency", 3), name="currency"
        )
        valid_from = item.valid_from.strftime("%d.%m.%Y") if item else ""
        valid_to = item.valid_to.strftime("%d.%m.%Y") if item and item.valid_to else ""
        yield FormField(
            _("Valid from (day.month.year)"),
            _input(valid_from, "valid_from", 10),
            name="valid_from",
        )
        yield FormField(
            _("Valid until (empty: no end)"), _input(valid_to, "valid_to", 10), name="valid_to"
        )
        description = PlainTextArea(item.description if item else "", id="setup-description")
        yield FormField(_("Description"), description, name="description")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#setup-name" if self.item else "#setup-code"))

    def collect(self) -> ProductItem:
        def text(name: str) -> str:
            return self.query_one(f"#setup-{name}", FormInput).value.strip()

        form = FormErrors()
        price = 0
        try:
            price = parse_price(text("price"))
        except ValueError:
            form.add("price", _("Write an amount such as 399,90."))
        days: dict[str, date | None] = {}
        for name in ("valid_from", "valid_to"):
            days[name] = None
            if text(name):
                try:
                    days[name] = parse_date(text(name))
                except ValueError:
                    form.add(name, _("Write a date such as 1.12.2026."))
        if days["valid_from"] is None and "valid_from" not in form.errors:
            form.add("valid_from", _("Required."))
        form.raise_if_any()
        valid_from = days["valid_from"]
        assert valid_from is not None
        return ProductItem(
            code=text("code"),
            name=text("name"),
            kind=str(self.query_one("#setup-kind", Select).value),
            price_minor=price,
            currency=text("currency").upper(),
            valid_from=valid_from,
            valid_to=days["valid_to"],
            description=self.query_one("#setup-description", TextArea).text,
        )

    def store(self, services: SetupServices, actor: Actor, values: ProductItem) -> ProductItem:
        return services.catalog.save(actor, values)


@dataclass(frozen=True)
class Imported:
    count: int


class ImportForm(FormScreen[SetupServices, Imported]):
    """Imports a CSV file into the catalogue or one list; a bad row imports nothing."""

    FORM_ID = "import-form"

    def __init__(self, target: ListKind | str) -> None:
        super().__init__()
        self.target = target

    def title_text(self) -> str:
        title = _(LIST_TITLES[self.target]) if isinstance(self.target, ListKind) else _("Catalogue")
        return _("Import {what} from CSV").format(what=title)

    def compose_fields(self) -> Iterable[Widget]:
        yield FormField(_("File"), _input("", "path", 500), name="file")
        if self.target == CATALOGUE:
            columns = "code, name, kind, price, currency, valid_from, valid_to, description"
        elif self.target is ListKind.REQUEST_CATEGORY:
            columns = "code, label, sla_minutes, department, active"
        elif self.target is ListKind.CALL_OUTCOME:
            columns = "code, label, key, active"
        else:
            columns = "code, label, active"
        yield FormField(
            _("Columns (comma or semicolon)"),
            _input(columns, "columns", 200, disabled=True),
            name="columns",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#setup-path"))

    def collect(self) -> Path:
        typed = self.query_one("#setup-path", FormInput).value.strip()
        if not typed:
            raise ValidationFailed({"file": _("Type the path of a CSV file.")})
        return Path(typed).expanduser()

    def store(self, services: SetupServices, actor: Actor, values: Path) -> Imported:
        if isinstance(self.target, ListKind):
            return Imported(services.reference.import_csv(actor, self.target, values))
        return Imported(services.catalog.import_csv(actor, values))


class RetentionForm(FormScreen[SetupServices, RetentionSetting]):
    """How many days one kind of personal data is kept: digits, then Enter."""

    FORM_ID = "retention-form"

    def __init__(self, setting: RetentionSetting) -> None:
        super().__init__()
        self.setting = setting

    def title_text(self) -> str:
        return _("Retention: {label}").format(label=_(self.setting.label))

    def compose_fields(self) -> Iterable[Widget]:
        setting = self.setting
        label = _("Days kept ({low} to {high}; default {default})").format(
            low=MIN_DAYS, high=MAX_DAYS, default=setting.default_days
        )
        days = FormInput(str(setting.days), id="setup-days", max_length=4, compact=True)
        yield FormField(label, days, name=setting.kind, id=f"retention-{setting.kind}")
        if not setting.held:
            yield Static(_("Nothing of this kind is stored yet; the days apply once it is."))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#setup-days"))

    @on(Input.Submitted, "#setup-days")
    def submitted(self) -> None:
        self.action_save()

    def collect(self) -> str:
        return self.query_one("#setup-days", FormInput).value

    def store(self, services: SetupServices, actor: Actor, values: str) -> RetentionSetting:
        kept = services.retention.set_days(actor, {self.setting.kind: values})
        return next(setting for setting in kept if setting.kind == self.setting.kind)


@dataclass(frozen=True)
class Kept:
    """The Retention tab: each kind's days, and the floor's last erasure."""

    settings: list[RetentionSetting]
    last_run: datetime | None

    def cells(self, setting: RetentionSetting, zone: tzinfo) -> list[str]:
        if not setting.held:
            erased = _("nothing held yet")
        elif self.last_run is None:
            erased = _("daily; not yet")
        else:
            erased = _("daily; last {when}").format(
                when=self.last_run.astimezone(zone).strftime("%d.%m.%Y %H:%M")
            )
        kept, default = (
            ngettext("{n} day", "{n} days", n).format(n=n)
            for n in (setting.days, setting.default_days)
        )
        return [_(setting.label), kept, default, erased]
