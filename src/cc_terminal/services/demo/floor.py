"""A demo floor: a lead, five operators, a catalogue, thousands of Czech customers with
their history, and outbound campaigns (services/demo/outbound.py). Its prose (the
catalogue, scripts, notes) is written in the language in use when it is built; people's
and streets' names stay Czech."""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from faker import Faker
from sqlalchemy import select
from sqlmodel import col

from cc_terminal.data.codes import CallReason, Department, RefusalReason
from cc_terminal.i18n import N_, _
from cc_terminal.models import Call, Customer, CustomerPhone, ListKind, RequestStatus
from cc_terminal.models.base import new_id, utcnow
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.escalations import EscalationDraft, EscalationService
from cc_terminal.services.calls.offers import OfferDraft, OfferService
from cc_terminal.services.calls.requests import RequestDraft, RequestService
from cc_terminal.services.common.reference import default_lists
from cc_terminal.services.common.views import Actor, CustomerDraft
from cc_terminal.services.demo.days_off import build_days_off
from cc_terminal.services.demo.orders import build_orders
from cc_terminal.services.demo.outbound import build_outbound, stopped_clock
from cc_terminal.services.demo.tally import build_tally
from cc_terminal.services.workstation import Workstation

MOBILE_PREFIXES = (
    "601",
    "602",
    "603",
    "604",
    "605",
    "606",
    "607",
    "608",
    "702",
    "720",
    "728",
    "730",
    "731",
    "732",
    "733",
    "734",
    "736",
    "737",
    "739",
    "770",
    "773",
    "775",
)
OPERATORS = (
    ("jana", "Jana Svobodová", Department.CONTACT_CENTRE),
    ("petr", "Petr Dvořák", Department.CONTACT_CENTRE),
    ("eva", "Eva Černá", Department.BILLING),
    ("tomas", "Tomáš Procházka", Department.TECHNICAL),
    ("lucie", "Lucie Kučerová", Department.COMPLAINTS),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    password: str
    department: str = Department.CONTACT_CENTRE


def build_demo_floor(ws: Workstation, customers: int = 5000, seed: int = 7) -> list[DemoAccount]:
    """Fill an empty database; returns the accounts with their one-time passwords."""
    rng = random.Random(seed)
    fake = Faker("cs_CZ")
    fake.seed_instance(seed)
    accounts = [DemoAccount("vedouci", "Lída Vedoucí", "lead", _password())]
    accounts += [DemoAccount(u, name, "operator", _password(), d) for u, name, d in OPERATORS]
    lead_info = ws.auth.create_operator(None, *_fields(accounts[0]))
    lead = Actor(
        lead_info.id, lead_info.username, lead_info.full_name, lead_info.role, lead_info.department
    )
    # The demo hands its passwords out in a file to try the floor with: no change asked. It
    # writes their history as them, so it keeps their keys open (it knows the passwords).
    made = [
        ws.auth.create_operator(lead, *_fields(a), must_change=False, keep_key=True)
        for a in accounts[1:]
    ]
    staff = [lead] + [_actor(info) for info in made]
    ws.catalog.add(lead, _catalogue())
    ws.customers.create_many(lead, _customers(fake, rng, customers))
    _call_history(ws, staff, rng)
    _requests_and_offers(ws, staff, rng)
    build_outbound(ws, lead, staff[1:], fake, lambda: demo_phone(rng))
    build_orders(ws, lead, staff[1:], rng)
    build_tally(ws, lead, staff[1:], rng)
    build_days_off(ws, lead, staff[1:])
    return accounts


def _password() -> str:
    return secrets.token_urlsafe(9)


def _fields(account: DemoAccount) -> tuple[str, str, str, str, str]:
    return account.username, account.full_name, account.role, account.password, account.department


def _actor(info: object) -> Actor:
    return Actor(info.id, info.username, info.full_name, info.role, info.department)  # type: ignore[attr-defined]


def demo_phone(rng: random.Random) -> str:
    return f"+420{rng.choice(MOBILE_PREFIXES)}{rng.randrange(1_000_000):06d}"


def _customers(fake: Faker, rng: random.Random, count: int) -> Iterator[CustomerDraft]:
    used: set[str] = set()
    for _index in range(count):
        phone = demo_phone(rng)
        while phone in used:
            phone = demo_phone(rng)
        used.add(phone)
        yield CustomerDraft(
            full_name=fake.name(),
            phones=phone,
            street=fake.street_name(),
            house_number=fake.building_number(),
            city=fake.city(),
            postal_code=fake.postcode(),
            email=fake.free_email() if rng.random() < 0.6 else "",
            do_not_call=rng.random() < 0.03,
        )


def _catalogue() -> list[ProductItem]:
    start = date.today().replace(day=1) - timedelta(days=90)
    rows = [
        ("MOB-S", _("Mobil S: 3 GB, unlimited calls"), "tariff", 39900),
        ("MOB-M", _("Mobil M: 15 GB, unlimited calls"), "tariff", 59900),
        ("MOB-L", _("Mobil L: unlimited data"), "tariff", 89900),
        ("NET-100", _("Home internet 100 Mb/s"), "tariff", 44900),
        ("NET-1000", _("Home internet 1 Gb/s"), "tariff", 69900),
        ("TV-BASIC", _("TV basic: 80 channels"), "service", 19900),
        ("TECH-VISIT", _("Technician visit"), "service", 49000),
        ("ROUTER-AX", _("Wi-Fi 6 router"), "product", 249000),
        ("PHONE-A15", _("Smartphone A15"), "product", 599000),
        ("PROMO-SWITCH", _("Switch and save: 3 months at half price"), "promotion", 0),
    ]
    return [ProductItem(c, n, k, p, "CZK", start, description=n) for c, n, k, p in rows]


def _call_history(
    ws: Workstation, staff: list[Actor], rng: random.Random, calls: int = 800
) -> None:
    reasons = [choice.code for choice in default_lists()[ListKind.CALL_REASON]]
    outcomes = [choice.code for choice in default_lists()[ListKind.CALL_OUTCOME]]
    now = utcnow()
    with ws.db.write(staff[0].operator_id) as session:
        phones = session.execute(
            select(col(CustomerPhone.customer_id), col(CustomerPhone.e164))
        ).all()
        for customer_id, e164 in rng.sample(phones, min(calls, len(phones))):
            started = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
            talk = rng.randint(40, 900)
            session.add(
                Call(
                    operator_id=rng.choice(staff[1:]).operator_id,
                    customer_id=customer_id,
                    phone_e164=e164,
                    started_at=started,
                    answered_at=started,
                    ended_at=started + timedelta(seconds=talk),
                    reason=rng.choice(reasons),
                    outcome=rng.choice(outcomes),
                    talk_seconds=talk,
                    wrap_seconds=rng.randint(5, 120),
                )
            )


def _requests_and_offers(ws: Workstation, staff: list[Actor], rng: random.Random) -> None:
    """Requests of the last days (some overdue, some moved on), offers with their answers,
    and one escalation waiting, so every screen has something to show."""
    operators, lead = staff[1:], staff[0]
    with ws.db.read() as session:
        customer_ids = list(session.scalars(select(col(Customer.id)).limit(400)))
    now = utcnow()
    _requests(ws, operators, lead, customer_ids, rng, now)
    _offers(ws, operators, customer_ids, rng, now)
    started = now - timedelta(minutes=6)
    waiting = EscalationService(ws.db, stopped_clock(now - timedelta(minutes=2)))
    waiting.raise_(
        operators[0],
        EscalationDraft(
            new_id(),
            customer_ids[0],
            started,
            CallReason.COMPLAINT,
            _("Wants to cancel; asks for a manager."),
        ),
    )


def _requests(
    ws: Workstation,
    operators: list[Actor],
    lead: Actor,
    customer_ids: list[uuid.UUID],
    rng: random.Random,
    now: datetime,
) -> None:
    """Sixty requests of the last five days, four in ten resolved by the lead."""
    categories = [choice.code for choice in default_lists()[ListKind.REQUEST_CATEGORY]]
    summaries = [_(summary) for summary in SUMMARIES]
    for _index in range(60):
        created = now - timedelta(minutes=rng.randint(30, 5 * 24 * 60))
        at_that_time = RequestService(ws.db, stopped_clock(created), ws.requests.floor)
        request = at_that_time.create(
            rng.choice(operators),
            RequestDraft(rng.choice(customer_ids), rng.choice(categories), rng.choice(summaries)),
        )
        if rng.random() < 0.4:
            later = RequestService(
                ws.db, stopped_clock(created + timedelta(minutes=20)), ws.requests.floor
            )
            later.transition(
                lead, request.id, RequestStatus.RESOLVED, _("Sorted out with the customer")
            )


def _offers(
    ws: Workstation,
    operators: list[Actor],
    customer_ids: list[uuid.UUID],
    rng: random.Random,
    now: datetime,
) -> None:
    """150 offers of the last two months, three in ten accepted."""
    refusals = [
        c.code for c in default_lists()[ListKind.REFUSAL_REASON] if c.code != RefusalReason.OTHER
    ]
    products = [item.code for item in _catalogue() if item.kind != "promotion"]
    for _index in range(150):
        offered = now - timedelta(days=rng.randint(1, 60))
        offers = OfferService(ws.db, stopped_clock(offered))
        accepted = rng.random() < 0.3
        offers.record(
            rng.choice(operators),
            OfferDraft(
                rng.choice(customer_ids),
                rng.choice(products),
                accepted,
                refusal_reason="" if accepted else rng.choice(refusals),
            ),
        )


SUMMARIES = (  # translated when the demo is built, into the language it is built in
    N_("Invoice higher than usual; check the roaming charges."),
    N_("No signal at home since yesterday evening."),
    N_("Wants to move the contract to a new address."),
    N_("Asks when the router will be delivered."),
    N_("Complains about the technician arriving late."),
    N_("Wishes for a cheaper family tariff."),
    N_("Double payment in October; asks for a refund."),
)
