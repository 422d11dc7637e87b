"""How the tally looks: my figures (with chats too), the chart, the pay preview, my claims
by class, the team view, the disputes, the pay plan form with a missing rate and the QA
scoring form."""

import pytest

from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
from tests.channels.conftest import form, gateway_of
from tests.conftest import login
from tests.screens.test_snapshots import keys, steps
from tests.tui import BOTH_SIZES, make_app, settle, sign_in, still


@pytest.fixture
def app(tally_url, tmp_path, clock):
    return make_app(tally_url, tmp_path, clock)


def on_tally(username: str):
    async def signed_in_on_f5(pilot):
        await settle(pilot)
        await sign_in(pilot, username)
        await pilot.press("f5")
        await settle(pilot)

    return signed_in_on_f5


@BOTH_SIZES
@pytest.mark.parametrize(
    "shown",
    [("t",), ("w", "2"), ("m", "3"), ("t", "4"), ("w", "5")],
    ids=["figures", "chart", "pay", "claims", "quality"],
)
def test_my_tally(snap_compare, app, shown, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("jana"), keys(*shown), still)
    )


@BOTH_SIZES
def test_team_view(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("lead"), keys("w", "6"), still)
    )


@BOTH_SIZES
def test_disputes(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("lead"), keys("7"), still)
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_dispute_dialog_shows_the_amounts(snap_compare, app, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("lead"), keys("7", "r"), still)
    )


@BOTH_SIZES
def test_pay_plan_form_with_a_missing_rate(snap_compare, app, size):
    async def clear_a_rate(pilot):
        pilot.app.screen.query_one("#plan-per_success").value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_tally("lead"), keys("8", "enter"), clear_a_rate, still),
    )


@BOTH_SIZES
def test_quality_scoring_form(snap_compare, app, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_tally("lead"), keys("6", "c"), keys("enter"), keys("y", "n"), still),
    )


@BOTH_SIZES
@pytest.mark.parametrize("key", ["ctrl+y", "ctrl+b"], ids=["claim", "pause"])
def test_claim_form_and_pause_picker(snap_compare, app, key, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("jana"), keys(key), still)
    )


@BOTH_SIZES
@pytest.mark.parametrize(
    "shown",
    [("9", "n"), ("6", "k"), ("6", "l"), ("6", "a"), ("6", "c"), ("p",)],
    ids=["qa-form", "complaint", "close-period", "plan", "which-call", "period"],
)
def test_a_team_leads_dialogs(snap_compare, app, shown, size):
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("lead"), keys(*shown), still)
    )


@BOTH_SIZES
def test_pay_export_dialog(snap_compare, app, size):
    async def same_path_on_every_machine(pilot):
        # the proposed file is in the data folder, a temporary folder under test
        pilot.app.screen.query_one("#tally-export-path").value = "exports/pay-2026-11-23.xlsx"

    assert snap_compare(
        app,
        terminal_size=size,
        run_before=steps(on_tally("lead"), keys("6", "e"), same_path_on_every_machine, still),
    )


@pytest.fixture
def chats_url(tally_url, tmp_path, clock):
    """The tally's store with two chats Jana answered and closed today (each answered 45 s
    after it reached her): F5's rows of chats, chats an hour and the first response."""
    settings = Settings(db_url=tally_url, data_dir=tmp_path / "chats")
    ws = open_workstation(settings, clock=clock, migrate=False)
    try:
        lead, jana = login(ws, "lead"), login(ws, "jana")
        ws.chats.set_limit(lead, jana.operator_id, 3)
        visitors = gateway_of(ws, lead, tmp_path)
        for index, name in enumerate(("Eva Malá", "Ivo Hrubý")):
            started = visitors.start(form(name=name))
            visitors.post(started.token, f"v{index}", "Dobrý den")
            if started.conversation_id not in {chat.id for chat in ws.chats.mine(jana)}:
                assert ws.chats.take_next(jana) == started.conversation_id
            clock.advance(45)
            ws.chats.send(jana, started.conversation_id, f"o{index}", "Dobrý den, jak pomohu?")
            ws.chats.close(jana, started.conversation_id, "resolved")
    finally:
        ws.close()
    return tally_url


@BOTH_SIZES
def test_my_tally_with_chats(snap_compare, chats_url, tmp_path, clock, size):
    app = make_app(chats_url, tmp_path, clock)
    assert snap_compare(
        app, terminal_size=size, run_before=steps(on_tally("jana"), keys("t"), still)
    )
