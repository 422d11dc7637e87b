"""Masked personal data and the audited reveal: the masks, the reveal on both stores (a
reason needed, audited either way), and from the keyboard in the caller picker, with a
snapshot of the reveal prompt (test_snapshots' name search shows the masked list)."""

import pytest
from sqlalchemy import select
from textual.widgets import DataTable

from cc_terminal.models import AuditEvent
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.pickers import CustomerPicker
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.privacy.masks import (
    mask_birth_date,
    mask_email,
    mask_identifier,
    mask_phone,
)
from tests.conftest import KNOWN_PHONE
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import SIZE, both_sizes, make_app, pop_caller, settle, sign_in, type_text


def test_masks_keep_only_what_tells_values_apart():
    assert mask_phone("+420 601 123 456") == "+420 *** *** 456"
    assert mask_phone("+44 20 7946 0958") == "+44 ** **** *958"
    assert mask_phone("601123456") == "******456"
    assert mask_email("jana.nova@seznam.cz") == "j***@seznam.cz"
    assert mask_email("broken") == "***"
    assert mask_identifier("8503141234") == "*******234"
    assert mask_identifier("CZ65 0800 0000 1920 0014 5399")[-3:] == "399"
    assert mask_birth_date("14.03.1985") == "**.**.****"
    assert mask_phone("") == mask_email("") == ""


def test_an_identifier_of_three_characters_or_fewer_is_hidden_whole():
    assert mask_identifier("123") == "***"
    assert mask_identifier(" 12 ") == "**"
    assert mask_identifier("1234") == "*234"


def revealed_events(ws):
    with ws.db.read() as session:
        query = select(AuditEvent.actor_id, AuditEvent.subject, AuditEvent.detail).where(
            AuditEvent.kind == "customer.revealed"
        )
        return session.execute(query).all()


def test_a_reveal_needs_a_reason_and_is_audited_either_way(ws, jana):
    customer = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    with pytest.raises(ValidationFailed) as refused:
        ws.privacy.reveal(jana, customer, "phone", "  ")
    assert "reason" in refused.value.errors
    shown = ws.privacy.reveal(jana, customer, "phone", "Caller asks which number we have")
    assert shown == "+420 601 123 456"
    events = revealed_events(ws)
    assert {detail for _actor, _subject, detail in events} == {
        "phone: refused, no reason",
        "phone: Caller asks which number we have",
    }
    assert {(actor, subject) for actor, subject, _detail in events} == {
        (jana.operator_id, str(customer))
    }
    with pytest.raises(NotFound):
        ws.privacy.reveal(jana, jana.operator_id, "phone", "wrong id given")


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def test_the_picker_masks_phones_and_ctrl_v_reveals_one_with_a_reason(app):
    async with app.run_test(size=SIZE) as pilot:
        await pop_caller(pilot, "novak")
        picker = app.screen
        assert isinstance(picker, CustomerPicker)
        table = picker.query_one("#matches", DataTable)
        phones = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert phones and all("***" in phone for phone in phones)
        await pilot.press("ctrl+v")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")  # no reason: refused next to the field, nothing shown
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await type_text(pilot, "Caller disputes the number")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker
        assert "***" not in str(table.get_row_at(table.cursor_row)[3])
        assert len(revealed_events(app.require_services())) == 1
        await pilot.press("enter")  # the caller taken: the call's card shows in full
        await settle(pilot)
        assert not isinstance(app.screen, CustomerPicker)


@both_sizes
def test_reveal_prompt(snap_compare, size, app):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(
            sign_in, typed("novak"), keys("enter"), keys("ctrl+v"), typed("Caller disputes")
        ),
    )
