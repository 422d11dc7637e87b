"""Letters in a real terminal (tmux, the installed command on the demo floor) against the real
servers: a customer's letter fetched into F8's queue (✉), N takes it, the answer is written
over two lines (Enter a new line) and sent with Ctrl+S, the mail loop delivers it threaded;
then O asks the address's consent (its form from the keyboard), the product is picked by
Enter and the offer goes out with the way to refuse. The database and the SMTP server are
checked afterwards."""

from __future__ import annotations

import re
import sqlite3

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.channels.mail.conftest import box_form, loop_of
from tests.channels.mail.test_loop import letter
from tests.screens.test_e2e_tmux import sign_in, workstation

pytestmark = pytest.mark.e2e


def test_a_letter_answered_and_an_offer_sent_from_the_keyboard(demo_floor, dovecot, smtpd):
    data_dir, passwords = demo_floor
    database = data_dir / "demo.sqlite3"
    ws = open_workstation(Settings(db_url=f"sqlite:///{database}", data_dir=data_dir))
    lead = ws.auth.login("vedouci", passwords["vedouci"])
    loop = loop_of(ws, lead, data_dir)
    user = dovecot.new_user()
    mailbox = ws.mail.save_mailbox(lead, box_form(dovecot, smtpd, user))
    dovecot.append(user, letter(1, subject="Faktura <b>[bold]za[/bold]</b>"))
    assert loop.fetch(mailbox).stored == 1
    terminal = workstation(data_dir)
    try:
        sign_in(terminal, "jana", passwords["jana"], "Today: ")
        terminal.keys("F8")
        terminal.wait_for("✉ Eva Malá")
        terminal.keys("n")
        terminal.wait_for("Faktura <b>[bold]za[/bold]</b>")  # as typed, no markup
        terminal.type("Dobrý den,")
        terminal.keys("Enter")
        terminal.type("fakturu opravíme.")
        terminal.keys("C-s")
        terminal.wait_for("queued")
        assert loop.send_queued(ws.chats.clock()).sent == 1
        terminal.keys("Escape")  # alone: Escape and o sent at once are Alt+O to a terminal
        terminal.wait_for("n Take next")  # out of the box: its keys in the key bar
        terminal.keys("o")
        terminal.wait_for("Where did the consent come from?")
        terminal.keys("Enter")  # the list of sources opens
        terminal.wait_for("signed on paper")
        terminal.keys("Down", "Enter")  # from the prompt down to the first: the directory
        terminal.wait_gone("signed on paper")
        terminal.keys("C-s")
        terminal.wait_for("Which product does the letter offer?")
        terminal.keys("Enter")  # the first product on offer
        terminal.wait_for("the letter will say how to refuse further offers")
        terminal.keys("C-s")
        terminal.wait_gone("the letter will say how to refuse")
        assert loop.send_queued(ws.chats.clock()).sent == 1
    finally:
        terminal.close()
        ws.close()
    answer, offer = smtpd.keeper.to("eva@example.cz")
    assert answer["In-Reply-To"] == "<m1@example.cz>"
    assert answer.get_content().replace("\r\n", "\n").strip() == "Dobrý den,\nfakturu opravíme."
    token = re.search(r"\b([0-9a-f]{32})\b", offer.get_content())
    assert token is not None and token[1] in offer["List-Unsubscribe"]
    with sqlite3.connect(database) as connection:
        consents = connection.execute("SELECT address, source FROM mail_consent").fetchall()
        offers = connection.execute("SELECT address FROM mail_offer").fetchall()
    assert consents == [("eva@example.cz", "directory")]
    assert offers == [("eva@example.cz",)]
