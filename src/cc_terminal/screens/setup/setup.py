"""F10, Setup (team leads): the knowledge-base catalogue, the configurable lists, the
outbound campaigns, the field teams and the fields added to order kinds; T opens the audit
trail, P the data protection requests, H a department's working hours, F the floor board's
limits. N adds, Enter changes, R retires or restores, I imports a CSV file (on Campaigns:
a lead file, with a preview), Q adds a question to a campaign, A counts its survey
answers; 1-9 and 0 switch tabs (0: how long personal data is kept), U opens the accounts
(screens/setup/accounts.py), M the mailboxes (screens/setup/mailboxes.py)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable, TabbedContent, TabPane

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.orders.setup import (
    OrderFieldForm,
    OrderFieldRow,
    TeamForm,
    TeamRow,
    field_cells,
    team_cells,
    team_rows,
)
from cc_terminal.screens.outbound.campaign_forms import CampaignForm, QuestionForm
from cc_terminal.screens.outbound.lead_import import LeadImportScreen
from cc_terminal.screens.outbound.survey_report import SurveyReport
from cc_terminal.screens.privacy.audit_trail import AuditTrailScreen
from cc_terminal.screens.privacy.data_requests import DataRequestsScreen
from cc_terminal.screens.setup.accounts import AccountsTab
from cc_terminal.screens.setup.floor_limits import SetsFloorLimits
from cc_terminal.screens.setup.forms import (
    CATALOGUE,
    ChoiceForm,
    Imported,
    ImportForm,
    Kept,
    ProductForm,
    RetentionForm,
)
from cc_terminal.screens.setup.hours import WorkingHoursForm
from cc_terminal.screens.setup.mailboxes import MailboxesTab
from cc_terminal.screens.setup.rows import (
    ACCOUNTS,
    CAMPAIGNS,
    MAILBOXES,
    ORDER_FIELDS,
    RETENTION,
    TEAMS,
    campaign_row,
    choice_row,
    item_row,
    setup_columns,
)
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.reference import LIST_TITLES
from cc_terminal.services.common.views import Choice
from cc_terminal.services.outbound.campaigns import CampaignView
from cc_terminal.services.outbound.lead_import import ImportReport
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.plain_widgets import InOrderTable
from cc_terminal.widgets.worker_results import show_latest

TABS: tuple[ListKind | str, ...] = (
    CATALOGUE,
    *ListKind,
    CAMPAIGNS,
    TEAMS,
    ORDER_FIELDS,
    RETENTION,
    ACCOUNTS,  # no digit left: U
    MAILBOXES,  # M
)
OWN_WIDGETS = (ACCOUNTS, MAILBOXES)  # the last tabs: each a widget of its own, not a table
TAB_TITLES: dict[ListKind | str, str] = {
    CATALOGUE: N_("Catalogue"),
    CAMPAIGNS: N_("Campaigns"),
    TEAMS: N_("Teams"),
    ORDER_FIELDS: N_("Order fields"),
    RETENTION: N_("Retention"),
    ACCOUNTS: N_("Accounts"),
    MAILBOXES: N_("Mailboxes"),
}


def tab_title(target: ListKind | str) -> str:
    """A tab's title in the language of the moment (a list's from its service)."""
    return _(LIST_TITLES[target] if isinstance(target, ListKind) else TAB_TITLES[target])


def tab_id(target: ListKind | str) -> str:
    return f"setup-tab-{target}"


def tab_key(target: ListKind | str) -> str:
    return {ACCOUNTS: "U", MAILBOXES: "M"}.get(str(target)) or str((TABS.index(target) + 1) % 10)


def tab_labels(active: ListKind | str, width: int) -> dict[ListKind | str, str]:
    """Every tab's key and title when they fit the line (a tab pads each side by a cell);
    else the tab shown keeps its title and the others their keys: eleven titles fit
    neither 80 nor, in Czech, 120 columns."""
    labels = {target: f"{tab_key(target)} {tab_title(target)}" for target in TABS}
    if sum(cell_len(label) + 2 for label in labels.values()) <= width:
        return labels
    return {target: labels[target] if target == active else tab_key(target) for target in TABS}


class SetupScreen(SetsFloorLimits, WorkstationScreen[SetupServices]):
    AREA = N_("Setup")
    BINDINGS = [
        Binding("n", "new", N_("New"), id="setup.new"),
        Binding("r", "retire", N_("Retire / restore"), id="setup.retire"),
        Binding("i", "import_csv", N_("Import"), id="setup.import"),
        Binding("j", "app.choose_language", N_("My language"), id="setup.language", show=False),
        Binding("q", "question", N_("Add a question"), id="setup.question"),
        Binding("a", "answers", N_("Survey answers"), id="setup.answers"),
        Binding("h", "hours", N_("Working hours"), id="setup.hours"),
        Binding("t", "audit_trail", N_("Audit trail"), id="setup.audit"),
        Binding("p", "data_requests", N_("Data protection"), id="setup.privacy"),
        Binding("u", "tab(11)", N_("Accounts"), id="setup.accounts"),
        Binding("m", "tab(12)", N_("Mailboxes"), id="setup.mailboxes"),
        Binding("f", "floor_limits", N_("Floor limits"), id="setup.floor"),
        Binding(
            "e", "app.phone_settings", N_("Phone of this terminal"), id="setup.phone", show=False
        ),
        *(
            Binding(str(n % 10), f"tab({n})", N_("The tab of that number"), show=False)
            for n in range(1, 11)
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.catalogue: tuple[ProductItem, ...] = ()
        self.campaigns: tuple[CampaignView, ...] = ()
        self.teams: list[TeamRow] = []
        self.order_fields: list[OrderFieldRow] = []
        self.retention: Kept = Kept([], None)

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_(self.AREA))
        with TabbedContent(id="setup-tabs"):
            for target in TABS[: -len(OWN_WIDGETS)]:
                with TabPane(f"{tab_key(target)} {tab_title(target)}", id=tab_id(target)):
                    table: DataTable[Text | str] = InOrderTable(
                        id=f"setup-{target}", cursor_type="row"
                    )
                    table.add_columns(*setup_columns(target))
                    yield table
            with TabPane(f"{tab_key(ACCOUNTS)} {tab_title(ACCOUNTS)}", id=tab_id(ACCOUNTS)):
                yield AccountsTab(self.app.zone)
            with TabPane(f"{tab_key(MAILBOXES)} {tab_title(MAILBOXES)}", id=tab_id(MAILBOXES)):
                yield MailboxesTab(self.app.zone)
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(f"#setup-{CATALOGUE}", DataTable))
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        actor = self.workstation.actor
        if actor is None or not actor.is_lead:
            return False
        if action in ("question", "answers"):
            return self.target == CAMPAIGNS
        if action == "hours":
            return self.target == ListKind.DEPARTMENT
        if action in ("new", "retire", "import_csv"):
            return self.target not in (RETENTION, *OWN_WIDGETS)
        return True

    @property
    def target(self) -> ListKind | str:
        active = self.query_one(TabbedContent).active
        return next(t for t in TABS if tab_id(t) == active)

    def action_audit_trail(self) -> None:
        self.app.push_screen(AuditTrailScreen())

    def action_data_requests(self) -> None:
        self.app.push_screen(DataRequestsScreen())

    def action_tab(self, number: int) -> None:
        self.query_one(TabbedContent).active = tab_id(TABS[number - 1])
        self.focus_tab()

    @on(TabbedContent.TabActivated)
    def tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.label_tabs(self.size.width)
        self.focus_tab()
        self.refresh_bindings()

    def fit_to(self, size: Size) -> None:
        super().fit_to(size)
        self.label_tabs(size.width)

    def label_tabs(self, width: int) -> None:
        tabs = self.query_one(TabbedContent)
        for target, label in tab_labels(self.target, width).items():
            tab = tabs.get_tab(tab_id(target))
            if tab.label.plain != label:
                tab.label = label

    def focus_tab(self) -> None:
        if self.target == ACCOUNTS:  # twice: U, then the tab's message (keys may be between)
            accounts = self.query_one(AccountsTab)
            if self.focused is None or accounts not in self.focused.ancestors:
                accounts.focus_filter()
                accounts.load()
        elif self.target == MAILBOXES:
            self.query_one(MailboxesTab).focus_table()
            self.query_one(MailboxesTab).load()
        else:
            self.set_focus(self.query_one(f"#setup-{self.target}", DataTable))

    # -- showing ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="setup-load")
    def load(self) -> None:
        services = self.services
        catalogue = services.catalog.items()
        campaigns = services.campaigns.campaigns()
        teams = team_rows(services)
        order_fields = [OrderFieldRow(*row) for row in services.order_setup.every_field()]
        kept = Kept(services.retention.settings(), services.retention.last_run())
        show_latest(self.app, self.show, catalogue, campaigns, teams, order_fields, kept)

    def show(
        self,
        catalogue: tuple[ProductItem, ...],
        campaigns: tuple[CampaignView, ...],
        teams: list[TeamRow],
        order_fields: list[OrderFieldRow],
        kept: Kept,
    ) -> None:
        self.catalogue, self.campaigns = catalogue, campaigns
        self.teams, self.order_fields, self.retention = teams, order_fields, kept
        lists = self.workstation.lists
        for target in TABS[: -len(OWN_WIDGETS)]:
            table = self.query_one(f"#setup-{target}", DataTable)
            cursor = table.cursor_row
            table.clear()
            if isinstance(target, ListKind):
                for choice in lists.by_kind[target]:
                    table.add_row(
                        *choice_row(target, choice, self.workstation.lists), key=choice.code
                    )
            elif target == CAMPAIGNS:
                for campaign in campaigns:
                    table.add_row(*campaign_row(campaign), key=campaign.code)
            elif target == TEAMS:
                for team in teams:
                    table.add_row(*team_cells(team), key=team.team.code)
            elif target == RETENTION:
                for setting in kept.settings:
                    table.add_row(*kept.cells(setting, self.app.zone), key=setting.kind)
            elif target == ORDER_FIELDS:
                for index, field in enumerate(order_fields):
                    table.add_row(*field_cells(field), key=str(index))
            else:
                region = self.workstation.settings.default_region
                for item in catalogue:
                    table.add_row(*item_row(item, region), key=item.code)
            if table.row_count:
                table.move_cursor(row=min(cursor, table.row_count - 1))

    # -- changing -----------------------------------------------------------------------

    def selected(self) -> Any:
        target = self.target
        if target in OWN_WIDGETS:
            return None
        table = self.query_one(f"#setup-{target}", DataTable)
        if not table.row_count:
            return None
        if isinstance(target, ListKind):
            return self.workstation.lists.by_kind[target][table.cursor_row]
        if target == CAMPAIGNS:
            return self.campaigns[table.cursor_row]
        if target == TEAMS:
            return self.teams[table.cursor_row]
        if target == ORDER_FIELDS:
            return self.order_fields[table.cursor_row]
        if target == RETENTION:
            return self.retention.settings[table.cursor_row]
        return self.catalogue[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(self._form(self.target, None), self.changed)

    def _form(self, target: ListKind | str, current: Any) -> Screen[Any]:
        if isinstance(target, ListKind):
            return ChoiceForm(target, current)
        if target == TEAMS:
            return TeamForm(current)
        if target == ORDER_FIELDS:
            return OrderFieldForm(current)
        if target == RETENTION:
            return RetentionForm(current)
        return CampaignForm(current) if target == CAMPAIGNS else ProductForm(current)

    @on(DataTable.RowSelected)
    def edit(self, event: DataTable.RowSelected) -> None:
        target, current = self.target, self.selected()
        if current is not None:
            self.app.push_screen(self._form(target, current), self.changed)

    def action_retire(self) -> None:
        target, current = self.target, self.selected()
        if isinstance(target, ListKind) and isinstance(current, Choice):
            self.toggle(target, replace(current, active=not current.active))
        elif isinstance(current, CampaignView):
            self.toggle_campaign(current)
        elif isinstance(current, TeamRow | OrderFieldRow):
            self.notify(_("Enter opens it: In use is on the form."))
        elif current is not None:
            self.notify(_("Catalogue items end by their Valid until date: Enter to change it."))

    @work(thread=True, exclusive=True, exit_on_error=False, group="setup-save")
    def toggle(self, kind: ListKind, choice: Choice) -> None:
        try:
            self.services.reference.save(self.workstation.require_actor(), kind, choice)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
        else:
            self.app.call_from_thread(self.changed, choice)

    @work(thread=True, exclusive=True, exit_on_error=False, group="setup-save")
    def toggle_campaign(self, campaign: CampaignView) -> None:
        changed = replace(campaign, active=not campaign.active)
        try:
            self.services.campaigns.update(
                self.workstation.require_actor(), changed, campaign.version
            )
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8)
        else:
            self.app.call_from_thread(self.changed, changed)

    def action_import_csv(self) -> None:
        current = self.selected()
        if self.target in (TEAMS, ORDER_FIELDS):
            self.notify(_("Teams and order fields are added with N."))
            return
        if self.target == CAMPAIGNS:
            if isinstance(current, CampaignView):
                self.app.push_screen(LeadImportScreen(current), self.changed)
            else:
                self.notify(_("Set up a campaign first (N)."))
            return
        self.app.push_screen(ImportForm(self.target), self.changed)

    def action_question(self) -> None:
        current = self.selected()
        if isinstance(current, CampaignView):
            self.app.push_screen(QuestionForm(current), self.changed)

    def action_hours(self) -> None:
        current = self.selected()
        if self.target is ListKind.DEPARTMENT and isinstance(current, Choice):
            self.app.push_screen(WorkingHoursForm(current), self.changed)

    def action_answers(self) -> None:
        current = self.selected()
        if isinstance(current, CampaignView):
            self.app.push_screen(SurveyReport(current))

    def changed(self, result: object) -> None:
        if result is None:
            return
        if isinstance(result, Imported):
            self.notify(
                ngettext("{n} row imported.", "{n} rows imported.", result.count).format(
                    n=result.count
                )
            )
        if isinstance(result, ImportReport):
            self.notify(
                ngettext("{n} lead added.", "{n} leads added.", result.added).format(n=result.added)
            )
        self.refresh_all()

    @work(exclusive=True, exit_on_error=False, group="setup-reload")
    async def refresh_all(self) -> None:
        await self.workstation.reload_lists()
        self.load()
