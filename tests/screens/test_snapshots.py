"""How each screen looks in its main states (pytest-textual-snapshot, at 120x40 and at 80x24,
the classic thin-client terminal; fixed clock)."""

import pytest

from cc_terminal.services.calls.requests import RequestDraft
from cc_terminal.widgets.call_timer import CallTimer
from tests.tui import (
    SIZE,
    choose_first_reason,
    make_app,
    seed_history,
    settle,
    sign_in,
    type_text,
    wait_until,
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


@pytest.fixture(params=[SIZE, (80, 24)], ids=["120x40", "80x24"])
def size(request):
    return request.param


def steps(*actions):
    async def run_before(pilot):
        for action in actions:
            await action(pilot)
        await settle(pilot)

    return run_before


def keys(*pressed):
    async def press(pilot):
        await pilot.press(*pressed)
        await settle(pilot)

    return press


def typed(text):
    async def type_it(pilot):
        await type_text(pilot, text)

    return type_it


def test_login(snap_compare, size, app):
    assert snap_compare(app, terminal_size=size, run_before=steps(settle))


def test_login_wrong_password(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(lambda p: sign_in(p, "jana", "nope-nope"))
    )


def test_incoming_empty(snap_compare, size, app):
    assert snap_compare(app, terminal_size=size, run_before=steps(sign_in))


def test_incoming_bad_number(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(sign_in, typed("601 12"), keys("enter"))
    )


def test_incoming_known_customer(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            choose_first_reason,
            keys("ctrl+n"),
            typed("Asked about roaming"),
        ),
    )


def test_incoming_end_call_without_reason(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), keys("ctrl+e")),
    )


def test_incoming_outcome_picker(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in, typed("601123456"), keys("enter"), choose_first_reason, keys("ctrl+e")
        ),
    )


def test_incoming_wrap_up_after_hang_up(snap_compare, size, app, clock):
    async def talk_then_hang_up(pilot):
        clock.advance(25)  # stays within 09:30, so the header clock cannot tick mid-snapshot
        await pilot.press("f9")
        clock.advance(7)
        # the timer's own tick comes every second of real time: drawn now, not by chance
        pilot.app.screen.query_one(CallTimer).refresh()

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), talk_then_hang_up),
    )


def test_quit_with_a_call_open(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), keys("ctrl+q")),
    )


def test_restore_an_unfinished_call(snap_compare, size, app, sqlite_url, tmp_path, clock):
    from datetime import timedelta

    from cc_terminal.config import Settings
    from cc_terminal.services.calls.drafts import DraftStore
    from cc_terminal.services.common.views import CallDraftState
    from cc_terminal.services.workstation import open_workstation
    from tests.conftest import KNOWN_PHONE, login

    ws = open_workstation(Settings(db_url=sqlite_url, data_dir=tmp_path))
    jana, card = login(ws, "jana"), ws.customers.lookup_phone(KNOWN_PHONE).matches[0]
    ws.close()
    started = clock() - timedelta(minutes=14)
    draft = CallDraftState(
        card.id,
        card.full_name,
        KNOWN_PHONE,
        started,
        None,
        "billing",
        "Invoice twice as high as last month; checking the roaming.",
    )
    DraftStore(tmp_path).save(jana.operator_id, draft)
    assert snap_compare(app, terminal_size=size, run_before=steps(sign_in))


def test_edit_customer_after_someone_else_saved(snap_compare, size, app):
    from cc_terminal.services.common.views import CustomerDraft
    from tests.conftest import PASSWORDS

    async def someone_else_saves(pilot):
        card = pilot.app.screen.editing
        services = pilot.app.services
        petr = services.auth.login("petr", PASSWORDS["petr"])
        theirs = CustomerDraft.from_card(card, phones="601123456", email="new@example.cz")
        services.customers.update(petr, card.id, theirs, card.version)
        pilot.app.screen.query_one("#customer-city").value = "Kladno"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("ctrl+u"),
            someone_else_saves,
            keys("ctrl+s"),
        ),
    )


