"""The first sign-in of an account a team lead made, from the keyboard: the new-password
dialog comes first, a short or mistyped one is refused next to its field, Escape goes back
to the sign-in screen, and once changed the person is in and signs in with it next time."""

import pytest

from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.screens.session.new_password import NewPasswordScreen
from cc_terminal.widgets.form_field import FormField
from tests.conftest import login
from tests.screens.test_snapshots import steps, typed
from tests.tui import BOTH_SIZES, SIZE, make_app, settle, sign_in, type_text, wait_until

GIVEN = "given-by-lead"


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    return app


async def eva_arrives(pilot):
    await settle(pilot)  # the store opens behind the sign-in screen
    ws = pilot.app.require_services()
    ws.auth.create_operator(login(ws, "lead"), "eva", "Eva Černá", "operator", GIVEN)
    await sign_in(pilot, "eva", GIVEN)
    await asked_for_a_password(pilot)


async def asked_for_a_password(pilot):
    """The password is checked in a worker that hands over to the dialog: wait for it."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NewPasswordScreen))
    await settle(pilot)


async def test_the_first_sign_in_asks_for_an_own_password(app):
    async with app.run_test(size=SIZE) as pilot:
        await eva_arrives(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewPasswordScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None
        await sign_in(pilot, "eva", GIVEN)
        await asked_for_a_password(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewPasswordScreen)
        await type_text(pilot, "evas-own-pass")
        await pilot.press("enter")
        await type_text(pilot, "evas-own-pasz")
        await pilot.press("enter")
        await settle(pilot)
        assert dialog.query_one("#again-field", FormField).error
        assert dialog.query_one("#password-new").value == "evas-own-pass"  # kept
        dialog.query_one("#password-again").value = ""
        dialog.query_one("#password-again").focus()
        await type_text(pilot, "evas-own-pass")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IncomingCallScreen) and app.actor.username == "eva"
        await pilot.press("ctrl+o")
        await settle(pilot)
        await sign_in(pilot, "eva", "evas-own-pass")
        assert isinstance(app.screen, IncomingCallScreen)


@BOTH_SIZES
def test_new_password_dialog(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=steps(eva_arrives, typed("short")))
