"""The calling window holds for every call, agreed callbacks too (SQLite and PostgreSQL):
a due callback waits for the window; a callback typed outside it moves to the window's next
opening and the operator is told; the card says when and by whom it was agreed; and the
pick (N), the list's "to call now" and its "Next" column follow one rule."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from cc_terminal.models import Lead
from cc_terminal.services.common.errors import ValidationFailed
from tests.outbound.outbound_floor import SALES, SURVEY, add, close, set_up_campaigns

PRAGUE = ZoneInfo("Europe/Prague")


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws


def prague(*moment: int) -> datetime:
    return datetime(*moment, tzinfo=PRAGUE).astimezone(UTC)


def lead_ids(ws) -> dict[str, object]:
    with ws.db.read() as session:
        return {lead.phone_e164: lead.id for lead in session.scalars(select(Lead))}


def test_a_due_callback_is_offered_only_inside_the_window(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777500001", "Saturday Callback")], "hot")
    card = floor.outbound.next_lead(jana)  # Friday 27.11. 09:30
    close(floor, jana, card, "CALLBK", callback="so 17:00")  # Saturday, inside 10-18
    clock.now = prague(2026, 11, 28, 20, 30)  # Saturday 20:30: due, the window closed
    assert floor.outbound.next_lead(jana) is None
    assert floor.outbound.callbacks_due(jana) == 0
    (row,) = floor.outbound.my_leads(jana)
    assert not row.callable_now and row.next_call_at == prague(2026, 11, 30, 9, 0)
    clock.now = prague(2026, 11, 30, 9, 0)  # Monday: the window opens
    again = floor.outbound.next_lead(jana)
    assert again.customer.full_name == "Saturday Callback"
    close(floor, jana, again, "CALLBK", callback="19:30")  # Monday 19:30, inside 9-20
    clock.now = prague(2026, 11, 30, 21, 47)  # a weekday, 21:47
    assert floor.outbound.next_lead(jana) is None
    assert floor.outbound.callbacks_due(jana) == 0
    clock.now = prague(2026, 12, 1, 9, 0)
    assert floor.outbound.callbacks_due(jana) == 1
    assert floor.outbound.next_lead(jana).customer.full_name == "Saturday Callback"


@pytest.mark.parametrize(
    ("typed", "stored", "note"),
    [
        ("so 20:30", (2026, 11, 30, 9, 0), "Outside calling hours: moved to Mon 9:00"),
        ("ne 10:00", (2026, 11, 30, 9, 0), "Outside calling hours: moved to Mon 9:00"),
        ("21:47", (2026, 11, 28, 10, 0), "Outside calling hours: moved to Sat 10:00"),
        ("24.12. 10:00", (2026, 12, 28, 9, 0), "Outside calling hours: moved to Mon 28.12. 9:00"),
        ("po 10:00", (2026, 11, 30, 10, 0), ""),
    ],
)
def test_a_callback_typed_outside_the_window_moves_to_its_next_opening(
    floor, lead, jana, clock, typed, stored, note
):
    add(floor, lead, SALES, [("+420777500011", "Evening Caller")], "hot")
    card = floor.outbound.next_lead(jana)
    closed = close(floor, jana, card, "CALLBK", callback=typed)
    assert closed.callback_at == prague(*stored)
    from cc_terminal.services.outbound.callback_window import moved_note, place_callback

    placed = place_callback(typed, clock.now, "Europe/Prague", card.calling_hours)
    assert moved_note(placed, clock.now, "Europe/Prague") == note  # what the chord says


def test_the_card_says_when_and_by_whom_the_callback_was_agreed(floor, lead, jana, petr, clock):
    add(floor, lead, SALES, [("+420777500021", "Agreed Callback")], "hot")
    card = floor.outbound.next_lead(jana)
    agreed = clock.now
    close(floor, jana, card, "CALLBK", callback="+1h", callback_personal=False)
    clock.advance(3600)
    again = floor.outbound.next_lead(petr)  # a shared callback: anyone may take it
    assert again.callback_at == agreed + timedelta(hours=1)
    assert (again.callback_agreed_at, again.callback_agreed_by) == (agreed, "Jana Svobodová")


def test_a_lead_opened_outside_its_window_is_not_claimed_and_says_when(floor, lead, jana, clock):
    add(floor, lead, SALES, [("+420777500031", "Late Evening")], "hot", assign_to=("jana",))
    clock.now = prague(2026, 11, 27, 21, 47)
    card = floor.outbound.open_lead(jana, lead_ids(floor)["+420777500031"])
    assert not card.legal.allowed and "they open Sat 28.11. 10:00" in card.legal.reason
    assert card.status == "open"  # not claimed: nobody calls them now
    with pytest.raises(ValidationFailed) as failed:
        close(floor, jana, card, "N")
    assert "Outside the calling hours" in failed.value.errors["lead"]


# Who is on jana's list, and which of them N may take at each moment (all assigned to her).
PEOPLE = {
    "+420777600001": ("Hot Sales", SALES, "hot"),
    "+420777600002": ("Cold Blocked", SALES, "cold"),  # no consent: never
    "+420777600003": ("Cold Consented", SALES, "cold"),
    "+420777600004": ("Survey Person", SURVEY, "cold"),
    "+420777600005": ("Retry Later", SALES, "hot"),  # no answer at 09:30: again at 11:30
    "+420777600006": ("Callback Person", SALES, "hot"),  # agreed for 10:00
    "+442079460123": ("London Lead", SALES, "hot"),  # 9-20 in London: 10-21 in Prague
}
ALL_BUT_BLOCKED = {name for name, _c, _t in PEOPLE.values()} - {"Cold Blocked"}
MOMENTS = [
    (prague(2026, 11, 27, 9, 30), {"Hot Sales", "Cold Consented", "Survey Person"}),
    (prague(2026, 11, 27, 20, 30), {"London Lead"}),  # closed in Prague, open in London
    (prague(2026, 11, 28, 11, 0), ALL_BUT_BLOCKED),  # Saturday 10-18
    (prague(2026, 11, 29, 11, 0), set()),  # Sunday
    (prague(2026, 12, 24, 11, 0), set()),  # Christmas Eve, a public holiday
    (prague(2026, 12, 28, 10, 0), ALL_BUT_BLOCKED),  # the Monday after Christmas
]


def jana_floor(ws, lead, jana):
    for phone, (name, campaign, temperature) in PEOPLE.items():
        consent = name == "Cold Consented"
        add(ws, lead, campaign, [(phone, name)], temperature, ("jana",), consent=consent)
    ids = lead_ids(ws)
    retry = ws.outbound.open_lead(jana, ids["+420777600005"])
    close(ws, jana, retry, "N")
    callback = ws.outbound.open_lead(jana, ids["+420777600006"])
    close(ws, jana, callback, "CALLBK", callback="10:00")
    return {lead_id: PEOPLE[phone][0] for phone, lead_id in ids.items()}


def test_the_pick_the_count_and_the_next_column_follow_one_rule(floor, lead, jana, clock):
    names = jana_floor(floor, lead, jana)
    seen = []
    for moment, callable_names in MOMENTS:
        clock.now = moment
        rows = floor.outbound.my_leads(jana)
        taken = take_all(floor, jana)
        assert {names[lead_id] for lead_id in taken} == callable_names, moment
        seen.append((moment, rows, taken))
    from cc_terminal.screens.outbound.text import count_line, next_call
    from cc_terminal.services.outbound.calling_rules import CallingHours

    for moment, rows, taken in seen:
        marked = {row.id for row in rows if row.callable_now}
        assert marked == taken, moment
        assert f"{len(rows)} leads, {len(marked)} to call now." in count_line(rows)
        for row in rows:
            shown = next_call(row, PRAGUE).plain
            assert (shown == "now") == (row.id in marked), (moment, row.customer_name)
            if row.customer_name == "Cold Blocked":
                assert row.blocked and shown == "blocked"
            elif row.id not in marked:  # when N will take it: a later moment, in its window
                hours = CallingHours("09:00-20:00", "10:00-18:00", row_zone(row))
                assert row.next_call_at > moment and hours.open_at(row.next_call_at)
                assert shown == row.next_call_at.astimezone(PRAGUE).strftime("%d.%m. %H:%M")


def take_all(ws, actor) -> set:
    """Every lead N gives the operator now (each claimed once), given back afterwards."""
    taken = []
    while (card := ws.outbound.next_lead(actor)) is not None:
        taken.append(card.lead_id)
    for lead_id in taken:
        ws.outbound.release(actor, lead_id)
    return set(taken)


def row_zone(row) -> str:
    return "Europe/London" if row.phone_e164.startswith("+44") else "Europe/Prague"


async def test_f3_says_what_n_would_do_and_where_a_callback_goes(sqlite_url, tmp_path, clock):
    """The list counts and marks only what N may take (a lead without consent is "blocked",
    not "now"); the chord says, while the time is typed, that it moves into the window; the
    card of the callback says when it was agreed, and by whom."""
    from cc_terminal.screens.outbound.outbound import OutboundScreen
    from tests.conftest import login
    from tests.tui import SIZE, make_app, settle, sign_in, type_text

    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        add(ws, lead, SALES, [("+420777700001", "Cold Blocked")], "cold", ("jana",))
        add(ws, lead, SALES, [("+420777700002", "Hot Evening")], "hot", ("jana",))
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OutboundScreen)
        assert "2 leads, 1 to call now." in str(screen.query_one("#lead-count").text)
        assert [str(row[0]) for row in screen.query_one("#leads").rows] == ["now", "blocked"]
        await pilot.press("n")
        await settle(pilot)  # the lead is claimed and open: only then does Ctrl+E close it
        assert screen.lead_open
        await pilot.press("ctrl+e", "3")
        await settle(pilot)
        await type_text(pilot, "so 20:30")
        await settle(pilot)
        note = str(app.screen.query_one("#chord-callback-note").content)
        assert note == "Outside calling hours: moved to Mon 9:00"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and not screen.lead_open
        assert "2 leads, 0 to call now." in str(screen.query_one("#lead-count").text)
        clock.now = prague(2026, 11, 30, 9, 0)
        await pilot.press("n")
        await settle(pilot)
        assert screen.lead_open and screen.card.customer.full_name == "Hot Evening"
        said = str(screen.query_one("#lead-callback").text)
        assert said == "Callback for 30.11. 09:00, agreed 27.11. 09:30 by Jana Svobodová."
