"""Fixtures shared by the tests of this folder."""

import pytest

from tests.conftest import KNOWN_PHONE
from tests.orders.order_floor import set_up_orders


@pytest.fixture
def floor(ws, lead):
    set_up_orders(ws, lead)
    return ws


@pytest.fixture
def customer(floor):
    return floor.customers.lookup_phone(KNOWN_PHONE).matches[0].id
