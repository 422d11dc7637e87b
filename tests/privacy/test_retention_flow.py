"""Retention from the keyboard: on F10 the lead's tab 0 lists the days per kind; Enter,
digits and Enter change them, a wrong number is said next to the field. The open
workstation runs the day's erasure by itself, as whoever is signed in, once a day.
Snapshots of the tab and of a refused number."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from cc_terminal.app_retention import erase_when_due
from cc_terminal.models import AuditEvent, Call
from cc_terminal.screens.setup.forms import RetentionForm
from cc_terminal.screens.setup.setup import SetupScreen
from cc_terminal.services.common.views import CallDraft
from cc_terminal.widgets.form_field import FormField
from tests.conftest import KNOWN_PHONE, login
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import BOTH_SIZES, SIZE, make_app, settle, sign_in, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def retention_cells(app) -> list[list[str]]:
    table = app.screen.query_one("#setup-retention")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def to_retention(pilot) -> None:
    await sign_in(pilot, "lead")
    await pilot.press("f10", "0")
    await settle(pilot)


async def test_a_lead_changes_the_days_from_the_keyboard(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_retention(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert retention_cells(app)[0] == ["Call notes", "365 days", "365 days", "daily; not yet"]
        assert retention_cells(app)[3][3] == "nothing held yet"
        await pilot.press("down", "down", "down", "enter")  # call recordings
        await settle(pilot)
        assert isinstance(app.screen, RetentionForm)
        await pilot.press("ctrl+u")
        await type_text(pilot, "7")
        await pilot.press("enter")
        await settle(pilot)
        field = app.screen.query_one(FormField)
        assert field.error == "Days, from 30 to 3650."
        await pilot.press("ctrl+u")
        await type_text(pilot, "60")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert retention_cells(app)[3][:3] == ["Call recordings", "60 days", "90 days"]
        assert app.services.retention.settings()[3].days == 60


async def test_the_new_and_retire_keys_do_nothing_on_the_retention_tab(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_retention(pilot)
        await pilot.press("n", "r", "i")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert not app.screen.check_action("new", ())


async def test_the_open_workstation_erases_once_a_day_as_whoever_is_signed_in(app, clock):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "jana")
        ws = app.services
        customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
        started = clock.now - timedelta(days=400)
        ws.calls.record(
            login(ws, "jana"),
            CallDraft(
                customer,
                KNOWN_PHONE,
                started,
                started,
                started,
                "billing",
                "request_registered",
                "Wife Eva",
            ),
        )
        for _ in range(2):  # the interval's check, twice the same day
            erase_when_due(app)
            await pilot.app.workers.wait_for_complete()
            await settle(pilot)
        with ws.db.read() as session:
            notes = list(session.scalars(select(Call.notes)))
            runs = list(
                session.scalars(
                    select(AuditEvent.actor_id).where(AuditEvent.kind == "customer.purged")
                )
            )
        assert "Wife Eva" not in notes
        assert runs == [app.actor.operator_id]


def test_setup_retention_tab(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(to_retention))


@BOTH_SIZES
def test_setup_retention_days_refused(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(to_retention, keys("enter", "ctrl+u"), typed("5000"), keys("enter")),
    )


def test_setup_retention_tab_at_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps(to_retention))
