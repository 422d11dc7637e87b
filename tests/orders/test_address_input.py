"""The address input on an order form, from the keyboard: a number without a letter settles
on the exact point; a number of a street of evidence numbers offers "ev. 12"; towns of the
same name show their postal codes; a new street drops the house number of the old one."""

import pytest
from textual.widgets import Input, OptionList

from cc_terminal.widgets.address_input import AddressInput
from tests.conftest import login
from tests.orders.order_floor import alike_files
from tests.orders.test_orders_flow import open_form, type_address
from tests.tui import SIZE, make_app, settle, type_text


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def address_on_a_form(pilot, folder) -> AddressInput:
    """An equipment order's form on a call, the register holding the addresses alike."""
    form = await open_form(pilot, "2")
    ws = pilot.app.require_services()
    ws.register.import_files(login(ws, "lead"), alike_files(folder))
    return form.query_one("#address-address", AddressInput)


def suggestions(address: AddressInput) -> list[str]:
    listed = address.query_one(OptionList)
    shown = listed.has_class("-shown")
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)] * shown


async def test_a_number_without_a_letter_settles_on_the_exact_point(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        address = await address_on_a_form(pilot, tmp_path)
        await type_address(pilot, "Milovice", "namesti miru", "3")
        assert address.chosen is not None and address.chosen.code == 1
        assert address.chosen.text.startswith("Náměstí Míru 1254/3,")
        assert suggestions(address) == []


async def test_a_number_on_a_street_of_evidence_numbers_offers_ev(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        address = await address_on_a_form(pilot, tmp_path)
        await type_address(pilot, "Milovice", "u chat", "12")
        assert address.chosen is None or address.chosen.code is None  # offered, not settled
        assert suggestions(address) == ["U Chat ev. 12, 289 23 Milovice"]
        assert not address.query_one("#address-number-field").error
        await pilot.press("enter")
        await settle(pilot)
        assert address.chosen is not None and address.chosen.code == 3
        assert address.query_one("#address-number", Input).value == "ev. 12"


async def test_towns_of_the_same_name_show_their_postal_codes(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        address = await address_on_a_form(pilot, tmp_path)
        await type_text(pilot, "Lhota")
        await settle(pilot)
        assert sorted(suggestions(address)) == [
            "Lhota, 250 01, code 500011  (1 address)",
            "Lhota, 250 01, code 500040  (1 address)",
            "Lhota, 273 01  (1 address)",
        ]


async def test_a_new_street_drops_the_old_streets_house_number(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        address = await address_on_a_form(pilot, tmp_path)
        await type_address(pilot, "Milovice", "namesti miru", "3a")
        assert address.chosen is not None and address.chosen.code == 2
        street = address.query_one("#address-street", Input)
        street.focus()
        await pilot.press("end", "shift+home")  # the street selected: typing replaces it
        await type_text(pilot, "u chat")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        number = address.query_one("#address-number", Input)
        assert street.value == "U Chat" and number.value == ""
        assert pilot.app.focused is number
        await type_text(pilot, "ev. 14")
        await pilot.press("enter")
        await settle(pilot)
        assert address.chosen is not None and address.chosen.code == 4
