"""The demo floor's orders: an address register in the state's format built from the demo
customers' own addresses (so a caller's address is found), imported like the real one;
materials, work and a travel fee in the catalogue; two loan products; field teams for the
towns; and a few orders of every kind, one visit already missed and re-booked."""

from __future__ import annotations

import csv
import io
import random
import tempfile
import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import Customer, OrderKind, customer_column
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.demo.outbound import stopped_clock
from cc_terminal.services.orders.dispatch import Dispatch, TeamDraft
from cc_terminal.services.orders.loans import LoanTerms
from cc_terminal.services.orders.orders import OrderDesk
from cc_terminal.services.orders.values import ChosenAddress, OrderDraft
from cc_terminal.services.workstation import Workstation

HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód obvodu Prahy;Název obvodu Prahy;"
    "Kód části obce;Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;"
    "Číslo orientační;Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
ITEMS = (  # translated when the demo is built, into the language it is built in
    ("MAT-ROUTER", N_("Wi-Fi 6 router, fitted"), "material", 249000),
    ("MAT-ONT", N_("Optical network terminal"), "material", 149000),
    ("MAT-STB", N_("TV set-top box"), "material", 179000),
    ("MAT-CABLE", N_("Coaxial cable, 5 m"), "material", 9900),
    ("WORK-SWAP", N_("Equipment swap"), "work", 69000),
    ("WORK-INSTALL", N_("New installation"), "work", 99000),
    ("FEE-TRAVEL", N_("Technician's travel"), "fee", 25000),
)
LOANS = (
    LoanTerms(
        "PUJCKA",
        "Půjčka Klasik",
        Decimal(20000),
        Decimal(500000),
        12,
        96,
        Decimal("8.9"),
        40,
        "CZK",
    ),
    LoanTerms(
        "PUJCKA-MINI",
        "Minipůjčka",
        Decimal(5000),
        Decimal(50000),
        6,
        24,
        Decimal("14.9"),
        30,
        "CZK",
    ),
)
TEAMS = ("sever", "jih", "zapad", "vychod")
TEAM_NAMES = {
    "sever": N_("Team North"),
    "jih": N_("Team South"),
    "zapad": N_("Team West"),
    "vychod": N_("Team East"),
}


def build_orders(ws: Workstation, lead: Actor, operators: list[Actor], rng: random.Random) -> None:
    towns = _register(ws, lead, rng)
    start = ws.calls.clock().date().replace(day=1) - timedelta(days=90)
    ws.catalog.add(
        lead, [ProductItem(c, _(n), k, p, "CZK", start, description=_(n)) for c, n, k, p in ITEMS]
    )
    for terms in LOANS:
        ws.order_setup.save_loan_product(lead, terms)
    _teams(ws, lead, towns)
    _orders(ws, operators[0], rng)


def _register(ws: Workstation, lead: Actor, rng: random.Random) -> list[int]:
    """One register file per demo town, every customer's address a point of it."""
    with ws.db.read() as session:
        rows = session.execute(
            select(
                customer_column("city"),
                customer_column("street"),
                customer_column("house_number"),
                customer_column("postal_code"),
            ).where(customer_column("city") != "", customer_column("street") != "")
        ).all()
    by_town: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    for city, street, number, postal in rows:
        if number.split("/")[0].isdigit():
            by_town[city].add((street, number, postal.replace(" ", "")))
    codes = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, (town, points) in enumerate(sorted(by_town.items())):
            code = 700000 + index
            codes.append(code)
            path = Path(folder) / f"20261101_OB_{code}_ADR.csv"
            path.write_bytes(
                _town_file(code, town, sorted(points), rng).encode("cp1250", "replace")
            )
            paths.append(path)
        ws.register.import_files(lead, paths)
    return codes


