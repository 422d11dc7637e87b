"""An operator's own language: kept with the account (both databases, through the one
write path), the screens drawn in it after sign-in, F10 changes it from the keyboard and
redraws every area, the sign-in screen speaks the terminal's language."""

from __future__ import annotations

import pytest

from cc_terminal.i18n import current_language, set_language
from cc_terminal.screens.outbound.outbound import OutboundScreen
from cc_terminal.screens.session.language import LanguagePicker
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.services.common.errors import ValidationFailed
from tests.conftest import login
from tests.helpers import max_seq, ops_since
from tests.hostile.test_hostile_walk import drawn
from tests.tui import SIZE, make_app, settle, sign_in, wait_until


@pytest.fixture(autouse=True)
def english_again():
    yield
    set_language("en")


def test_the_own_language_is_kept_with_the_account(ws):
    jana = login(ws, "jana")
    seq = max_seq(ws)
    assert ws.own_settings.set_language(jana, "cs").language == "cs"
    assert login(ws, "jana").language == "cs"
    ops = [op for op in ops_since(ws, seq) if "language" in op["changes"]]
    assert [(op["entity"], op["changes"]["language"]) for op in ops] == [("operator", "cs")]
    assert ws.own_settings.set_language(jana, "").language == ""  # the terminal's again
    with pytest.raises(ValidationFailed):
        ws.own_settings.set_language(jana, "klingon")
    assert login(ws, "jana").language == ""


async def test_f10_changes_an_operators_language_and_every_area_follows(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock, language="cs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Přihlásit" in drawn(app)  # the terminal is Czech: so is the sign-in
        await sign_in(pilot, "jana")
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)
        assert "Odchozí" in drawn(app)
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, LanguagePicker))
        await pilot.press("2")  # English
        await wait_until(pilot, lambda: current_language() == "en")
        await settle(pilot)
        assert isinstance(app.screen, OutboundScreen)  # back where she was, redrawn
        screen = drawn(app)
        assert "Outbound" in screen and "Odchozí" not in screen
        assert app.require_services().auth.login("jana", "jana-pass-1").language == "en"
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, LoginScreen))
        await settle(pilot)
        assert current_language() == "cs" and "Přihlásit" in drawn(app)
        await sign_in(pilot, "jana")
        assert current_language() == "en"
