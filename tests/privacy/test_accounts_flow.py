"""The team lead's Accounts tab (F10, U) from the keyboard: typing filters, Down goes to
the list; N adds an account, W resets a password, O, D and L change the role, the
department and the team by a digit, C the chats held at once, X deactivates a leaver
naming who takes over. Each temporary password is shown once. Snapshots of the tab and of
every dialog at 120x40 and 80x24."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from textual.widgets import Input

from cc_terminal.models import Lead, Operator
from cc_terminal.screens.setup.account_dialogs import (
    Confirm,
    DeactivateForm,
    DigitPicker,
    NewAccountForm,
    PasswordShown,
)
from cc_terminal.screens.setup.setup import SetupScreen
from cc_terminal.services.privacy import accounts
from cc_terminal.widgets.form_field import FormField
from tests.conftest import login
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import SIZE, make_app, settle, settled_until, sign_in, type_text

SMALL = (80, 24)


@pytest.fixture
def app(sqlite_url, tmp_path, clock, monkeypatch):
    monkeypatch.setattr(accounts, "temporary_password", lambda: "Temp-Pass-42")
    return make_app(sqlite_url, tmp_path, clock)


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#accounts-table")
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def account(app, username: str) -> Operator:
    with app.services.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


async def to_accounts(pilot) -> None:
    await sign_in(pilot, "lead")
    await pilot.press("f10", "u")
    await settle(pilot)


async def to_petr(pilot) -> None:
    await to_accounts(pilot)
    await type_text(pilot, "dvor")
    await pilot.press("down")
    await settle(pilot)


async def test_typing_filters_and_the_list_says_who_can_sign_in(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_accounts(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.focused is app.screen.query_one("#accounts-filter")
        assert [row[0] for row in rows(app)] == ["jana", "lead", "petr"]
        assert rows(app)[1][:6] == [
            "lead",
            "Lída Vedoucí",
            "team lead",
            "Contact centre",
            "—",
            "active",
        ]
        await type_text(pilot, "dvor")  # a part of the full name, without its accents
        await settle(pilot)
        assert [row[0] for row in rows(app)] == ["petr"]
        await pilot.press("down")
        assert app.screen.focused is app.screen.query_one("#accounts-table")
        await pilot.press("slash")
        assert app.screen.focused is app.screen.query_one("#accounts-filter")


@pytest.mark.parametrize(
    ("first", "field"), [("/", "#accounts-filter"), ("n", "#account-username")]
)
async def test_what_is_typed_right_behind_slash_or_n_is_all_in_the_field_it_opens(
    app, first, field
):
    """/ (the filter) or N (a new account's form) on the list and a name queued at once, as
    a fast typist's keys reach the app: the whole name is in the field the key opened (it
    had reached the list: lost, or run the tab's other letters, E its phone settings)."""
    async with app.run_test(size=SIZE) as pilot:
        await to_accounts(pilot)
        await pilot.press("down")
        await settle(pilot)
        await type_text(pilot, first + "eva")
        await settle(pilot)
        assert app.screen.query_one(field, Input).value == "eva"


async def test_o_d_and_l_change_role_department_and_team_by_a_digit(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_petr(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, DigitPicker)
        await pilot.press("2")
        assert await settled_until(pilot, lambda: account(app, "petr").role == "lead")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("5")  # sales
        assert await settled_until(pilot, lambda: account(app, "petr").department == "sales")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("1")  # the one other lead
        lead_id = account(app, "lead").id
        assert await settled_until(pilot, lambda: account(app, "petr").team_lead_id == lead_id)
        assert await settled_until(pilot, lambda: rows(app)[0][4] == "Lída Vedoucí")
        assert rows(app)[0][2:4] == ["team lead", "Sales"]


async def test_c_sets_the_chats_held_at_once_by_their_number(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_petr(pilot)
        assert rows(app)[0][7] == "3"  # the default
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, DigitPicker)
        await pilot.press("5")
        assert await settled_until(pilot, lambda: account(app, "petr").chat_limit == 5)
        assert await settled_until(pilot, lambda: rows(app)[0][7] == "5")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("end", "enter")  # none, the last: no digit
        assert await settled_until(pilot, lambda: account(app, "petr").chat_limit == 0)


async def test_w_resets_a_password_and_shows_the_temporary_one_once(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_petr(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        assert await settled_until(pilot, lambda: isinstance(app.screen, PasswordShown))
        assert "Temp-Pass-42" in str(app.screen.query_one("#temporary-password").render())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert app.services.auth.login("petr", "Temp-Pass-42").must_change_password
        assert await settled_until(pilot, lambda: "must change password" in rows(app)[0][5])


async def test_n_adds_an_account_refusing_bad_fields_next_to_them(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_accounts(pilot)
        await pilot.press("down", "n")
        await settle(pilot)
        assert isinstance(app.screen, NewAccountForm)
        await type_text(pilot, "Bad Name")
        await pilot.press("ctrl+s")
        await settle(pilot)
        errors = {field.name: field.error for field in app.screen.query(FormField) if field.error}
        assert set(errors) == {"username", "full_name"}
        await pilot.press("ctrl+u")
        await type_text(pilot, "eva")
        await pilot.press("enter")
        await type_text(pilot, "Eva Malá")
        await pilot.press("ctrl+s")
        assert await settled_until(pilot, lambda: isinstance(app.screen, PasswordShown))
        await pilot.press("escape")
        assert await settled_until(pilot, lambda: "eva" in [row[0] for row in rows(app)])
        assert app.services.auth.login("eva", "Temp-Pass-42").must_change_password


def _janas_leads(app) -> None:
    ws = app.services
    lead = login(ws, "lead")
    set_up_campaigns(ws, lead)
    add(
        ws,
        lead,
        SALES,
        [("+420601000001", "Eva Malá"), ("+420601000002", "Ota Velký")],
        assign_to=("jana",),
    )
    ws.account_list.set_team(lead, "jana", "lead")


async def test_x_deactivates_a_leaver_naming_who_takes_her_leads(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        _janas_leads(app)
        await pilot.press("f10", "u")
        await settle(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        assert isinstance(app.screen, DeactivateForm)
        held = str(app.screen.query_one("#deactivate-held").render())
        assert held == "They hold 2 open leads, of them 0 callbacks they agreed."
        heir = app.screen.query_one("#deactivate-heir", Input)
        assert heir.value == "lead"  # her team lead shares her work out, unless typed over
        await type_text(pilot, "petr")
        assert heir.value == "petr"
        taker = str(app.screen.query_one("#deactivate-taker").render())
        assert taker == "Their leads and callbacks go to petr (Petr Dvořák)."
        await pilot.press("ctrl+s")
        assert await settled_until(pilot, lambda: isinstance(app.screen, SetupScreen))
        assert not account(app, "jana").active
        petr = account(app, "petr").id
        with app.services.db.read() as session:
            assert {lead.assigned_to for lead in session.scalars(select(Lead))} == {petr}
        assert await settled_until(pilot, lambda: rows(app)[0][5] == "deactivated")
        await pilot.press("x")  # a deactivated account: nothing more to do
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)


async def test_a_wrong_heir_is_said_next_to_the_field_and_nothing_changes(app):
    async with app.run_test(size=SIZE) as pilot:
        await to_accounts(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        await type_text(pilot, "jana")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DeactivateForm)
        field = app.screen.query_one(FormField)
        assert field.error == "Choose someone other than the leaver."
        assert account(app, "jana").active
        assert app.screen.query_one("#deactivate-heir", Input).value == "jana"  # kept


def test_accounts_tab(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(to_accounts, keys("down")))


def test_accounts_tab_filtered(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=steps(to_accounts, typed("svob")))


def test_accounts_tab_filtered_at_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=SMALL, run_before=steps(to_accounts, typed("svob")))


def test_accounts_tab_at_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=SMALL, run_before=steps(to_accounts, keys("down")))


DIALOGS = {
    "new": steps(to_accounts, keys("down", "n"), typed("eva")),
    "reset": steps(to_petr, keys("w")),
    "password": steps(to_petr, keys("w", "y")),
    "role": steps(to_petr, keys("o")),
    "department": steps(to_petr, keys("d")),
    "team": steps(to_petr, keys("l")),
    "chat_limit": steps(to_petr, keys("c")),
    "deactivate": steps(to_petr, keys("x"), typed("jana")),
}


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_accounts_dialog(snap_compare, app, dialog, size):
    assert snap_compare(app, terminal_size=size, run_before=DIALOGS[dialog])
