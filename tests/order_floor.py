"""An orders floor for the tests: the register's sample towns, two Prague teams, materials,
the technician's work and a travel fee in the catalogue, and a loan product."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from cc_terminal.models import OrderKind
from cc_terminal.services.catalog import ProductItem
from cc_terminal.services.dispatch import TeamDraft
from cc_terminal.services.loans import LoanTerms
from cc_terminal.services.order_forms import ChosenAddress, OrderDraft
from cc_terminal.services.views import Actor
from cc_terminal.services.workstation import Workstation

SAMPLES = Path(__file__).parent.parent / "data" / "samples"
PRAHA = 554782
ELEKTRARNY_9 = 12345678
ELEKTRARNY_20 = 12345681
MIRU_820 = 12345690
LOAN = "PUJCKA"
ITEMS = [
    ("ROUTER-AX", "Wi-Fi 6 router", "material", 249000),
    ("CABLE-5", "Cable, 5 m", "material", 9900),
    ("WORK-VISIT", "Technician's work", "work", 69000),
    ("FEE-TRAVEL", "Travel", "fee", 25000),
]


def set_up_orders(ws: Workstation, lead: Actor) -> None:
    ws.register.import_files(lead, sorted(SAMPLES.glob("*_OB_*_ADR.csv")))
    ws.dispatch.save_team(
        lead,
        TeamDraft(
            "praha-sever",
            "Praha sever",
            (PRAHA,),
            (),
            ELEKTRARNY_20,
            "12345",
            ("08:00-10:00", "10:00-12:00"),
        ),
    )
    ws.dispatch.save_team(
        lead,
        TeamDraft(
            "praha-jih", "Praha jih", (), ("120", "170"), MIRU_820, "12345", ("13:00-15:00",)
        ),
    )
    ws.catalog.add(
        lead,
        [
            ProductItem(code, name, kind, price, "CZK", date(2026, 1, 1))
            for code, name, kind, price in ITEMS
        ],
    )
    ws.order_setup.save_loan_product(
        lead,
        LoanTerms(
            LOAN,
            "Půjčka Klasik",
            Decimal(20000),
            Decimal(500000),
            12,
            96,
            Decimal("8.9"),
            40,
            "CZK",
        ),
    )


def at(ws: Workstation, code: int = ELEKTRARNY_9) -> ChosenAddress:
    address = ws.addresses.point(code)
    assert address is not None
    return ChosenAddress(address.code, address.text())


def equipment(ws: Workstation, customer: uuid.UUID, **values: str) -> OrderDraft:
    """A router and two cables with a visit in the first free slot at Elektrarny 9."""
    slot = ws.dispatch.free_slots(ELEKTRARNY_9, limit=1)[0]
    typed = {"work": "WORK-VISIT", "pay_method": "account", **values}
    return OrderDraft(
        OrderKind.EQUIPMENT,
        customer,
        typed,
        at(ws),
        lines=(("ROUTER-AX", "1"), ("CABLE-5", "2")),
        slot=slot,
    )
