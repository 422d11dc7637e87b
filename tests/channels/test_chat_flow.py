"""F8 from the keyboard: a chat started while nobody was signed in is Jana's when she signs
in (or ends a pause); one waiting in the queue and the header's badge N takes; the operator
answers with Enter (a canned answer by /code first), switches
between chats with digits and Tab, hands one over, and closes one with an outcome's digit;
what the visitor typed is drawn as text, never markup."""

from __future__ import annotations

import pytest

from cc_terminal.screens.channels.chat_widgets import MessageBox
from cc_terminal.screens.channels.chats import ChatScreen
from tests.channels.conftest import form, gateway_of, on_shift
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.tui import SIZE, make_app, settle, sign_in, type_text, wait_until


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def visitors(pilot, tmp_path):
    ws = pilot.app.require_services()
    return gateway_of(ws, login(ws, "lead"), tmp_path)


def chat_screen(pilot) -> ChatScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ChatScreen)
    return screen


async def to_chats(pilot, tmp_path, *visits):
    """Visitors start their chats before Jana signs in; signing in gives them to her (her
    limit is 3); she opens F8 and sees them in her list."""
    await settle(pilot)
    gateway = visitors(pilot, tmp_path)
    started = []
    for name, contact, first_line in visits:
        chat = gateway.start(form(name=name, contact=contact))
        gateway.post(chat.token, "v1", first_line)
        pilot.app.clock.advance(30)
        started.append(chat)
    await sign_in(pilot, "jana")
    await pilot.press("f8")
    await settle(pilot)
    screen = chat_screen(pilot)
    await wait_until(pilot, lambda: len(screen.seen.mine) == len(visits))
    return gateway, started


async def paused_in_f8(pilot):
    """Jana signs in, opens F8 and takes a break (Ctrl+B, 1)."""
    await sign_in(pilot, "jana")
    await pilot.press("f8")
    await settle(pilot)
    await pilot.press("ctrl+b", "1")
    await wait_until(pilot, lambda: pilot.app.pause_line != "")


async def test_the_chat_waiting_at_sign_in_is_mine_to_answer_and_close(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        gateway, (chat,) = await to_chats(
            pilot, tmp_path, ("Jan Novák", KNOWN_PHONE, "[bold]Hi[/] <b>is</b> my bill right?")
        )
        screen = chat_screen(pilot)
        assert screen.seen.queue == ()
        await wait_until(pilot, lambda: app.chats_waiting[0] == 0)
        await pilot.press("1")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.detail is not None)
        assert "[bold]Hi[/] <b>is</b> my bill right?" in str(screen.shown_lines)
        assert screen.seen.card is not None and screen.seen.card.full_name == "Jan Novák"
        await type_text(pilot, "/mob-m")
        await pilot.press("enter")
        await settle(pilot)
        box = screen.query_one("#chat-box")
        assert box.text.startswith("Mobil M: 15 GB")
        await pilot.press("enter")
        await settle(pilot)
        assert box.text == ""
        seen = [line.text for line in gateway.lines_after(chat.token, 1)]
        assert seen[-1].startswith("Mobil M: 15 GB")
        await pilot.press("ctrl+e")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.mine == ())
        ((channel, outcome),) = rows(app.services, "SELECT channel, outcome FROM call")
        assert (channel, outcome) == ("chat", "resolved")


async def test_the_end_of_a_pause_brings_the_chat_that_waited(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await paused_in_f8(pilot)
        gateway = visitors(pilot, tmp_path)
        gateway.start(form(name="Eva Malá", contact="eva@example.cz"))
        screen = chat_screen(pilot)
        await wait_until(pilot, lambda: len(screen.seen.queue) == 1)  # nobody to give it to
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: len(screen.seen.mine) == 1 and screen.seen.queue == ())
        assert screen.seen.mine[0].visitor_name == "Eva Malá"


async def test_n_takes_a_waiting_chat_at_once(app, tmp_path):
    """A chat that came during her pause waits; Jana takes it with N without ending it."""
    async with app.run_test(size=SIZE) as pilot:
        await paused_in_f8(pilot)
        visitors(pilot, tmp_path).start(form(name="Eva Malá", contact="eva@example.cz"))
        screen = chat_screen(pilot)
        await wait_until(pilot, lambda: app.chats_waiting[0] == 1)
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.seen.detail is not None)
        assert screen.seen.detail.visitor_name == "Eva Malá" and screen.seen.queue == ()
        assert app.focused is screen.query_one("#chat-box")


