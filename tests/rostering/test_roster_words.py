"""The roster's words: its status in the singular, the denials' order and names, and the
printout's shift marks in the language shown."""

from __future__ import annotations

from datetime import timedelta

from cc_terminal.i18n import set_language
from cc_terminal.models import RequestState
from tests.rostering.test_roster_rules import WEEK, marks, published


def test_one_granted_request_is_said_in_the_singular(ws, lead):
    from tests.rostering.days_off_floor import PASSWORD, set_up_days_off

    set_up_days_off(ws)
    eva = ws.auth.login("eva", PASSWORD)
    (friday,) = [
        r.id
        for r in ws.days_off.requests(lead, WEEK)
        if r.operator_id == eva.operator_id and r.day == WEEK + timedelta(days=4)
    ]
    ws.days_off.decide(lead, [friday], RequestState.REJECTED, "short on Friday")
    ws.roster.solve(lead, WEEK)
    assert ws.roster.view(lead, WEEK).status == "1 request granted, 1 not; optimal"


def test_denials_are_listed_by_day_then_name_and_name_who_left_the_team(ws, lead):
    from tests.rostering.days_off_floor import PASSWORD, set_up_days_off

    set_up_days_off(ws)
    thursday = WEEK + timedelta(days=3)
    for username in ("tomas", "lucie", "eva"):  # Thursday needs all six
        person = ws.auth.login(username, PASSWORD)
        ws.days_off.submit(person, [ws.days_off.file(person, thursday, "", 2, "")])
    ws.roster.solve(lead, WEEK)
    ws.accounts.deactivate(lead, "karel")
    denied = ws.roster.view(lead, WEEK).denied
    assert [(d.day, d.operator_name) for d in denied] == sorted(
        (d.day, d.operator_name) for d in denied
    )
    assert {"Karel Malý", "Lucie Kučerová", "Tomáš Procházka"} <= {d.operator_name for d in denied}


def test_the_printout_marks_the_shifts_in_the_language_shown(ws, lead):
    published(ws, lead)
    week = marks(ws, lead)
    set_language("cs")
    try:
        lines = ws.roster.week_text(lead, WEEK).splitlines()
    finally:
        set_language("en")
    assert lines[1] == "R ranní 06-14, O odpolední 14-22, - volno"
    letter = {"early": "R", "late": "O", "off": "-"}
    assert lines[4:] == [
        f"{name[:23]:<23} " + "".join(letter[m].ljust(8) for m in week[name]).rstrip()
        for name in sorted(week)
    ]
