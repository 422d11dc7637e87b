"""F10's Mailboxes tab from the keyboard (a team lead's): M opens it, N a new mailbox
typed field after field (Enter moves on, a list's Enter keeps its choice), Ctrl+S saves;
the password is never in the database in clear nor shown back (the form says "stored",
empty keeps it); R switches the mailbox off; a wrong port is said next to its field."""

from __future__ import annotations

import pytest

from cc_terminal.screens.setup.mailbox_form import MailboxEditor
from cc_terminal.screens.setup.mailboxes import MailboxesTab
from cc_terminal.services.common.errors import PermissionDenied
from tests.channels.mail.conftest import loop_of
from tests.conftest import login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until

SECRET = "Tajne-Heslo-42"


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


async def to_mailboxes(pilot, tmp_path) -> MailboxesTab:
    await settle(pilot)
    ws = pilot.app.require_services()
    loop_of(ws, login(ws, "lead"), tmp_path)  # the loop's key: passwords are sealed to it
    await sign_in(pilot, "lead")
    await pilot.press("f10", "m")
    await settle(pilot)
    return pilot.app.screen.query_one(MailboxesTab)


async def fill_in(pilot, port: str = "") -> None:
    """Every field in order: typed, or Enter keeping what it holds."""
    answers = ["Obchod", "", "imap.firma.example", port, "", "obchod", SECRET, ""]
    answers += ["smtp.firma.example", "", "", "obchod", SECRET, "obchod@firma.example"]
    answers += ["Obchod Firma", ""]
    for answer in answers:
        if answer:
            await type_text(pilot, answer)
        await pilot.press("enter")
    await settle(pilot)


async def test_a_lead_adds_a_mailbox_and_its_password_stays_sealed(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        tab = await to_mailboxes(pilot, tmp_path)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, MailboxEditor)
        await fill_in(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(tab.mailboxes) == 1)
        (box,) = tab.mailboxes
        assert (box.name, box.imap_host, box.smtp_user, box.active) == (
            "Obchod",
            "imap.firma.example",
            "obchod",
            True,
        )
        assert box.has_imap_password and box.has_smtp_password
        stored = rows(app.services, "SELECT * FROM mailbox") + rows(
            app.services, "SELECT changes FROM outbox_op"
        )
        assert SECRET not in repr(stored)
        await pilot.press("enter")  # change it: the password is not shown back
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MailboxEditor)
        password = form.query_one("#mailbox-imap_password")
        assert password.value == "" and "stored" in str(password.placeholder)
        await pilot.press("ctrl+s")  # empty keeps the stored one
        await wait_until(pilot, lambda: not isinstance(app.screen, MailboxEditor))
        await settle(pilot)
        assert tab.mailboxes[0].has_imap_password
        await pilot.press("r")
        await wait_until(pilot, lambda: not tab.mailboxes[0].active)


async def test_a_wrong_port_is_said_next_to_its_field(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        tab = await to_mailboxes(pilot, tmp_path)
        await pilot.press("n")
        await settle(pilot)
        await fill_in(pilot, port="99999")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MailboxEditor)
        await wait_until(pilot, lambda: bool(form.query_one("#imap_port-field").error))
        assert form.query_one("#mailbox-name").value == "Obchod"  # what was typed is kept
        assert tab.mailboxes == ()


async def test_an_operator_has_no_mailboxes_tab(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await sign_in(pilot, "jana")
        await pilot.press("f10")
        await settle(pilot)
        assert not app.screen.query(MailboxesTab)  # F10 is her language picker
        # and the service refuses her anyway
        with pytest.raises(PermissionDenied):
            app.services.mail.mailboxes(login(app.services, "jana"))


async def test_a_name_typed_right_behind_n_is_all_in_the_new_mailbox_form(app, tmp_path):
    """N on the mailboxes list and a name queued at once, as a fast typist's keys reach the
    app: the whole name is in the form's first field (it had reached the list and was lost,
    or ran Setup's letters)."""
    async with app.run_test(size=SIZE) as pilot:
        await to_mailboxes(pilot, tmp_path)
        await type_text(pilot, "nObchod 2")
        await settle(pilot)
        assert isinstance(app.screen, MailboxEditor)
        assert app.screen.query_one("#mailbox-name").value == "Obchod 2"