async def test_an_empty_answer_is_refused_next_to_the_box(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await to_chats(pilot, tmp_path, ("Eva Malá", "eva@example.cz", "Hello"))
        screen = chat_screen(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        problem = screen.query_one("#chat-problem").text
        assert "Write a message first." in str(problem)


async def test_digits_and_tab_switch_between_open_chats(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await to_chats(
            pilot,
            tmp_path,
            ("Eva Malá", "eva@example.cz", "First"),
            ("Adam Velký", "adam@example.cz", "Second"),
        )
        screen = chat_screen(pilot)
        await pilot.press("1")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.detail.visitor_name == "Eva Malá")
        await pilot.press("tab")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.detail.visitor_name == "Adam Velký")


async def test_a_chat_is_handed_to_a_department(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await to_chats(pilot, tmp_path, ("Eva Malá", "eva@example.cz", "Hello"))
        screen = chat_screen(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("ctrl+x")
        await settle(pilot)
        await pilot.press("2")  # nobody else is signed in: the departments, billing second
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.mine == ())
        assert rows(app.services, "SELECT state, department FROM conversation") == [
            ("waiting", "billing")
        ]


async def test_a_request_an_escalation_and_an_order_from_a_chat_with_a_known_customer(
    app, tmp_path
):
    from cc_terminal.screens.calls.request_form import RequestForm
    from cc_terminal.screens.orders.dialogs import KindPicker

    async with app.run_test(size=SIZE) as pilot:
        _gateway, (chat,) = await to_chats(
            pilot, tmp_path, ("Jan Novák", KNOWN_PHONE, "My invoice doubled.")
        )
        screen = chat_screen(pilot)
        await pilot.press("1")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.card is not None)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, RequestForm)
        await pilot.press("2")  # complaint
        await settle(pilot)
        await type_text(pilot, "Invoice doubled in November")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChatScreen)
        ((category, call_id),) = rows(app.services, "SELECT category, call_id FROM service_request")
        assert category == "complaint" and str(call_id).replace("-", "") == chat.conversation_id.hex
        await pilot.press("f12")
        await settle(pilot)
        ((reason, notes, call_id),) = rows(
            app.services, "SELECT reason, notes, call_id FROM escalation"
        )
        assert reason == "billing" and notes == "Chat with Jan Novák:\nMy invoice doubled."
        assert str(call_id).replace("-", "") == chat.conversation_id.hex
        await pilot.press("ctrl+w")
        await settle(pilot)
        assert isinstance(app.screen, KindPicker)


async def test_no_request_from_a_chat_that_names_no_customer(app, tmp_path):
    async with app.run_test(size=SIZE) as pilot:
        await to_chats(pilot, tmp_path, ("Eva Malá", "eva@example.cz", "Hello"))
        screen = chat_screen(pilot)
        await pilot.press("1")
        await settle(pilot)
        await wait_until(pilot, lambda: screen.seen.detail is not None)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChatScreen)


@pytest.mark.parametrize("first", ["m", "1"])
async def test_a_line_typed_right_behind_the_key_to_the_box_is_all_in_it(app, tmp_path, first):
    """M (or the chat's digit) and the answer queued at once, as a fast typist's keys reach
    the app: the focus moves to the box before the typing behind the key is handled, so
    every character lands in the box, in order (they went to the list and were lost)."""
    async with app.run_test(size=SIZE) as pilot:
        await to_chats(pilot, tmp_path, ("Eva Malá", "eva@example.cz", "Hello"))
        screen = chat_screen(pilot)
        await wait_until(pilot, lambda: screen.seen.detail is not None)
        screen.set_focus(screen.query_one("#chat-mine"))
        await settle(pilot)
        await type_text(pilot, first + "Dobrý den, podívám se.")
        await settle(pilot)
        assert screen.query_one("#chat-box", MessageBox).text == "Dobrý den, podívám se."


async def test_a_chat_given_but_unanswered_past_the_floors_limit_alerts_the_signed_in_lead(
    app, tmp_path
):
    """Not only a chat in the queue: one given to Petr at once, which he has not answered
    past the floor's first-response limit (a lead's F10 setting, 30 s here), reddens the
    badge's place and tells the lead once; his answer clears it."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ws = pilot.app.require_services()
        ws.floor_settings.set_limits(login(ws, "lead"), {"chat_first_response_seconds": "30"})
        petr = login(ws, "petr")
        on_shift(ws, petr)
        started = visitors(pilot, tmp_path).start(form())
        assert [chat.id for chat in ws.chats.mine(petr)] == [started.conversation_id]
        await sign_in(pilot, "lead")
        pilot.app.clock.advance(31)
        await wait_until(pilot, lambda: pilot.app.chats_waiting == (0, 0, 31))
        told = [note.message for note in pilot.app._notifications]
        assert "A chat has waited 00:31 for its first answer: F8." in told
        assert pilot.app.query_one("#header-chats").has_class("-late")
        ws.chats.send(petr, started.conversation_id, "petr-1", "Dobrý den, jak pomohu?")
        await wait_until(pilot, lambda: pilot.app.chats_waiting == (0, 0, 0))
        assert not pilot.app.query_one("#header-chats").has_class("-late")
