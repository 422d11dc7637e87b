"""How F3 and the campaign side of Setup look: the list, a lead's card, the disposition
chord, a callback alert, survey questions, the campaign form, survey answers and a lead
file's import (pytest-textual-snapshot, 120x40, fixed clock)."""

import pytest

from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import (
    BOTH_SIZES,
    make_app,
    settle,
    sign_in,
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def outbound_floor(app):
    """Three leads for Jana: two hot sales leads and a cold survey lead."""

    async def seed(pilot):
        from tests.conftest import login
        from tests.outbound.outbound_floor import SALES, SURVEY, add, set_up_campaigns

        ws = pilot.app.require_services()  # the app pictured (each language's has its own)
        lead = login(ws, "lead")
        set_up_campaigns(ws, lead)
        for campaign, phone, name, temperature in (
            (SALES, "+420777400001", "Hana Horká", "hot"),
            (SALES, "+420777400002", "Ivan Ivanov", "hot"),
            (SURVEY, "+420777400003", "Olga Otázková", "cold"),
        ):
            add(ws, lead, campaign, [(phone, name)], temperature, assign_to=("jana",))
            pilot.app.clock.advance(1)  # imported one after the other: a fixed order to call

    return seed


@BOTH_SIZES
def test_outbound_list(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(sign_in, outbound_floor(app), keys("f3"))
    )


@BOTH_SIZES
def test_outbound_lead_card_with_script_and_legal_basis(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, outbound_floor(app), keys("f3"), keys("n"), typed("Zájem")),
    )


@BOTH_SIZES
def test_outbound_disposition_chord_asks_why(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, outbound_floor(app), keys("f3"), keys("n"), keys("ctrl+e", "2")),
    )


@BOTH_SIZES
def test_outbound_do_not_call_asks_first(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, outbound_floor(app), keys("f3"), keys("n"), keys("ctrl+d")),
    )


@BOTH_SIZES
def test_outbound_callback_alert(snap_compare, app, clock, size):
    async def later(pilot):
        clock.advance(2 * 3600 + 60)
        pilot.app.tick()  # the header clock, not left to its timer's timing
        pilot.app.clear_notifications()
        pilot.app.poll_escalations()

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in,
            outbound_floor(app),
            keys("f3"),
            keys("n"),
            keys("ctrl+e", "3"),
            typed("+2h"),
            keys("enter"),
            later,
            keys("r"),
        ),
    )


@BOTH_SIZES
def test_outbound_survey_questions(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, outbound_floor(app), keys("f3"), keys("down", "down", "enter")),
    )


def campaigns_tab():
    async def open_it(pilot):
        await pilot.press("f10")
        await settle(pilot)
        await pilot.press("7")
        await settle(pilot)  # the tab's own load done before anything is seeded: no race

    return open_it


def lead_sign_in():
    async def lead(pilot):
        await sign_in(pilot, "lead")

    return lead


@BOTH_SIZES
def test_setup_campaign_form_with_errors(snap_compare, app, size):
    async def bad(pilot):
        form = pilot.app.screen
        form.query_one("#campaign-code").value = "Zima!"
        form.query_one("#campaign-weekday_window").value = "20:00-09:00"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(lead_sign_in(), campaigns_tab(), keys("n"), bad, keys("ctrl+s")),
    )


def lead_file_import(then):
    async def seed(pilot):
        from tests.outbound.outbound_floor import set_up_campaigns

        ws = pilot.app.require_services()
        set_up_campaigns(ws, pilot.app.actor)
        await pilot.app.screen.refresh_all().wait()
        await settle(pilot)  # the reload starts the campaign list's own worker

    async def read(pilot):
        # Relative to the repository (the tests run there), so the path on screen is the
        # same on every machine.
        pilot.app.screen.query_one("#import-path").value = "data/samples/leads-winter.csv"

    return steps(lead_sign_in(), campaigns_tab(), seed, keys("i"), read, keys("ctrl+r"), *then)


@pytest.fixture
def in_repository(monkeypatch):
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).parents[2])


@BOTH_SIZES
def test_setup_question_form(snap_compare, app, size):
    async def seed(pilot):
        from tests.outbound.outbound_floor import set_up_campaigns

        set_up_campaigns(pilot.app.require_services(), pilot.app.actor)
        await pilot.app.screen.refresh_all().wait()
        await settle(pilot)

    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_sign_in(), campaigns_tab(), seed, keys("q"))
    )


@BOTH_SIZES
def test_setup_survey_answers(snap_compare, app, size):
    async def seed(pilot):
        from tests.conftest import PASSWORDS
        from tests.outbound.outbound_floor import answered, set_up_campaigns

        ws = pilot.app.require_services()
        set_up_campaigns(ws, pilot.app.actor)
        jana = ws.auth.login("jana", PASSWORDS["jana"])
        habit = {"provider": "habit", "score": "4"}
        price = {"provider": "price", "tariff": "Mobil S", "score": "2"}
        answered(ws, pilot.app.actor, jana, [habit, habit, price])
        await pilot.app.screen.refresh_all().wait()
        await settle(pilot)

    assert snap_compare(
        app, terminal_size=size, run_before=steps(lead_sign_in(), campaigns_tab(), seed, keys("a"))
    )


@BOTH_SIZES
def test_lead_import_preview(snap_compare, app, in_repository, size):
    assert snap_compare(app, terminal_size=size, run_before=lead_file_import(()))


@BOTH_SIZES
def test_lead_import_report(snap_compare, app, in_repository, size):
    assert snap_compare(app, terminal_size=size, run_before=lead_file_import((keys("ctrl+s"),)))


@BOTH_SIZES
def test_outbound_consent_form(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(sign_in, outbound_floor(app), keys("f3"), keys("n"), keys("ctrl+g")),
    )
