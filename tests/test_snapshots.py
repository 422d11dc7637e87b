"""How each screen looks in its main states (pytest-textual-snapshot, 120x40, fixed clock)."""

import pytest

from tests.tui import SIZE, choose_first_reason, make_app, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


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


def test_login(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(settle))


def test_login_wrong_password(snap_compare, app):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(lambda p: sign_in(p, "jana", "nope-nope"))
    )


def test_incoming_empty(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(sign_in))


def test_incoming_bad_number(snap_compare, app):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(sign_in, typed("601 12"), keys("enter"))
    )


def test_incoming_known_customer(snap_compare, app):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            choose_first_reason,
            keys("ctrl+n"),
            typed("Asked about roaming"),
        ),
    )


def test_incoming_end_call_without_reason(snap_compare, app):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), keys("ctrl+e")),
    )


def test_incoming_outcome_picker(snap_compare, app):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(
            sign_in, typed("601123456"), keys("enter"), choose_first_reason, keys("ctrl+e")
        ),
    )


def test_incoming_wrap_up_after_hang_up(snap_compare, app, clock):
    async def talk_then_hang_up(pilot):
        clock.advance(25)  # stays within 09:30, so the header clock cannot tick mid-snapshot
        await pilot.press("f9")
        clock.advance(7)

    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), talk_then_hang_up),
    )


def test_quit_with_a_call_open(snap_compare, app):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(sign_in, typed("601123456"), keys("enter"), keys("ctrl+q")),
    )


def test_restore_an_unfinished_call(snap_compare, app, sqlite_url, tmp_path, clock):
    from datetime import timedelta

    from cc_terminal.config import Settings
    from cc_terminal.services.drafts import DraftStore
    from cc_terminal.services.views import CallDraftState
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
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(sign_in))


def test_edit_customer_after_someone_else_saved(snap_compare, app):
    from cc_terminal.services.views import CustomerDraft
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
        terminal_size=SIZE,
        run_before=steps(
            sign_in,
            typed("601123456"),
            keys("enter"),
            keys("f8"),
            someone_else_saves,
            keys("ctrl+s"),
        ),
    )


def test_incoming_new_customer(snap_compare, app):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(sign_in, typed("777000111"), keys("enter"))
    )


def test_new_customer_with_errors(snap_compare, app):
    assert snap_compare(
        app,
        terminal_size=SIZE,
        run_before=steps(
            sign_in,
            typed("777000111"),
            keys("enter"),
            keys(*["tab"] * 6),
            typed("eva@"),
            keys("ctrl+s"),
        ),
    )


def test_shared_number_picker(snap_compare, app):
    assert snap_compare(
        app, terminal_size=SIZE, run_before=steps(sign_in, typed("602000111"), keys("enter"))
    )


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(sign_in, keys("f1")))


def test_incoming_known_customer_on_an_80x24_terminal(snap_compare, app):
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=steps(sign_in, typed("601123456"), keys("enter"))
    )
