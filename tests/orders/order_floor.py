"""An orders floor for the tests: the register's sample towns, two Prague teams, materials,
the technician's work and a travel fee in the catalogue, and a loan product; and register
files of addresses alike (a lettered number beside an exact one, evidence numbers, towns of
the same name)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from cc_terminal.models import OrderKind
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.dispatch import TeamDraft
from cc_terminal.services.orders.loans import LoanTerms
from cc_terminal.services.orders.values import ChosenAddress, OrderDraft
from cc_terminal.services.workstation import Workstation

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
PRAHA = 554782
ELEKTRARNY_9 = 12345678
ELEKTRARNY_20 = 12345681
MIRU_820 = 12345690
LOAN = "PUJCKA"
REGISTER_HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód obvodu Prahy;Název obvodu Prahy;"
    "Kód části obce;Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;"
    "Číslo orientační;Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
MILOVICE, LHOTA_A, LHOTA_B, LHOTA_C = 500030, 500011, 500020, 500040
ALIKE = {
    MILOVICE: [
        "1;500030;Milovice;;;;;1;Milovice;11;Náměstí Míru;č.p.;1254;3;;28923;;;",
        "2;500030;Milovice;;;;;1;Milovice;11;Náměstí Míru;č.p.;1255;3;a;28923;;;",
        "3;500030;Milovice;;;;;1;Milovice;12;U Chat;č.ev.;12;;;28923;;;",
        "4;500030;Milovice;;;;;1;Milovice;12;U Chat;č.ev.;14;;;28923;;;",
    ],
    LHOTA_A: ["5;500011;Lhota;;;;;2;Lhota;;;č.p.;1;;;25001;;;"],
    LHOTA_B: ["6;500020;Lhota;;;;;3;Lhota;;;č.p.;1;;;27301;;;"],
    LHOTA_C: ["7;500040;Lhota;;;;;4;Lhota;;;č.p.;1;;;25001;;;"],
}
ITEMS = [
    ("ROUTER-AX", "Wi-Fi 6 router", "material", 249000),
    ("CABLE-5", "Cable, 5 m", "material", 9900),
    ("WORK-VISIT", "Technician's work", "work", 69000),
    ("FEE-TRAVEL", "Travel", "fee", 25000),
]
APOLOGY = "Omluvili jsme se, technik přijede zítra."  # what a lead tells the client of a miss


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


def alike_files(folder: Path) -> list[Path]:
    """A square of 1254/3 and 1255/3a and a street of recreational buildings (č.ev. only) in
    Milovice, and three towns called Lhota: two with their own postal codes, two sharing one."""
    paths = []
    for code, rows in ALIKE.items():
        path = folder / f"20261101_OB_{code}_ADR.csv"
        path.write_bytes("\r\n".join([REGISTER_HEADER, *rows, ""]).encode("cp1250"))
        paths.append(path)
    return paths
