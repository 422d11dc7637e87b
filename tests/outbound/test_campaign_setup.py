"""Setup, tab 7 (team leads): a campaign made and changed from the keyboard, a question
added, and a lead file imported with its preview, mapping, progress and report."""

from pathlib import Path

from sqlalchemy import select
from textual.widgets import Select, TextArea

from cc_terminal.models import Lead
from cc_terminal.screens.outbound.campaign_forms import CampaignForm, QuestionForm
from cc_terminal.screens.outbound.lead_import import LeadImportScreen
from cc_terminal.screens.setup.setup import SetupScreen
from tests.conftest import login
from tests.outbound.outbound_floor import set_up_campaigns
from tests.tui import SIZE, make_app, settle, sign_in, type_text

SAMPLES = Path(__file__).parents[2] / "data" / "samples"


async def to_campaigns(pilot):
    await sign_in(pilot, "lead")
    await pilot.press("f10")
    await settle(pilot)
    assert isinstance(pilot.app.screen, SetupScreen)
    await pilot.press("7")
    await settle(pilot)


async def test_a_campaign_is_set_up_and_leads_imported_from_the_keyboard(
    sqlite_url, tmp_path, clock
):
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await to_campaigns(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CampaignForm)
        await type_text(pilot, "zima")
        await pilot.press("enter")
        await type_text(pilot, "Zimní tarify")
        app.screen.query_one("#campaign-product_code").value = "MOB-M"
        app.screen.query_one("#campaign-weekday_window").value = "20:00-09:00"
        app.screen.query_one("#campaign-script", TextArea).text = "Dobrý den, {jmeno}"
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CampaignForm)  # refused, every message next to its field
        assert "end after it starts" in form.query_one("#weekday_window-field").error
        assert "{jmeno}" in form.query_one("#script-field").error
        form.query_one("#campaign-weekday_window").value = "09:00-20:00"
        form.query_one("#campaign-script", TextArea).text = "Dobrý den, {name}: {product}."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        assert [c.code for c in app.screen.campaigns] == ["zima"]
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, QuestionForm)
        await type_text(pilot, "why")
        await pilot.press("enter")
        await type_text(pilot, "Why your provider?")
        app.screen.query_one("#campaign-q-choices", TextArea).text = "price\ncoverage"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        ws = app.require_services()
        assert [q.code for q in ws.surveys.questions("zima")] == ["why"]
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, LeadImportScreen)
        await type_text(pilot, str(SAMPLES / "leads-winter.csv"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        found = str(app.screen.query_one("#import-found").content)
        assert "CSV/TSV with a header; utf-8-sig; separated by ;" in found
        assert app.screen.query_one("#map-2", Select).value == "phone"
        app.screen.query_one("#import-temperature", Select).value = "hot"
        await pilot.press("ctrl+s")
        await settle(pilot)
        report = str(app.screen.query_one("#import-report").content)
        assert "Rows: 5; leads added: 3" in report and "line 7:" in report
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        with ws.db.read() as session:
            leads = session.scalars(select(Lead)).all()
        assert len(leads) == 3 and {lead.temperature for lead in leads} == {"hot"}


async def test_ctrl_s_right_after_the_preview_imports_with_the_guessed_columns(
    sqlite_url, tmp_path, clock
):
    """A fast typist's Ctrl+S can arrive before the column pickers are mounted (it did in
    CI, in tmux): the import must still use the guessed mapping, not empty pickers."""
    app = make_app(sqlite_url, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "lead")
        ws = app.require_services()
        set_up_campaigns(ws, login(ws, "lead"))
        await pilot.press("f10", "7")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, LeadImportScreen)
        screen = app.screen
        lead_file = ws.leads.read(SAMPLES / "leads-winter.csv")
        screen.show_preview(lead_file, [])
        screen.action_start()  # in the same turn: the pickers are not mounted yet
        await settle(pilot)
        report = str(app.screen.query_one("#import-report").content)
        assert "Rows: 5; leads added: 3" in report
