"""Fixtures shared by the tests of this folder."""

import pytest

from tests.outbound.outbound_floor import set_up_campaigns


@pytest.fixture
def floor(ws, lead):
    set_up_campaigns(ws, lead)
    return ws
