"""F2's screen is composed while the person at the sign-in screen types (app_landing.py), and
the sign-in shows that screen; a lead landing elsewhere, or a person working in another
language, gets F2 composed when first shown instead."""

from __future__ import annotations

from textual.widgets import Input

from cc_terminal.config import Settings
from cc_terminal.screens.calls.incoming import IncomingCallScreen
from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.services.workstation import open_workstation
from cc_terminal.widgets.header import WorkstationHeader
from tests.conftest import PASSWORDS
from tests.tui import SIZE, make_app, settle, type_text, wait_until


def composed_ahead(app) -> IncomingCallScreen | None:
    """The call screen composed at Enter that no sign-in has shown yet."""
    prepared = app._prepared
    if prepared is None:
        return None
    assert isinstance(prepared.screen, IncomingCallScreen)
    return prepared.screen


async def test_the_call_screen_composes_before_sign_in_and_is_the_one_shown(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prepared = composed_ahead(app)
        assert prepared is not None and prepared.query("#phone")  # composed, not shown
        assert isinstance(app.screen, LoginScreen)
        await type_name_and_password(pilot, "jana")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        await settle(pilot)
        assert app.screen is prepared and composed_ahead(app) is None
        assert app.screen.focused is app.screen.query_one("#phone", Input)
        await type_text(pilot, "+420601123456")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.call_open  # the screen composed before sign-in takes calls


async def test_a_sign_out_composes_a_new_one_for_the_next_person(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = composed_ahead(app)
        await type_name_and_password(pilot, "jana")
        await wait_until(pilot, lambda: app.screen is first)
        await settle(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await settle(pilot)
        second = composed_ahead(app)
        assert second is not None and second is not first and not first.is_running
        await type_name_and_password(pilot, "petr")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        assert app.screen is second


async def test_a_wrong_password_keeps_the_composed_screen_for_the_next_try(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_name_and_password(pilot, "jana", "wrong-password")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        prepared = composed_ahead(app)
        assert prepared is not None and prepared.is_running
        await type_text(pilot, PASSWORDS["jana"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        assert app.screen is prepared
        assert composed_ahead(app) is None


async def test_a_lead_landing_on_the_queues_drops_it_and_f2_composes_anew(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prepared = composed_ahead(app)
        assert prepared is not None
        await type_name_and_password(pilot, "lead")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen))
        await wait_until(pilot, lambda: not prepared.is_running)  # dropped
        assert composed_ahead(app) is None
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        await settle(pilot)
        assert app.screen is not prepared
        assert app.screen.focused is app.screen.query_one("#phone", Input)


async def test_a_screen_dropped_before_its_mount_ends_quietly(sqlite_url, tmp_path, clock):
    """The lists can come in while a lead's password is checked: the screen is then dropped
    in the tick it was registered in, before its mount. The fresh-clone CI caught the app
    ending with NoMatches there (its mount looked for widgets already removed)."""
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lists = app._lists
        app.take_prepared_screen("queues", lists)
        await settle(pilot)
        app.prepare_call_screen()
        racing = composed_ahead(app)
        assert racing is not None and not racing.is_mounted
        app.take_prepared_screen("queues", lists)
        await wait_until(pilot, lambda: not racing.is_running)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, LoginScreen)


async def test_a_person_working_in_another_language_gets_f2_in_theirs(sqlite_url, tmp_path, clock):
    workstation = open_workstation(Settings(db_url=sqlite_url, data_dir=tmp_path), clock=clock)
    try:
        jana = workstation.auth.login("jana", PASSWORDS["jana"])
        workstation.own_settings.set_language(jana, "cs")
    finally:
        workstation.close()
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        prepared = composed_ahead(app)  # in the terminal's English
        assert prepared is not None
        await type_name_and_password(pilot, "jana")
        await wait_until(pilot, lambda: isinstance(app.screen, IncomingCallScreen))
        await settle(pilot)
        assert app.screen is not prepared and not prepared.is_running
        assert app.screen.query_one(WorkstationHeader).title == "Příchozí hovor"


async def type_name_and_password(pilot, username: str, password: str | None = None) -> None:
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password or PASSWORDS[username])
    await pilot.press("enter")