def _town_file(code: int, town: str, points: list[tuple[str, str, str]], rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    out.write(HEADER + "\r\n")
    y, x = rng.uniform(450000, 850000), rng.uniform(950000, 1200000)
    streets: dict[str, int] = {}
    used: set[tuple[str, str]] = set()
    for number_index, (street, number, postal) in enumerate(points):
        house, _slash, orientation = number.partition("/")
        if (street, house) in used:
            continue
        used.add((street, house))
        street_code = streets.setdefault(street, code * 100 + len(streets))
        writer.writerow(
            [
                code * 1000 + number_index,
                code,
                town,
                "",
                "",
                "",
                "",
                code * 10,
                town,
                street_code,
                street,
                "č.p.",
                house,
                orientation,
                "",
                postal if postal.isdigit() and len(postal) == 5 else "10000",
                f"{y + rng.uniform(-3000, 3000):.2f}",
                f"{x + rng.uniform(-3000, 3000):.2f}",
                "2020-01-01T00:00:00",
            ]
        )
    return out.getvalue()


def _teams(ws: Workstation, lead: Actor, towns: list[int]) -> None:
    shares: dict[str, list[int]] = {team: [] for team in TEAMS}
    for index, town in enumerate(towns):
        shares[TEAMS[index % len(TEAMS)]].append(town)
    for team, served in shares.items():
        base = _a_point(ws, served[0]) if served else None
        ws.dispatch.save_team(
            lead,
            TeamDraft(
                team,
                _(TEAM_NAMES[team]),
                tuple(served),
                (),
                base.code if base else None,
                "123456" if team == "sever" else "12345",
            ),
        )


def _a_point(ws: Workstation, town: int) -> ChosenAddress | None:
    """Some address point of the town: the team's base."""
    for street in ws.addresses.streets(town, "a", limit=3):
        check = ws.addresses.check_number(town, street.key, "1")
        points = check.points
        if not points and check.nearest:
            points = ws.addresses.check_number(town, street.key, check.nearest[0]).points
        if points:
            return ChosenAddress(points[0].code, points[0].text())
    return None


def _orders(ws: Workstation, operator: Actor, rng: random.Random) -> None:
    """A few orders of callers whose address is in the register: two visits booked (the
    first missed and re-booked), a loan, a taxi, a web order confirmed, a kept draft."""
    with ws.db.read() as session:
        customers = list(
            session.execute(
                select(
                    col(Customer.id),
                    customer_column("city"),
                    customer_column("street"),
                    customer_column("house_number"),
                )
                .where(customer_column("street") != "")
                .limit(200)
            )
        )
    rng.shuffle(customers)
    kinds = [
        OrderKind.EQUIPMENT,
        OrderKind.EQUIPMENT,
        OrderKind.LOAN,
        OrderKind.TAXI,
        OrderKind.WEB,
        OrderKind.SERVICE,
    ]
    for customer_id, city, street, number in customers:
        address = _their_address(ws, city, street, number)
        if address is None or not kinds:
            continue
        try:
            _one_order(ws, operator, kinds[0], customer_id, address, first=len(kinds) == 6)
        except ServiceError:
            continue
        kinds.pop(0)


def _their_address(ws: Workstation, city: str, street: str, number: str) -> ChosenAddress | None:
    towns = ws.addresses.towns(city, limit=1)
    if not towns:
        return None
    streets = ws.addresses.streets(towns[0].code, street, limit=1)
    if not streets:
        return None
    said = number.split("/")[0]
    points = ws.addresses.check_number(towns[0].code, streets[0].key, said).points
    return ChosenAddress(points[0].code, points[0].text()) if points else None


def _a_visit(
    ws: Workstation,
    operator: Actor,
    customer_id: uuid.UUID,
    address: ChosenAddress,
    *,
    missed: bool,
) -> None:
    """An equipment order with a visit; the missed one was taken a week ago for a slot
    gone by since (a visit can be reported missed only once its slot has begun)."""
    assert address.code is not None
    dispatch, desk = ws.dispatch, ws.orders
    if missed:
        then = stopped_clock(ws.calls.clock() - timedelta(days=7))
        zone, region = ws.settings.timezone, ws.settings.default_region
        dispatch = Dispatch(ws.db, then, zone)
        desk = OrderDesk(ws.db, then, zone, region, dispatch)
    slots = dispatch.free_slots(address.code, days=6 if missed else 30, limit=1)
    if not slots:
        raise ServiceError("no slot")
    draft = OrderDraft(
        OrderKind.EQUIPMENT,
        customer_id,
        {"work": "WORK-SWAP", "pay_method": "account"},
        address,
        lines=(("MAT-ROUTER", "1"), ("MAT-CABLE", "2")),
        slot=slots[0],
    )
    stored = desk.submit(operator, draft)
    if missed:
        apology = _("We apologised: the technician did not come; we confirm a new date.")
        ws.orders.report_missed(operator, stored.id, apology)


def _one_order(
    ws: Workstation,
    operator: Actor,
    kind: OrderKind,
    customer_id: uuid.UUID,
    address: ChosenAddress,
    *,
    first: bool,
) -> None:
    today = ws.calls.clock().date()
    if kind is OrderKind.EQUIPMENT:
        _a_visit(ws, operator, customer_id, address, missed=first)
        return
    values = {
        OrderKind.LOAN: {
            "loan_product": "PUJCKA",
            "amount": "120000",
            "months": "48",
            "income": "38000",
            "purpose": _("kitchen renovation"),
            "employment": "employed",
        },
        OrderKind.TAXI: {"when": "+2h", "passengers": "2", "notes": _("a large suitcase")},
        OrderKind.WEB: {
            "web_number": "W-2026-0412",
            "items": f"1× {_('Wi-Fi 6 router')}\n1× {_('TV set-top box')}",
            "delivery": (today + timedelta(days=3)).strftime("%d.%m.%Y"),
            "confirmation": "confirmed",
        },
        OrderKind.SERVICE: {
            "product": "NET-1000",
            "effective": (today + timedelta(days=7)).strftime("%d.%m.%Y"),
        },
    }[kind]
    destination = address if kind is OrderKind.TAXI else None
    draft = OrderDraft(kind, customer_id, values, address, destination)
    if kind is OrderKind.SERVICE:
        ws.orders.keep_draft(operator, draft)
    else:
        ws.orders.submit(operator, draft)
