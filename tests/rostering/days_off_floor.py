"""A floor for the days-off screens: six operators, the rules, needs of two heads a shift
(three on Thursday, one on Sunday), and requests in every state for the week after next."""

from __future__ import annotations

from datetime import date, timedelta

from cc_terminal.models import RequestState
from cc_terminal.services.workstation import Workstation
from tests.conftest import login

WEEK = date(2026, 12, 7)  # the week after next, seen from Friday 27 November
MORE = (
    ("eva", "Eva Černá"),
    ("tomas", "Tomáš Procházka"),
    ("lucie", "Lucie Kučerová"),
    ("karel", "Karel Malý"),
)
PASSWORD = "operator-password"


def set_up_days_off(ws: Workstation) -> None:
    lead = login(ws, "lead")
    for username, name in MORE:
        ws.auth.create_operator(lead, username, name, "operator", PASSWORD, must_change=False)
    ws.days_off.set_rules(lead, 2, "18:00", 1, 5, 6)
    for offset in range(7):
        day = WEEK + timedelta(days=offset)
        for shift in ("early", "late"):
            ws.roster.set_need(lead, day, shift, {3: 3, 6: 1}.get(offset, 2))
    jana, petr = login(ws, "jana"), login(ws, "petr")
    eva = ws.auth.login("eva", PASSWORD)
    saturday = WEEK + timedelta(days=5)
    approved = ws.days_off.file(jana, saturday, "", 1, "family wedding")
    waiting = ws.days_off.file(petr, saturday, "", 2, "trip")
    rejected = ws.days_off.file(eva, WEEK + timedelta(days=1), "late", 3, "dentist")
    pending = ws.days_off.file(eva, WEEK + timedelta(days=4), "", 2, "long weekend")
    ws.days_off.submit(jana, [approved])
    ws.days_off.submit(petr, [waiting])
    ws.days_off.submit(eva, [rejected, pending])
    ws.days_off.decide(lead, [approved], RequestState.APPROVED)
    ws.days_off.decide(lead, [rejected], RequestState.REJECTED, "Tuesday late is short already")
    ws.days_off.decide(lead, [waiting], RequestState.WAITLISTED)
    ws.days_off.file(jana, WEEK + timedelta(days=2), "early", 2, "")  # a draft
    # Thursday needs all six: Karel's request cannot be granted, and the roster says why.
    karel = ws.auth.login("karel", PASSWORD)
    thursday = ws.days_off.file(karel, WEEK + timedelta(days=3), "", 2, "moving house")
    ws.days_off.submit(karel, [thursday])
