"""No key acts on a record after another is shown: a load answered late (F4's detail, F6's
week, F5's period, F3's card) is dropped once the screen has moved on, and a key waits for
the record on screen (Pilot, headless, real SQLite file). F2's call has its own file,
tests/calls/test_call_number_flow.py."""

import threading
from datetime import timedelta

import pytest
from textual.widgets import Select, Static, TextArea

from cc_terminal.models import RequestState
from cc_terminal.screens.orders.orders import OrdersScreen
from cc_terminal.screens.outbound.consent_form import ConsentForm
from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.screens.rostering.days_off import DaysOffScreen
from cc_terminal.screens.tally.dialogs import PickList
from cc_terminal.widgets.row_table import RowTable
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.orders.order_floor import equipment, set_up_orders
from tests.rostering.days_off_floor import WEEK, set_up_days_off
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


class Held:
    """Wraps a service method: calls go through until ``hold()``; then each call that
    ``when`` picks waits until ``release()``, as a slow store would."""

    def __init__(self, method, when=lambda *args, **kwargs: True, *, after=False) -> None:
        self.method = method
        self.when = when
        self.after = after  # wait with the answer read (and its transaction done)
        self.holding = False
        self.entered = threading.Event()
        self.released = threading.Event()
        self.answered = 0  # calls that have returned since hold()

    @classmethod
    def put_on(cls, service, name: str, when, *, after: bool = False) -> "Held":
        """Replace ``service.name`` by a held one, holding from now on."""
        held = cls(getattr(service, name), when, after=after)
        setattr(service, name, held)
        held.hold()
        return held

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.released.set()

    def __call__(self, *args, **kwargs):
        held = self.holding and self.when(*args, **kwargs)
        answer = self.method(*args, **kwargs) if self.after else None
        if held:
            self.entered.set()
            self.released.wait(10)
        if not self.after:
            answer = self.method(*args, **kwargs)
        self.answered += not held
        return answer


async def test_f4_a_detail_answered_after_the_list_emptied_is_not_acted_on(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = app.require_services()
        set_up_orders(ws, login(ws, "lead"))
        customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        jana = login(ws, "jana")
        for _order in range(2):
            ws.orders.submit(jana, equipment(ws, customer))
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and len(screen.rows) == 2
        second = screen.rows[1].id
        detail = Held.put_on(ws.order_book, "detail", lambda order_id: order_id == second)
        await pilot.press("down")  # the second order's detail is slow to come
        await wait_until(pilot, detail.entered.is_set)
        await pilot.press("slash")
        await type_text(pilot, "Xylofon")  # matches no order: the list empties
        await wait_until(pilot, lambda: screen.rows == [])
        detail.release()
        await settle(pilot)
        assert screen.current is None and not screen.check_action("missed", ())
        text = str(screen.query_one("#order-detail", Static).content)
        assert text == "No order highlighted."


async def days_off_of_the_week(pilot, tab: str) -> DaysOffScreen:
    """A team lead on F6's tab ``tab``, on the week the floor's requests are for."""
    await settle(pilot)
    set_up_days_off(pilot.app.require_services())
    await sign_in(pilot, "lead")
    await pilot.press("f6")
    await settle(pilot)
    await pilot.press(tab, "right_square_bracket")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DaysOffScreen) and screen.week == WEEK
    return screen


NEXT_WEEK = WEEK + timedelta(days=7)


async def test_f6_a_decision_waits_for_the_queue_of_the_week_shown(app):
    """] moves to the next week; until its requests are in, A must not approve the
    highlighted request of the week before."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await days_off_of_the_week(pilot, "2")
        ws = app.require_services()
        assert screen.query_one("#off-queue", RowTable).cell_texts(0)[1] == "Karel Malý"
        requests = Held.put_on(ws.days_off, "requests", lambda _actor, week: week == NEXT_WEEK)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, requests.entered.is_set)
        await pilot.press("a")
        await pilot.pause()
        requests.release()
        await settle(pilot)
        states = {r.operator_name: r.state for r in ws.days_off.requests(login(ws, "lead"), WEEK)}
        assert states["Karel Malý"] == RequestState.SUBMITTED
        assert screen.review is not None and screen.review.week == NEXT_WEEK
        assert screen.review.queue == []


async def test_f6_a_pin_waits_for_the_roster_of_the_week_shown(app):
    """] moves to the next week; until its roster is in, I must not offer the days of the
    week before (the pin stored one of them in the next week's roster)."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await days_off_of_the_week(pilot, "4")
        ws = app.require_services()
        view = Held.put_on(ws.roster, "view", lambda _actor, week: week == NEXT_WEEK)
        await pilot.press("right_square_bracket")
        await wait_until(pilot, view.entered.is_set)
        await pilot.press("i")
        await pilot.pause()
        picked = isinstance(app.screen, PickList)
        if picked:
            await pilot.press("enter")  # the first operator, the first day offered
        view.release()
        await settle(pilot)
        assert not picked
        outside = rows(
            ws,
            "SELECT c.day FROM roster_cell c JOIN roster r ON r.id = c.roster_id "
            "WHERE c.day < r.week_start OR c.day > :last",
            last=NEXT_WEEK + timedelta(days=6),
        )
        assert outside == []
        assert screen.roster is not None and screen.roster.week_start == NEXT_WEEK


async def test_f5_the_team_view_of_a_period_left_never_shows_under_the_next(app, clock):
    """[ then ] at once: the day before's team figures, answered last, must not fill the
    table under today's label (L would close the period shown with other figures)."""
    from tests.tally.tally_floor import set_up_tally

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = app.require_services()
        set_up_tally(ws, clock)
        await sign_in(pilot, "lead")
        await pilot.press("f5", "6")
        await settle(pilot)
        screen = app.screen
        today = screen.period
        figures = ws.tally.team_view(login(ws, "lead"), today)
        todays = {f.operator.full_name: str(f.kpis.handled) for f in figures}
        table = screen.query_one("#team-pane RowTable", RowTable)

        def shown() -> dict[str, str]:
            return {table.cell_texts(i)[0]: table.cell_texts(i)[2] for i in range(table.row_count)}

        team = Held.put_on(ws.tally, "team_view", lambda _actor, period: period != today)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, team.entered.is_set)
        await pilot.press("right_square_bracket")  # today's figures come in at once
        await wait_until(pilot, lambda: team.answered >= 1)
        await pilot.pause()
        team.release()  # then the day before's, late
        await settle(pilot)
        assert shown() == todays


