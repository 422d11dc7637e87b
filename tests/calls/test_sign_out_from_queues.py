"""A team lead signs out from F7, where they land: the queue screen is left behind while
the sign-in screen comes up, and its key checks must not ask for a signed-in lead (the key
bar asked, and the app stopped with "Not signed in"; a fresh-clone run found it)."""

import pytest

from cc_terminal.screens.calls.queues import QueueScreen
from cc_terminal.screens.session.login import LoginScreen
from tests.tui import SIZE, make_app, settle, settled_until, sign_in


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_a_lead_signs_out_from_f7_and_the_app_goes_on(app):
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        queues = app.screen
        assert isinstance(queues, QueueScreen)
        assert queues.check_action("tab", ("tab-escalations",)) is True
        await pilot.press("ctrl+o")
        assert await settled_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert queues.check_action("tab", ("tab-escalations",)) is False
        queues.refresh_bindings()  # what a focus change on the screen left behind does
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, LoginScreen)