def test_incoming_new_customer(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(sign_in, typed("777000111"), keys("enter"))
    )


def test_new_customer_with_errors(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("777000111"),
            keys("enter"),
            keys(*["tab"] * 6),
            typed("eva@"),
            keys("ctrl+s"),
        ),
    )


def test_shared_number_picker(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(sign_in, typed("602000111"), keys("enter"))
    )


def test_help(snap_compare, size, app):
    assert snap_compare(app, terminal_size=size, run_before=steps(sign_in, keys("f1")))


def history(app, clock, *, escalate=True):
    """``app``'s history, seeded into the app the pilot drives (the Czech picture's twin)."""

    async def seed(pilot):
        seed_history(pilot.app, clock, escalate=escalate)

    return seed


def test_card_with_its_ledger(snap_compare, size, app, clock):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, history(app, clock), typed("601123456"), keys("enter")),
    )


def test_ledger_filtered(snap_compare, size, app, clock):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            history(app, clock),
            typed("601123456"),
            keys("enter"),
            keys("ctrl+l", "slash"),
            typed("offer"),
        ),
    )


def test_name_search_picker(snap_compare, size, app):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(sign_in, typed("novak"), keys("enter"))
    )


def test_knowledge_search(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in, typed("601123456"), keys("enter"), keys("ctrl+k"), typed("intrenet")
        ),
    )


def test_offer_refused_without_a_reason(snap_compare, size, app):
    async def refuse(pilot):
        pilot.app.screen.query_one("#offer-answer").value = "no"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("ctrl+k"),
            keys("enter"),
            refuse,
            keys("ctrl+s"),
        ),
    )


def test_request_form_with_errors(snap_compare, size, app):
    async def bad_due(pilot):
        pilot.app.screen.query_one("#request-category").value = "complaint"
        await pilot.pause()
        pilot.app.screen.query_one("#request-due").value = "31.11.2026 10:00"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in, typed("601123456"), keys("enter"), keys("ctrl+t"), bad_due, keys("ctrl+s")
        ),
    )


async def wait_for_badge(pilot):
    await wait_until(pilot, lambda: pilot.app.screen.query_one("#header-badge").display)
    await settle(pilot)


def test_escalation_badge_for_a_lead(snap_compare, size, app, clock):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), history(app, clock), wait_for_badge),
    )


def test_escalation_queue(snap_compare, size, app, clock):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            lambda p: sign_in(p, "lead"), history(app, clock), wait_for_badge, keys("f7")
        ),
    )


def test_request_queue_with_overdue(snap_compare, size, app, clock):
    async def late_requests(pilot):
        from datetime import timedelta

        seed_history(pilot.app, clock, escalate=False)  # no badge to race the snapshot
        ws = pilot.app.require_services()
        lead = pilot.app.require_actor()
        customer_id = ws.customers.lookup_phone("+420602000111").matches[0].id
        now = clock.now
        clock.now = now - timedelta(days=1)  # due on Thursday at 13:30, working hours since
        ws.requests.create(lead, RequestDraft(customer_id, "technical_fault", "No signal at home"))
        ws.requests.create(lead, RequestDraft(customer_id, "question", "Roaming prices in Serbia"))
        clock.now = now

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), late_requests, keys("f7"), keys("tab")),
    )


def test_request_move_form(snap_compare, size, app, clock):
    async def choose_forward(pilot):
        pilot.app.screen.query_one("#move-status").value = "forwarded"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            lambda p: sign_in(p, "lead"),
            history(app, clock, escalate=False),  # no badge to race the snapshot
            keys("f7"),
            keys("enter"),
            choose_forward,
        ),
    )


def test_setup_request_categories(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), keys("f10"), keys("5")),
    )


def test_setup_catalogue_item_form(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), keys("f10"), keys("enter")),
    )


def test_setup_choice_form(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), keys("f10"), keys("6"), keys("enter")),
    )


def test_setup_import_form(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lambda p: sign_in(p, "lead"), keys("f10"), keys("2"), keys("i")),
    )
