"""The header's badges say their words only when everything fits with them: a team lead's
three badges in words pushed their name and the store off a 120-column header (a tmux run
waiting for "(team lead)" found it)."""

import uuid

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widgets import Label

from cc_terminal.config import Settings
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.header import WorkstationHeader, role_kept

OPERATOR = "Lída Vedoucí (team lead)"


class HeaderOnly(App[None]):
    operator_line = reactive(OPERATOR)
    storage_line = reactive("embedded · SQLite")
    clock_text = reactive("14:05")
    escalations_waiting = reactive(0)
    requests_overdue = reactive(0)
    answers_waiting = reactive(0)
    callbacks_due = reactive(0)
    pause_line = reactive("")
    days_off_due = reactive("")
    chats_waiting = reactive((0, 0, 0))
    settings = Settings()
    actor: Actor | None = None

    def compose(self) -> ComposeResult:
        yield WorkstationHeader("Queues")


def shown(app: App[None]) -> dict[str, str]:
    return {
        str(label.id): str(label.content)
        for label in app.query(Label)
        if label.display and str(label.content)
    }


@pytest.mark.parametrize(("width", "in_words"), [(200, True), (120, False), (80, False)])
async def test_badges_in_words_only_when_the_name_and_the_store_still_fit(width, in_words):
    app = HeaderOnly()
    async with app.run_test(size=(width, 5)) as pilot:
        app.escalations_waiting, app.requests_overdue, app.callbacks_due = 1, 10, 1
        await pilot.pause()
        labels = shown(app)
        assert (labels["header-overdue"] == "⚑ 10 requests overdue · F7") is in_words
        assert labels["header-badge"] == ("▲ 1 escalation waiting · F7" if in_words else "▲ 1 · F7")
        if width >= 100:
            operator = app.query_one("#header-operator", Label)
            assert operator.size.width >= len(OPERATOR) + 2  # whole, with its padding
            assert app.query_one("#header-clock", Label).region.right <= width


async def test_one_badge_keeps_its_words_at_120_columns():
    app = HeaderOnly()
    async with app.run_test(size=(120, 5)) as pilot:
        app.escalations_waiting = 2
        await pilot.pause()
        assert shown(app)["header-badge"] == "▲ 2 escalations waiting · F7"
        app.requests_overdue, app.answers_waiting, app.callbacks_due = 3, 1, 4
        await pilot.pause()
        assert shown(app)["header-badge"] == "▲ 2 · F7"  # no room any more: short


async def test_a_very_long_name_gives_way_itself_and_keeps_the_badges_words():
    app = HeaderOnly()
    async with app.run_test(size=(120, 5)) as pilot:
        app.operator_line = "Jana " + "Svobodová-Nováková " * 5 + "(operator)"
        app.callbacks_due = 1
        await pilot.pause()
        assert shown(app)["header-callbacks"] == "◷ 1 callback due · F3"
        assert app.query_one("#header-clock", Label).region.right <= 120


def test_a_name_gives_way_before_its_role():
    assert role_kept("Lída Vedoucí (vedoucí týmu)", 25) == "Lída Vedo… (vedoucí týmu)"
    assert role_kept("Lída Vedoucí (vedoucí týmu)", 27) == "Lída Vedoucí (vedoucí týmu)"
    assert role_kept("Jana (operátor)", 5) == "Jana (operátor)"  # no room: the end is cut
    assert role_kept("not signed in", 5) == "not signed in"


async def test_the_role_stays_whole_on_a_narrow_header():
    app = HeaderOnly()
    async with app.run_test(size=(80, 5)) as pilot:
        app.operator_line = "Lída Vedoucí-Dlouhojmenná (vedoucí týmu)"
        app.callbacks_due = 1
        await pilot.pause()
        label = app.query_one("#header-operator", Label)
        assert str(label.render()).endswith("… (vedoucí týmu)")
        assert cell_len(str(label.render())) <= label.content_region.width


async def test_a_chat_past_the_floors_first_response_limit_reddens_the_badge_and_tells_a_lead():
    """The service says when a chat is late (the floor's limit, services/channels/reading.py);
    the header turns the badge red and tells a lead once, also for a chat given to someone
    who has not answered while none waits."""
    app = HeaderOnly()
    app.actor = Actor(uuid.uuid4(), "lead", "Lída Vedoucí", "lead")
    async with app.run_test(size=(120, 5)) as pilot:
        app.chats_waiting = (2, 45, 0)
        await pilot.pause()
        badge = app.query_one("#header-chats", Label)
        assert shown(app)["header-chats"] == "◆ 2 chats waiting 00:45 · F8"
        assert not badge.has_class("-late") and not app._notifications
        app.chats_waiting = (2, 46, 61)
        await pilot.pause()
        assert badge.has_class("-late")
        (told,) = app._notifications
        assert told.message == "A chat has waited 01:01 for its first answer: F8."
        app.chats_waiting = (2, 50, 70)  # still late: told once
        await pilot.pause()
        assert len(app._notifications) == 1
        app.chats_waiting = (0, 0, 0)  # answered
        await pilot.pause()
        assert not badge.has_class("-late")
        app.chats_waiting = (0, 0, 95)  # a given chat nobody answers: no badge, but told
        await pilot.pause()
        assert "header-chats" not in shown(app)
        assert list(app._notifications)[-1].message.startswith("A chat has waited 01:35")
