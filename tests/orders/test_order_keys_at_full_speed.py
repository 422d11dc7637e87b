"""A form's lists picked at full speed (every key read before the app has handled the first,
as tmux sends them): each digit picks and moves on once the form has answered the pick (a
refusal shows its reason's field first), the keys behind it follow the focus in order, and
a screen's key typed behind them (F5, Ctrl+S) still runs. They pass on the code before the
pick waited for the form's answer as well (its race, seen once in a CI run of a refused
offer, needed a loaded machine); the F5 one failed on a first try of that change, whose
keys handed on stopped at the screen instead of reaching the app's bindings."""

import pytest

from cc_terminal.models import Offer
from cc_terminal.screens.calls.offer_form import OfferForm
from cc_terminal.screens.orders.dialogs import SlotPicker
from tests.calls.test_keys_at_full_speed import burst, stored
from tests.test_key_counts import Keys, on_a_call_from_elektrarny_9, take_call
from tests.tui import SIZE, make_app, settled_until, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_the_materials_the_work_the_payment_and_f5_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = await on_a_call_from_elektrarny_9(app, pilot)
        await keys.press("ctrl+w", "2")
        form = app.screen
        assert await settled_until(pilot, lambda: form.focused.id == "material-0")
        burst(app, "1", "1", "enter", "enter", "1", "2", "f5")
        assert await settled_until(pilot, lambda: isinstance(app.screen, SlotPicker))


async def test_refused_its_reason_and_ctrl_s_at_once(app):
    async with app.run_test(size=SIZE) as pilot:
        keys = Keys(pilot)
        await take_call(keys)
        await keys.press("ctrl+k")
        await type_text(pilot, "optika")
        await keys.press("enter")
        assert isinstance(app.screen, OfferForm)
        burst(app, "2", "1", "ctrl+s")
        assert await settled_until(pilot, lambda: bool(stored(app, Offer)))
        (offer,) = stored(app, Offer)
        assert (offer.accepted, offer.refusal_reason) == (False, "too_expensive")
