"""What each order kind asks and how its answers are checked, priced and read back. Pure
rules over what was typed and the reference data the desk read (no database here): every
problem is collected with its field, so the form shows each message next to its field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from cc_terminal import limits
from cc_terminal.formats import money
from cc_terminal.i18n import N_, _
from cc_terminal.models.order import OrderKind
from cc_terminal.services.common.typed_dates import DatePassed, parse_coming_date, passed_message
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.orders.labels import CONFIRMATION, PAY_METHODS
from cc_terminal.services.orders.loans import LoanTerms, monthly_payment
from cc_terminal.services.orders.readback import CHECKLISTS, facts_of, read_back, visit_text
from cc_terminal.services.orders.values import (
    Checked,
    OrderDraft,
    PreparedOrder,
    PricedLine,
    References,
)
from cc_terminal.services.outbound.callback_time import CallbackTimeError, parse_callback

EMPLOYMENT = {
    "employed": N_("employed"),
    "self_employed": N_("self-employed"),
    "retired": N_("retired"),
    "parental": N_("parental leave"),
    "student": N_("student"),
    "unemployed": N_("without income from work"),
}
MAX_QUANTITY = 99
MAX_PASSENGERS = 8
MAX_AHEAD = timedelta(days=366)


def prepare(draft: OrderDraft, refs: References) -> PreparedOrder:
    """Check every field of the draft and compute what follows from them; raises
    ValidationFailed with every message at once."""
    form = FormErrors()
    values: dict[str, str] = {}
    if draft.address is None:
        form.add("address", _("Choose the address: town, street, house number."))
    elif draft.address.code is None and not draft.address.override_reason.strip():
        form.add("address", _("An address not in the register needs the reason for it."))
    checker = _CHECKS[draft.kind]
    prepared = checker(draft, refs, form, values)
    for extra in refs.extra_fields:
        typed = form.text(extra.key, draft.values.get(extra.key, ""), limits.SHORT_NOTE)
        if extra.required and not typed:
            form.add(extra.key, _("Required."))
        elif typed and extra.choices and typed not in extra.choices:
            form.add(extra.key, _("One of: {choices}.").format(choices=", ".join(extra.choices)))
        values[extra.key] = typed
    form.raise_if_any()
    facts = facts_of(prepared, refs)
    facts["visit"] = visit_text(draft.slot) if draft.slot else ""
    checklist = tuple(_(line).format(**facts) for line in CHECKLISTS[draft.kind])
    return PreparedOrder(
        draft,
        values,
        prepared.lines,
        prepared.amount_minor,
        prepared.currency,
        prepared.payment,
        prepared.first_due,
        read_back(draft, refs, facts),
        checklist,
    )


def _service(draft: OrderDraft, refs: References, form: FormErrors, values: dict) -> Checked:
    today = refs.now.astimezone(ZoneInfo(refs.zone)).date()
    code = draft.values.get("product", "").strip()
    item = refs.catalogue.get(code)
    if not code:
        form.add("product", _("Choose the service or tariff."))
    elif item is None or item.kind not in ("tariff", "service") or not item.valid_on(today):
        form.add("product", _("Not a service or tariff on offer today."))
    effective = _future_date(form, "effective", draft.values.get("effective", ""), today)
    values.update(product=code, effective=effective.isoformat() if effective else "")
    checked = Checked(values=values)
    if item is not None:
        checked.amount_minor, checked.currency = item.price_minor, item.currency
    return checked


def _equipment(draft: OrderDraft, refs: References, form: FormErrors, values: dict) -> Checked:
    today = refs.now.astimezone(ZoneInfo(refs.zone)).date()
    lines, seen = _material_lines(draft, refs, form, today)
    work_code = draft.values.get("work", "").strip()
    work = refs.catalogue.get(work_code)
    if work is None or work.kind != "work" or not work.valid_on(today):
        form.add("work", _("Choose the technician's work."))
    else:
        lines.append(PricedLine(work.code, work.name, 1, work.price_minor))
    fees = sorted(
        (item for item in refs.catalogue.values() if item.kind == "fee" and item.valid_on(today)),
        key=lambda item: item.code,
    )
    lines.extend(PricedLine(fee.code, fee.name, 1, fee.price_minor) for fee in fees)
    pay = draft.values.get("pay_method", "").strip()
    if pay == "cash":
        form.add("pay_method", _("Never cash to the technician: choose how to pay."))
    elif pay not in PAY_METHODS:
        form.add("pay_method", _("Choose how the client pays."))
    _check_visit(draft, form, today)
    currencies = {item.currency for item in refs.catalogue.values() if item.code in seen}
    if len(currencies) > 1:
        form.add("materials", _("The materials are priced in more than one currency."))
    values.update(work=work_code, pay_method=pay)
    currency = next(iter(currencies), work.currency if work else "CZK")
    return Checked(
        lines=tuple(lines),
        amount_minor=sum(line.amount_minor for line in lines),
        currency=currency,
        values=values,
    )


def _material_lines(
    draft: OrderDraft, refs: References, form: FormErrors, today: date
) -> tuple[list[PricedLine], set[str]]:
    """The priced materials typed (each once, in stock today, a sane quantity) and their codes."""
    lines: list[PricedLine] = []
    seen: set[str] = set()
    for code, typed in draft.lines:
        item = refs.catalogue.get(code)
        if item is None or item.kind != "material" or not item.valid_on(today):
            form.add("materials", _("{code} is not a material in the catalogue.").format(code=code))
            continue
        quantity = _whole(typed)
        if quantity is None or not 1 <= quantity <= MAX_QUANTITY:
            form.add(
                "materials",
                _("Quantity of {name}: a whole number 1 to {most}.").format(
                    name=item.name, most=MAX_QUANTITY
                ),
            )
            continue
        if code in seen:
            form.add("materials", _("{name} is listed twice.").format(name=item.name))
            continue
        seen.add(code)
        lines.append(PricedLine(code, item.name, quantity, item.price_minor))
    if not lines and "materials" not in form.errors:
        form.add("materials", _("Add at least one material with its quantity."))
    return lines, seen


def _check_visit(draft: OrderDraft, form: FormErrors, today: date) -> None:
    """A technician goes to a registered address, on a slot that has not passed."""
    if draft.address is not None and draft.address.code is None:
        form.add("address", _("A technician is sent only to an address from the register."))
    if draft.slot is None:
        form.add("slot", _("Choose a visit slot (F5 offers the free ones)."))
    elif draft.slot.day < today:
        form.add("slot", _("That visit day has passed."))


def _loan(draft: OrderDraft, refs: References, form: FormErrors, values: dict) -> Checked:
    code = draft.values.get("loan_product", "").strip()
    terms = refs.loans.get(code)
    if terms is None:
        form.add("loan_product", _("Choose the loan product."))
    amount = _amount(form, "amount", draft.values.get("amount", ""))
    months = _whole(draft.values.get("months", ""))
    if months is None:
        form.add("months", _("The term in whole months."))
    income = _amount(form, "income", draft.values.get("income", ""))
    purpose = form.text("purpose", draft.values.get("purpose", ""), limits.LABEL, required=True)
    employment = draft.values.get("employment", "").strip()
    if employment not in EMPLOYMENT:
        form.add("employment", _("Choose the employment."))
    checked = Checked(values=values)
    if terms is not None:
        _check_loan_limits(terms, amount, months, form, refs.region)
        if amount is not None and months and "months" not in form.errors:
            _price_loan(checked, terms, amount, months, income, form, refs)
    values.update(
        loan_product=code,
        amount=str(amount or ""),
        months=str(months or ""),
        income=str(income or ""),
        purpose=purpose,
        employment=employment,
        payment=str(checked.payment or ""),
    )
    return checked


def _check_loan_limits(
    terms: LoanTerms, amount: Decimal | None, months: int | None, form: FormErrors, region: str
) -> None:
    """The amount and the term within what the product lends."""
    if amount is not None and not (terms.min_amount <= amount <= terms.max_amount):
        form.add(
            "amount",
            _("{name} lends {low} to {high}.").format(
                name=terms.name,
                low=_major(terms.min_amount, terms.currency, region),
                high=_major(terms.max_amount, terms.currency, region),
            ),
        )
    if months is not None and not (terms.min_months <= months <= terms.max_months):
        form.add(
            "months",
            _("{name} runs {low} to {high} months.").format(
                name=terms.name, low=terms.min_months, high=terms.max_months
            ),
        )


def _price_loan(
    checked: Checked,
    terms: LoanTerms,
    amount: Decimal,
    months: int,
    income: Decimal | None,
    form: FormErrors,
    refs: References,
) -> None:
    """The monthly payment (checked against the income) and the first due day."""
    payment = monthly_payment(amount, terms.yearly_rate, months)
    checked.payment, checked.currency = payment, terms.currency
    checked.amount_minor = int(amount * 100)
    if income is not None and payment > income * terms.max_payment_share / 100:
        form.add(
            "income",
            _("The payment {payment} is above {share} % of this income.").format(
                payment=_major(payment, terms.currency, refs.region),
                share=terms.max_payment_share,
            ),
        )
    local = refs.now.astimezone(ZoneInfo(refs.zone)).date()
    checked.first_due = _next_month(local)


def _taxi(draft: OrderDraft, refs: References, form: FormErrors, values: dict) -> Checked:
    if draft.destination is None:
        form.add("destination", _("Choose the destination: town, street, house number."))
    elif draft.destination.code is None and not draft.destination.override_reason.strip():
        form.add("destination", _("An address not in the register needs the reason for it."))
    typed_when = draft.values.get("when", "").strip()
    when = refs.now
    if typed_when.casefold() not in ("", "now", "hned", "ted", "teď"):
        try:
            moment = parse_callback(typed_when, refs.now, refs.zone)
        except CallbackTimeError as error:
            form.add("when", str(error))
        else:
            when = moment or refs.now
    passengers = _whole(draft.values.get("passengers", "1") or "1")
    if passengers is None or not 1 <= passengers <= MAX_PASSENGERS:
        form.add("passengers", _("1 to {most} passengers.").format(most=MAX_PASSENGERS))
    notes = form.text("notes", draft.values.get("notes", ""), limits.SHORT_NOTE)
    values.update(
        when=when.isoformat(),
        passengers=str(passengers or ""),
        notes=notes,
        destination=draft.destination.text if draft.destination else "",
        destination_code=str(draft.destination.code or "") if draft.destination else "",
        destination_override=draft.destination.override_reason if draft.destination else "",
    )
    return Checked(values=values)


def _web(draft: OrderDraft, refs: References, form: FormErrors, values: dict) -> Checked:
    today = refs.now.astimezone(ZoneInfo(refs.zone)).date()
    number = form.text("web_number", draft.values.get("web_number", ""), 40, required=True)
    items = form.text("items", draft.values.get("items", ""), limits.NOTES, required=True)
    delivery = _future_date(form, "delivery", draft.values.get("delivery", ""), today)
    confirmation = draft.values.get("confirmation", "").strip()
    if confirmation not in CONFIRMATION:
        form.add("confirmation", _("Confirmed as ordered, or changed with the client?"))
    change = form.text("change", draft.values.get("change", ""), limits.SHORT_NOTE)
    if confirmation == "changed" and not change:
        form.add("change", _("Say what changed."))
    values.update(
        web_number=number,
        items=items,
        delivery=delivery.isoformat() if delivery else "",
        confirmation=confirmation,
        change=change,
    )
    return Checked(values=values)


_CHECKS = {
    OrderKind.SERVICE: _service,
    OrderKind.EQUIPMENT: _equipment,
    OrderKind.LOAN: _loan,
    OrderKind.TAXI: _taxi,
    OrderKind.WEB: _web,
}


def _future_date(form: FormErrors, name: str, typed: str, today: date) -> date | None:
    if not typed.strip():
        form.add(name, _("A date: 1.12.2026."))
        return None
    try:
        day = parse_coming_date(typed, today)
    except DatePassed as error:
        form.add(name, passed_message(error, _("That date has passed.")))
        return None
    except ValueError:
        form.add(name, _("Not a date: write 1.12.2026."))
        return None
    if day < today:
        form.add(name, _("That date has passed."))
    elif day - today > MAX_AHEAD:
        form.add(name, _("More than a year ahead."))
    return day


def _amount(form: FormErrors, name: str, typed: str) -> Decimal | None:
    cleaned = typed.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not cleaned:
        form.add(name, _("Required."))
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        form.add(name, _("An amount: 150000 or 150 000,50."))
        return None
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        form.add(name, _("A positive amount with at most two decimals."))
        return None
    return value


def _whole(typed: str) -> int | None:
    typed = typed.strip()
    if not typed.lstrip("-").isdigit() or len(typed) > 6:
        return None
    return int(typed)


def _major(amount: Decimal, currency: str, region: str) -> str:
    return money(int(amount * 100), currency, region)


def _next_month(day: date) -> date:
    """The same day next month, or the month's last day when it is shorter."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
