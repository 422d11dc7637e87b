"""Field teams and visit slots on SQLite and PostgreSQL: who serves an address, free slots
soonest and nearest first, and a slot booked once even when operators race for it; each
wrong team field's exact message, a team kept tidy and changed as its next version, no
visit on a holiday, and a booking's who, when and note."""

import threading
import time
import uuid
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


DAYS = "Weekday numbers, Monday 1 to Sunday 7: 12345."
PREFIXES = "Postal-code prefixes are 1 to 5 digits."
ONE_SLOT = "At least one visit slot, such as 08:00-10:00."
BAD_TEAMS = [
    (
        TeamDraft("Bad Code", "", (), ("17x",), 1, "89", ("9-8",)),
        {
            "code": "1 to 40 small letters, digits, - or _.",
            "name": "Required.",
            "working_days": DAYS,
            "slots": "9-8: Write the window as 09:00-20:00, or leave it empty for none.",
            "area": PREFIXES,
            "base": "No such address point in the register.",
        },
    ),
    (TeamDraft("x", "X"), {"area": "Say which towns or postal codes the team serves."}),
    (
        TeamDraft("x" * 41, "X", (PRAHA,), (), None, "12345", ()),
        {
            "code": "1 to 40 small letters, digits, - or _.",
            "slots": ONE_SLOT,
        },
    ),
    (
        TeamDraft("x", "X", (), ("123456",), None, "", ("08:00-10:00", "25:00-26:00")),
        {"working_days": DAYS, "slots": "25:00-26:00: No such time of day.", "area": PREFIXES},
    ),
    (TeamDraft("x", "X", (), ("",)), {"area": PREFIXES}),
    (TeamDraft("x", "X", (PRAHA,), (), None, "1230"), {"working_days": DAYS}),
    (TeamDraft("x", "X", (PRAHA,), (), None, "12345", ("", " ")), {"slots": ONE_SLOT}),
]


@pytest.mark.parametrize(("draft", "errors"), BAD_TEAMS)
def test_each_wrong_team_field_says_exactly_what_is_wrong_and_nothing_is_kept(
    floor, lead, draft, errors
):
    before = floor.dispatch.teams()
    with pytest.raises(ValidationFailed) as refused:
        floor.dispatch.save_team(lead, draft)
    assert refused.value.errors == errors
    assert floor.dispatch.teams() == before


def test_a_team_is_kept_tidy_listed_by_name_and_changed_as_its_next_version(floor, lead):
    from cc_terminal.models.dispatch import FieldTeam

    edge = TeamDraft(
        "a-1_" + "z" * 36,
        " Zličín team ",
        (PRAHA, KOLIN),
        ("12", "17000"),
        ELEKTRARNY_20,
        "5321",
        ("8:00-10:00", "13:00-15:00"),
    )
    floor.dispatch.save_team(lead, edge)
    teams = floor.dispatch.teams()
    assert [t.name for t in teams] == ["Kolín", "Praha jih", "Praha sever", "Zličín team"]
    assert teams[-1] == TeamDraft(
        edge.code,
        "Zličín team",
        (PRAHA, KOLIN),
        ("12", "17000"),
        ELEKTRARNY_20,
        "1235",
        ("08:00-10:00", "13:00-15:00"),
        True,
    )
    floor.dispatch.save_team(lead, TeamDraft(edge.code, "Zličín", (KOLIN,), active=False))
    with floor.db.read() as session:
        row = session.scalars(select(FieldTeam).where(FieldTeam.code == edge.code)).one()
        assert (row.version, row.base_y, row.base_x) == (2, None, None)
    assert floor.dispatch.teams()[-1] == TeamDraft(edge.code, "Zličín", (KOLIN,), active=False)
    assert edge.code not in {t.code for t in floor.dispatch.teams(active_only=True)}
    assert {s.team_code for s in floor.dispatch.free_slots(KUTNOHORSKA_41, days=14)} == {"kolin"}


def test_no_visit_on_a_public_holiday_and_the_first_free_slots_by_limit(floor, clock):
    slots = floor.dispatch.free_slots(ELEKTRARNY_9, days=31)
    days = {s.day for s in slots}
    assert {date(2026, 12, 23), date(2026, 12, 28)} <= days  # before and after Christmas
    assert not days & {date(2026, 12, 24), date(2026, 12, 25)}  # Christmas, Thursday and Friday
    assert max(days) <= clock.now.date() + timedelta(days=31)
    assert floor.dispatch.free_slots(ELEKTRARNY_9, days=31, limit=3) == slots[:3]
    assert floor.dispatch.free_slots(ELEKTRARNY_9, days=0) == []  # today's 08:00 has begun


def test_a_booking_keeps_who_when_and_the_note_and_a_full_diary_says_so(floor, lead, jana, clock):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    (slot,) = floor.dispatch.free_slots(KUTNOHORSKA_41, days=7)  # Kolín's one Saturday
    with pytest.raises(NotFound) as missing:
        floor.dispatch.book(jana, "no-team", slot.day, slot.slot, customer, KUTNOHORSKA_41)
    assert str(missing.value) == "No field team no-team."
    clock.advance(60)
    booked = floor.dispatch.book(
        jana, "kolin", slot.day, slot.slot, customer, KUTNOHORSKA_41, "n" * 600
    )
    with floor.db.read() as session:
        row = session.get(VisitBooking, booked)
        assert (row.booked_by, row.booked_at, row.note) == (jana.operator_id, clock(), "n" * 500)
        assert (row.day, row.slot, row.address_code) == (slot.day, slot.slot, KUTNOHORSKA_41)
    with pytest.raises(ConflictError) as taken:
        floor.dispatch.book(jana, "kolin", slot.day, slot.slot, customer, KUTNOHORSKA_41)
    assert str(taken.value) == (
        "That slot is taken. The next free one: Kolín, "
        f"{(slot.day + timedelta(days=7)):%d.%m.} 08:00-10:00."
    )
    assert not floor.dispatch.offered(KUTNOHORSKA_41, slot)