def outbound_leads(app, *people):
    from tests.outbound.outbound_floor import SALES, add, set_up_campaigns

    ws = app.require_services()
    lead = login(ws, "lead")
    set_up_campaigns(ws, lead)
    add(ws, lead, SALES, list(people), "hot", assign_to=("jana",))
    return ws


async def outbound_lead_open(pilot) -> OutboundScreen:
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OutboundScreen) and screen.lead_open
    return screen


async def record_consent(pilot) -> None:
    await pilot.press("ctrl+g")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConsentForm)
    pilot.app.screen.query_one("#consent-source", Select).value = "earlier_call"
    await pilot.press("ctrl+s")


async def test_f3_a_consent_keeps_the_call_its_notes_and_its_timer(app):
    """Ctrl+G reads the lead again for its legal basis; the call on it goes on: the same
    call id (offers and escalations point at it), the same start, the notes typed."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = outbound_leads(app, ("+420777300041", "Hana Horká"))
        screen = await outbound_lead_open(pilot)
        before = screen.card
        await type_text(pilot, "Wants it in writing")
        await record_consent(pilot)
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)
        assert (screen.card.call_id, screen.card.opened_at) == (before.call_id, before.opened_at)
        assert screen.query_one("#lead-notes", TextArea).text == "Wants it in writing"
        await pilot.press("ctrl+e", "2", "1")
        await settle(pilot)
        assert rows(ws, "SELECT note FROM lead_attempt") == [("Wants it in writing",)]


async def test_f3_a_lead_read_again_after_its_call_closed_stays_closed(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = outbound_leads(app, ("+420777300051", "Hana Horká"))
        screen = await outbound_lead_open(pilot)
        reread = Held.put_on(ws.outbound, "open_lead", lambda *_args: True, after=True)
        await record_consent(pilot)
        await wait_until(pilot, reread.entered.is_set)  # read, not yet on screen
        await pilot.press("ctrl+e", "2", "1")
        await wait_until(pilot, lambda: not screen.lead_open)
        reread.release()
        await settle(pilot)
        assert not screen.lead_open and screen.card is None


async def test_f3_n_pressed_twice_shows_one_lead_and_gives_the_other_back(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        ws = outbound_leads(app, ("+420777300061", "Hana Horká"), ("+420777300062", "Ivo Ivan"))
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        take = Held.put_on(ws.outbound, "next_lead", lambda *_args: True, after=True)
        await pilot.press("n")
        await wait_until(pilot, take.entered.is_set)  # the first lead claimed, not yet shown
        take.holding = False
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.lead_open)
        shown = screen.card.lead_id
        take.release()
        await settle(pilot)
        assert screen.card.lead_id == shown
        claimed = rows(ws, "SELECT id FROM lead WHERE status = 'calling'")
        assert len(claimed) == 1


async def test_f3_enter_opens_the_lead_highlighted_when_the_list_came_back_reordered(app):
    """Enter's row number is on its way when the list comes back in another order (T made
    a lead warmer): the lead opened is the one highlighted, which the list keeps under the
    cursor, not whichever now has that row number."""
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        outbound_leads(app, ("+420777300071", "Hana Horká"), ("+420777300072", "Ivo Ivan"))
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#leads", RowTable)
        highlighted = screen.rows[0].id
        table.post_message(RowTable.Selected(table, 0))
        screen.show_list(tuple(reversed(screen.rows)))
        await settle(pilot)
        assert screen.lead_open and screen.card.lead_id == highlighted
