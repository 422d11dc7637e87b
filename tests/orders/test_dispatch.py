"""Field teams and visit slots on SQLite and PostgreSQL: who serves an address, free slots
soonest and nearest first, and a slot booked once even when operators race for it."""

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import VisitBooking
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.orders.dispatch import TeamDraft
from tests.conftest import KNOWN_PHONE

SAMPLES = Path(__file__).parents[2] / "data" / "samples"
PRAHA, KOLIN = 554782, 533165
ELEKTRARNY_9 = 12345678  # Praha 7, 170 00
ELEKTRARNY_20 = 12345681  # the team's base, 45 m away
MIRU_820 = 12345690  # Praha 2, 120 00
KUTNOHORSKA_41 = 34567890  # Kolín


@pytest.fixture
def floor(ws, lead):
    ws.register.import_files(lead, sorted(SAMPLES.glob("*_OB_*_ADR.csv")))
    one_slot = ("08:00-10:00",)
    ws.dispatch.save_team(
        lead,
        TeamDraft("praha-sever", "Praha sever", (PRAHA,), (), ELEKTRARNY_20, "12345", one_slot),
    )
    ws.dispatch.save_team(
        lead, TeamDraft("praha-jih", "Praha jih", (), ("120", "170"), MIRU_820, "12345", one_slot)
    )
    ws.dispatch.save_team(lead, TeamDraft("kolin", "Kolín", (KOLIN,), (), None, "6", one_slot))
    return ws


def test_free_slots_soonest_then_nearest_team(floor, clock):
    # The clock stands on a weekday at 09:30 Prague time: today's 08:00 slot is gone.
    slots = floor.dispatch.free_slots(ELEKTRARNY_9, days=3)
    assert slots[0].day > clock.now.date()
    first_day = [s for s in slots if s.day == slots[0].day]
    assert [s.team_code for s in first_day] == ["praha-sever", "praha-jih"]  # nearest first
    assert first_day[0].distance_m == pytest.approx(69.9, abs=0.1)
    assert {s.team_code for s in floor.dispatch.free_slots(KUTNOHORSKA_41, days=14)} == {"kolin"}
    kolin = floor.dispatch.free_slots(KUTNOHORSKA_41, days=14)
    assert all(s.day.isoweekday() == 6 for s in kolin)  # works Saturdays only
    assert all(s.distance_m is None for s in kolin)  # no base: no distance


def test_a_slot_is_booked_once_and_the_next_is_offered(floor, jana, petr):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    free = floor.dispatch.free_slots(ELEKTRARNY_9, days=3)[0]
    floor.dispatch.book(jana, free.team_code, free.day, free.slot, customer, ELEKTRARNY_9)
    with pytest.raises(ConflictError) as taken:
        floor.dispatch.book(petr, free.team_code, free.day, free.slot, customer, ELEKTRARNY_9)
    assert "The next free one: Praha jih" in str(taken.value)
    assert free not in floor.dispatch.free_slots(ELEKTRARNY_9, days=3)
    with pytest.raises(NotFound):
        floor.dispatch.book(petr, "no-team", free.day, free.slot, customer, ELEKTRARNY_9)


def test_only_team_leads_set_up_teams_and_bad_teams_say_why(floor, lead, jana):
    with pytest.raises(PermissionDenied):
        floor.dispatch.save_team(jana, TeamDraft("x", "X", (PRAHA,)))
    with pytest.raises(ValidationFailed) as failed:
        floor.dispatch.save_team(lead, TeamDraft("Bad Code", "", (), ("17x",), 1, "89", ("9-8",)))
    assert set(failed.value.errors) == {"code", "name", "working_days", "slots", "area", "base"}


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_operators_racing_for_the_last_slot_on_postgresql(floor, jana, petr, lead):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    free = floor.dispatch.free_slots(ELEKTRARNY_9, days=3)[0]
    won, lost = [], []
    start = threading.Barrier(8)

    def book(actor):
        start.wait()
        try:
            floor.dispatch.book(actor, free.team_code, free.day, free.slot, customer, ELEKTRARNY_9)
            won.append(actor.username)
        except ConflictError:
            lost.append(actor.username)

    threads = [threading.Thread(target=book, args=(a,)) for a in [jana, petr, lead, jana] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1 and len(lost) == 7
    assert isinstance(free.day, date)


def test_an_address_no_team_serves_is_told_apart_from_a_full_diary(floor):
    trojanovice = 23456789
    assert floor.dispatch.free_slots(trojanovice) == []
    assert not floor.dispatch.serves(trojanovice)
    assert floor.dispatch.serves(ELEKTRARNY_9)


def bookings(floor) -> int:
    with floor.db.read() as session:
        return len(session.scalars(select(VisitBooking)).all())


def test_a_visit_is_booked_only_where_the_team_serves_not_in_the_past_on_its_working_day(
    floor, jana, clock
):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    free = floor.dispatch.free_slots(ELEKTRARNY_9, days=3)[0]
    kolin = floor.dispatch.free_slots(KUTNOHORSKA_41, days=14)[0]  # a Saturday
    today = clock.now.date()
    weekday = next(
        today + timedelta(days=n)
        for n in range(1, 8)
        if (today + timedelta(days=n)).isoweekday() < 6
    )
    refused = [
        ("kolin", kolin.day, kolin.slot, ELEKTRARNY_9),  # Kolín's team does not serve Praha 7
        (free.team_code, today - timedelta(days=1), free.slot, ELEKTRARNY_9),  # yesterday
        ("kolin", weekday, kolin.slot, KUTNOHORSKA_41),  # Kolín's team works Saturdays only
        (free.team_code, free.day, "10:00-12:00", ELEKTRARNY_9),  # a slot the team does not have
    ]
    for team, day, slot, address in refused:
        with pytest.raises(ConflictError):
            floor.dispatch.book(jana, team, day, slot, customer, address)
    assert bookings(floor) == 0
    floor.dispatch.book(jana, free.team_code, free.day, free.slot, customer, ELEKTRARNY_9)
    assert bookings(floor) == 1
