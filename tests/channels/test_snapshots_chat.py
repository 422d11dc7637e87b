"""How F8 looks at 80x24 and 120x40: the queue with the header's badge, three open chats
with a known customer's card beside the conversation, a canned answer in the box, an
answer refused next to the box, the hand-over picker and the outcome picker."""

from __future__ import annotations

import uuid

import pytest

from tests.channels.conftest import form, gateway_of
from tests.conftest import KNOWN_PHONE, login
from tests.helpers import rows
from tests.screens.test_snapshots import keys, steps, typed
from tests.tui import make_app, settle, sign_in, still, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
VISITS = (
    ("Jan Novák", KNOWN_PHONE, "billing", "Hello, [b]my invoice[/b] <i>doubled</i> this month."),
    ("Eva Malá", "eva.mala@example.cz", "technical_fault", "The router blinks red."),
    ("Adam Velký", "+420 777 123 456", "", "Do you deliver to Brno?\nAnd on Saturdays?"),
)


@pytest.fixture
def app(sqlite_url, tmp_path, clock):
    return make_app(sqlite_url, tmp_path, clock)


def waiting_chats(taken: int = 0):
    """Three visitors write before Jana signs in; the team lead has set her limit to
    ``taken``, so signing in gives her the ``taken`` oldest; she opens F8."""

    async def set_up(pilot):
        await settle(pilot)
        app = pilot.app
        ws = app.require_services()
        lead = login(ws, "lead")
        ((jana_id,),) = rows(ws, "SELECT id FROM operator WHERE username = 'jana'")
        ws.chats.set_limit(lead, uuid.UUID(str(jana_id)), taken)
        # the app's own folder: the Czech twin runs these steps again on its own copy
        gateway = gateway_of(ws, lead, app.settings.data_dir)
        started = []
        for name, contact, topic, line in VISITS:
            started.append(gateway.start(form(name=name, contact=contact, topic=topic)))
            gateway.post(started[-1].token, "v1", line)
            app.clock.advance(75)
        await sign_in(pilot, "jana")
        await pilot.press("f8")
        await wait_until(pilot, lambda: app.chats_waiting[0] == 3 - taken)
        for number in range(1, taken + 1):  # she reads each, as N would have opened it
            await pilot.press("escape", str(number))
            name = VISITS[number - 1][0]
            await wait_until(pilot, lambda name=name: _showing(app.screen, name))
        if taken:
            await pilot.press("escape", "1")  # Jan Novák: a known customer, his card beside
            await wait_until(pilot, lambda: _showing(app.screen, VISITS[0][0]))
        if taken > 1:  # unread on Eva's row: written once her chat is no longer the one shown
            gateway.post(started[1].token, "v2", "Are you still there?")  # (shown: read at once)
        if taken:
            screen = app.screen
            await wait_until(
                pilot,
                lambda: (
                    screen.seen.card is not None
                    and len(screen.seen.mine) == taken
                    and screen.query_one("#card").card is not None
                    # Eva's new line counted (the list's read may have come before it)
                    and sum(chat.unread for chat in screen.seen.mine) == (taken > 1)
                ),
            )
        await wait_until(pilot, lambda: app.chats_waiting[0] == 3 - taken)  # the badge caught up
        app.clear_notifications()
        await settle(pilot)

    return set_up


def _showing(screen, name: str) -> bool:
    detail = screen.seen.detail
    return (
        detail is not None
        and detail.visitor_name == name
        and not any(chat.unread for chat in screen.seen.mine if chat.id == detail.id)
    )


def snap(snap_compare, app, size, *actions):
    return snap_compare(app, terminal_size=size, run_before=steps(*actions, still))


@pytest.mark.parametrize("size", SIZES)
def test_chat_queue_with_its_badge(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats())


@pytest.mark.parametrize("size", SIZES)
def test_chat_three_open_with_the_customers_card(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats(taken=3))


@pytest.mark.parametrize("size", SIZES)
def test_chat_canned_answer_in_the_box(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats(taken=1), typed("/net-100"), keys("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_chat_empty_answer_refused(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats(taken=1), keys("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_chat_hand_over_picker(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats(taken=1), keys("ctrl+x"))


@pytest.mark.parametrize("size", SIZES)
def test_chat_close_with_an_outcome(snap_compare, app, size):
    assert snap(snap_compare, app, size, waiting_chats(taken=2), keys("ctrl+e"))
