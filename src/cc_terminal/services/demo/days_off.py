"""The demo floor's days off: the planning rules, needs of two heads a weekday shift and one
at the weekend for the week after next, and requests from the operators in several states,
so F6 has something to review and solve."""

from __future__ import annotations

from datetime import timedelta

from cc_terminal.i18n import _
from cc_terminal.models import RequestState
from cc_terminal.services.common.views import Actor
from cc_terminal.services.workstation import Workstation


def build_days_off(ws: Workstation, lead: Actor, operators: list[Actor]) -> None:
    ws.days_off.set_rules(lead, 2, "18:00", 1, 5, 6)
    first, _last = ws.days_off.window()
    week = first + timedelta(days=7)
    for offset in range(7):
        day = week + timedelta(days=offset)
        for shift in ("early", "late"):
            ws.roster.set_need(lead, day, shift, 1 if offset >= 5 else 2)
    asked = [  # (operator, day of the week, shift, priority, note, decision)
        (1, 5, "", 1, _("family wedding"), RequestState.APPROVED),
        (2, 5, "", 2, _("a weekend away"), RequestState.WAITLISTED),
        (3, 1, "late", 3, _("dentist at 15:00"), None),
        (4, 4, "", 2, _("moving house"), None),
    ]
    for index, offset, shift, priority, note, decision in asked:
        if index >= len(operators):
            continue
        operator = operators[index]
        request = ws.days_off.file(operator, week + timedelta(days=offset), shift, priority, note)
        ws.days_off.submit(operator, [request])
        if decision is not None:
            ws.days_off.decide(lead, [request], decision)
