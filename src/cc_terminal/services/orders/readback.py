"""What the operator reads to the client before an order is stored: the order in one
sentence, and the kind's checklist (be home, the identity card, pay to the account)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from cc_terminal.formats import coming_time, money, short_day
from cc_terminal.i18n import N_, _
from cc_terminal.models.order import OrderKind
from cc_terminal.services.orders.labels import confirmation_label, pay_method_label

if TYPE_CHECKING:
    from cc_terminal.services.orders.dispatch import FreeSlot
    from cc_terminal.services.orders.values import Checked, OrderDraft, References

# What the client must know, by kind; the {placeholders} are the order's facts.
CHECKLISTS: dict[OrderKind, tuple[str, ...]] = {
    OrderKind.SERVICE: (
        N_("The change takes effect on {effective}; the next bill shows it."),
        N_("Have an identity card ready if a contract is to be signed."),
    ),
    OrderKind.EQUIPMENT: (
        N_("Be home on {visit}."),
        N_("Have an identity card ready for the technician."),
        N_("Pay {amount} {pay_method}; never cash to the technician."),
    ),
    OrderKind.LOAN: (
        N_("Have an identity card and a proof of income ready."),
        N_("The first payment of {payment} is due on {first_due}; we call before it."),
        N_("We never ask for a fee in advance or for cash."),
    ),
    OrderKind.TAXI: (
        N_("Be at the pickup at {when}; the driver calls on arrival."),
        N_("Pay the driver as the taxi tariff says; ask for a receipt."),
    ),
    OrderKind.WEB: (
        N_("Be at the delivery address on {delivery}."),
        N_("Pay to the account as the order says; never cash to the courier."),
    ),
}


def facts_of(checked: Checked, refs: References) -> dict[str, str]:
    values = checked.values
    zone = ZoneInfo(refs.zone)
    facts = {
        "effective": _day(values.get("effective", "")),
        "delivery": _day(values.get("delivery", "")),
        "pay_method": pay_method_label(values.get("pay_method", "")),
        "amount": "",
        "payment": "",
        "first_due": checked.first_due.strftime("%d.%m.%Y") if checked.first_due else "",
        "visit": "",
        "when": "",
    }
    if checked.amount_minor is not None:
        facts["amount"] = money(checked.amount_minor, checked.currency, refs.region)
    if checked.payment is not None:
        facts["payment"] = _major(checked.payment, checked.currency, refs.region)
    if values.get("when"):
        facts["when"] = coming_time(datetime.fromisoformat(values["when"]), zone, refs.now)
    return facts


def visit_text(slot: FreeSlot) -> str:
    return f"{short_day(slot.day)} {slot.slot} ({slot.team_name})"


def read_back(draft: OrderDraft, refs: References, facts: dict[str, str]) -> str:
    """The order in one sentence, for the operator to read to the client."""
    where = draft.address.text if draft.address else ""
    sentence = _SENTENCES.get(draft.kind, _web_sentence)
    return sentence(draft, refs, facts, where)


def _service_sentence(
    draft: OrderDraft, refs: References, facts: dict[str, str], where: str
) -> str:
    item = refs.catalogue.get(draft.values.get("product", ""))
    what = item.name if item else ""
    return _("{who}, {where}: {what} from {effective}, {amount} a month.").format(
        who=refs.customer_name,
        where=where,
        what=what,
        effective=facts["effective"],
        amount=facts["amount"],
    )


def _equipment_sentence(
    draft: OrderDraft, refs: References, facts: dict[str, str], where: str
) -> str:
    visit = visit_text(draft.slot) if draft.slot else ""
    return _("{who}, {where}: technician visit {visit}, you pay {amount} {pay}.").format(
        who=refs.customer_name,
        where=where,
        visit=visit,
        amount=facts["amount"],
        pay=facts["pay_method"],
    )


def _loan_sentence(draft: OrderDraft, refs: References, facts: dict[str, str], where: str) -> str:
    terms = refs.loans.get(draft.values.get("loan_product", ""))
    return _(
        "{who}, {where}: {product} of {amount} over {months} months, "
        "{payment} a month, first payment on {first_due}."
    ).format(
        who=refs.customer_name,
        where=where,
        product=terms.name if terms else "",
        amount=facts["amount"],
        months=draft.values.get("months", "").strip(),
        payment=facts["payment"],
        first_due=facts["first_due"],
    )


def _taxi_sentence(draft: OrderDraft, refs: References, facts: dict[str, str], where: str) -> str:
    destination = draft.destination.text if draft.destination else ""
    sentence = _("{who}: taxi from {where} to {destination} at {when}, passengers: {count}.")
    return sentence.format(
        who=refs.customer_name,
        where=where,
        destination=destination,
        when=facts["when"],
        count=draft.values.get("passengers", "1") or "1",
    )


def _web_sentence(draft: OrderDraft, refs: References, facts: dict[str, str], where: str) -> str:
    answer = confirmation_label(draft.values.get("confirmation", ""))
    return _("{who}: web order {number} delivered to {where} on {delivery}, {answer}.").format(
        who=refs.customer_name,
        number=draft.values.get("web_number", "").strip(),
        where=where,
        delivery=facts["delivery"],
        answer=answer,
    )


# The sentence of each kind, from the draft, the reference data, the facts and the address.
_SENTENCES: dict[OrderKind, Callable[[OrderDraft, References, dict[str, str], str], str]] = {
    OrderKind.SERVICE: _service_sentence,
    OrderKind.EQUIPMENT: _equipment_sentence,
    OrderKind.LOAN: _loan_sentence,
    OrderKind.TAXI: _taxi_sentence,
    OrderKind.WEB: _web_sentence,
}


def _major(amount: Decimal, currency: str, region: str) -> str:
    return money(int(amount * 100), currency, region)


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else ""