MONDAY, SATURDAY = date(2026, 11, 30), date(2026, 11, 28)
LATER_TODAY = ("09:00-11:00", "10:00-12:00", "13:00-15:00")


def test_on_one_slot_the_nearest_first_then_teams_without_a_base_by_code(floor, lead):
    for code in ("b-bez", "a-bez"):  # no base, so no distance; made in this order
        floor.dispatch.save_team(lead, TeamDraft(code, code.upper(), (PRAHA,)))
    floor.dispatch.save_team(lead, TeamDraft("a-sat", "Sobota", (PRAHA,), (), None, "6"))
    slots = floor.dispatch.free_slots(ELEKTRARNY_9, days=3)
    on = [(s.day, s.team_code) for s in slots if s.slot == "08:00-10:00"]
    assert [team for day, team in on if day == SATURDAY] == ["a-sat"]
    assert [team for day, team in on if day == MONDAY] == [
        "praha-sever",
        "praha-jih",
        "a-bez",
        "b-bez",
    ]
    assert {t.code for t in floor.dispatch.teams(active_only=True)} == {
        "a-bez",
        "a-sat",
        "b-bez",
        "kolin",
        "praha-jih",
        "praha-sever",
    }


def test_todays_slots_are_those_not_begun_by_the_floors_clock(floor, lead, jana, clock):
    floor.dispatch.save_team(lead, TeamDraft("den", "Den", (PRAHA,), slots=LATER_TODAY))
    today = clock.now.date()

    def today_free() -> list[str]:
        return [s.slot for s in floor.dispatch.free_slots(ELEKTRARNY_9, days=0)]

    assert today_free() == ["10:00-12:00", "13:00-15:00"]  # 09:30 in Prague: 09:00 has begun
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    floor.dispatch.book(jana, "den", today, "13:00-15:00", customer, ELEKTRARNY_9)
    clock.advance(1800)  # 10:00 sharp: that slot begins now
    assert today_free() == []


@pytest.fixture
def far_east_machine(monkeypatch):
    """The machine's own clock set to UTC+14, where it is tomorrow already."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_slots_follow_the_floors_time_zone_not_the_machines(
    floor, lead, jana, clock, far_east_machine
):
    floor.dispatch.save_team(lead, TeamDraft("den", "Den", (PRAHA,), slots=LATER_TODAY))
    clock.advance(2.5 * 3600)  # 12:00 on Friday in Prague, 01:00 on Saturday at UTC+14
    (today,) = floor.dispatch.free_slots(ELEKTRARNY_9, days=0)
    assert (today.day, today.slot) == (clock.now.date(), "13:00-15:00")
    assert floor.dispatch.offered(ELEKTRARNY_9, today)
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    floor.dispatch.book(jana, "den", today.day, today.slot, customer, ELEKTRARNY_9)
    assert bookings(floor) == 1


def test_a_booking_is_the_operators_write_and_may_be_weeks_ahead(floor, jana, clock):
    from cc_terminal.models import OutboxOp

    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    far = clock.now.date() + timedelta(days=35)
    far += timedelta(days=(7 - far.weekday()) % 7)  # a Monday, past the 30 days listed
    booked = floor.dispatch.book(jana, "praha-jih", far, "08:00-10:00", customer, ELEKTRARNY_9)
    with floor.db.read() as session:
        row = session.get(VisitBooking, booked)
        op = session.scalars(select(OutboxOp).where(OutboxOp.row_id == str(booked))).one()
    assert (row.day, row.note, op.actor_id) == (far, "", jana.operator_id)
    with pytest.raises(NotFound) as missing:
        floor.dispatch.book(jana, "praha-jih", far, "08:00-10:00", uuid.uuid4(), ELEKTRARNY_9)
    assert str(missing.value) == "No such customer."
    with pytest.raises(NotFound) as missing:
        floor.dispatch.free_slots(99999999)
    assert str(missing.value) == "No such address point in the register."


def test_a_slot_taken_a_moment_ago_on_another_terminal_names_the_next(floor, jana, petr):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    first, second = floor.dispatch.free_slots(KUTNOHORSKA_41, days=14)
    floor.dispatch.book(jana, "kolin", first.day, first.slot, customer, KUTNOHORSKA_41)
    # petr's terminal checked before jana's booking arrived: the database refuses the second
    floor.dispatch.offered = lambda address_code, wanted: True  # type: ignore[method-assign]
    with pytest.raises(ConflictError) as taken:
        floor.dispatch.book(petr, "kolin", first.day, first.slot, customer, KUTNOHORSKA_41)
    assert str(taken.value) == (
        f"That slot is taken. The next free one: Kolín, {second.day:%d.%m.} 08:00-10:00."
    )
    assert bookings(floor) == 1


def test_a_full_diary_says_no_team_has_a_free_slot_in_the_next_30_days(floor, jana):
    customer = floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    saturdays = floor.dispatch.free_slots(KUTNOHORSKA_41)  # 26 December is a holiday
    assert [s.day.day for s in saturdays] == [28, 5, 12, 19]
    for slot in saturdays:
        floor.dispatch.book(jana, "kolin", slot.day, slot.slot, customer, KUTNOHORSKA_41)
    with pytest.raises(ConflictError) as taken:
        floor.dispatch.book(jana, "kolin", slot.day, slot.slot, customer, KUTNOHORSKA_41)
    assert str(taken.value) == (
        "That slot is taken and no team has a free slot in the next 30 days."
    )
