"""Importing a lead file into a campaign from Setup: read it (format, encoding and delimiter
detected), see a preview with the guessed column for each target and change any, then
import with a progress bar (a worker: the screen never freezes) and read the report with
every rejected line."""

from __future__ import annotations

from itertools import islice
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Select, Static

from cc_terminal.customer_fields import IMPORTED
from cc_terminal.i18n import N_, _
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.outbound.campaigns import CampaignView
from cc_terminal.services.outbound.lead_files import FORMAT_LABELS, TARGETS, LeadFile, LeadFileError
from cc_terminal.services.outbound.lead_import import ImportReport
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.row_table import RowTable
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.words import label

PREVIEW_ROWS = 8
MAPPED_COLUMNS = 12


def target_labels() -> dict[str, str]:
    """What each target is called in the column list: the lead's own, and the customer's
    declared fields by their labels (customer_fields.py)."""
    return {
        "phone": _("Phone"),
        "name": _("Full name"),
        "first_name": _("First name"),
        "last_name": _("Last name"),
        **{field.name: field.label() for field in IMPORTED},
        "consent": _("Consent"),
    }


class LeadImportScreen(WorkstationAccess[OutboundServices], ModalScreen[ImportReport | None]):
    AREA = N_("Import leads")
    BINDINGS = [
        Binding("ctrl+r", "read", N_("Read the file"), id="leads.read"),
        Binding("ctrl+s", "start", N_("Import"), id="leads.import"),
        Binding("escape", "close", N_("Close"), id="leads.close"),
    ]

    def __init__(self, campaign: CampaignView) -> None:
        super().__init__()
        self.campaign = campaign
        self.lead_file: LeadFile | None = None
        self.report: ImportReport | None = None
        self.running = False
        # The mapping lives here, not in the Select widgets: Ctrl+S pressed before they
        # are mounted (a fast typist, a slow machine) must import with the guessed columns.
        self.chosen: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        temperatures = [(_("cold"), "cold"), (_("warm"), "warm"), (_("hot"), "hot")]
        with Vertical(id="lead-import", classes="dialog form-dialog"):
            yield Static(
                plain(_("Import leads into {name}").format(name=self.campaign.name)),
                classes="dialog-title",
            )
            with Grid(id="lead-import-grid"):
                yield FormField(_("File"), _typed("import-path"), name="file")
                yield FormField(
                    _("List name (default: the file's)"), _typed("import-list"), name="list"
                )
                yield FormField(
                    _("Temperature"),
                    PlainSelect(
                        temperatures, value="cold", allow_blank=False, id="import-temperature"
                    ),
                    name="temperature",
                )
                yield FormField(
                    _("Operators by comma (else the pool)"),
                    _typed("import-assign"),
                    name="assign_to",
                )
            yield Static(_("Ctrl+R reads the file and shows a preview."), id="import-found")
            with VerticalScroll(id="import-mapping"):
                yield Grid(id="import-columns")
            yield RowTable((), id="import-preview", share_width=True)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-report")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.set_focus(self.query_one("#import-path"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return self.lead_file is not None and self.report is None and not self.running
        if action == "read":
            return not self.running
        return True

    # -- reading and the preview --------------------------------------------------------

    @on(FormInput.Submitted, "#import-path")
    def action_read(self) -> None:
        typed = self.query_one("#import-path", FormInput).value.strip()
        show_field_errors(self, {})
        if not typed:
            show_field_errors(self, {"file": _("Type the path of the lead file.")})
            return
        self.read_file(Path(typed).expanduser())

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-read")
    def read_file(self, path: Path) -> None:
        try:
            lead_file = self.services.leads.read(path)
            preview = [row.values for row in islice(lead_file.rows(), PREVIEW_ROWS)]
        except LeadFileError as error:
            self.app.call_from_thread(show_field_errors, self, {"file": str(error)})
        else:
            self.app.call_from_thread(self.show_preview, lead_file, preview)

    def show_preview(self, lead_file: LeadFile, preview: list[dict[str, str]]) -> None:
        self.lead_file = lead_file
        self.chosen = {
            column: lead_file.mapping.get(column, "")
            for column in lead_file.columns[:MAPPED_COLUMNS]
        }
        self.report = None
        self.query_one("#import-report", Static).update("")
        self._say_found(lead_file)
        self._show_mapping(lead_file)
        table = self.query_one("#import-preview", RowTable)
        shown = lead_file.columns[:MAPPED_COLUMNS]
        table.set_columns([(column[:14], 14) for column in shown])
        table.show([tuple(row.get(column, "") for column in shown) for row in preview])
        self.refresh_bindings()

    def _say_found(self, lead_file: LeadFile) -> None:
        """What the file was read as: its format, encoding and separator."""
        delimiter = {"\t": _("tab"), " ": _("space")}.get(lead_file.delimiter, lead_file.delimiter)
        found = _(
            "{format}; {encoding}; separated by {delimiter}. "
            "Check where each column goes, then Ctrl+S imports."
        )
        self.query_one("#import-found", Static).update(
            plain(
                found.format(
                    format=label(FORMAT_LABELS, lead_file.format),
                    encoding=lead_file.encoding,
                    delimiter=delimiter,
                )
            )
        )

    def _show_mapping(self, lead_file: LeadFile) -> None:
        """Where each column goes, one choice per column, as the file suggests it."""
        columns = self.query_one("#import-columns", Grid)
        columns.remove_children()
        labels = target_labels()
        targets = [(_("Keep as extra data"), "")] + [(labels[t], t) for t in TARGETS]
        fields = [
            FormField(
                column,
                PlainSelect(
                    targets,
                    value=lead_file.mapping.get(column, ""),
                    allow_blank=False,
                    id=f"map-{index}",
                ),
                name=f"map-{index}",
            )
            for index, column in enumerate(lead_file.columns[:MAPPED_COLUMNS])
        ]
        columns.mount_all(fields)

    @on(Select.Changed, "#import-columns Select")
    def remember_column(self, event: Select.Changed) -> None:
        if self.lead_file is None or event.select.id is None:
            return
        index = int(event.select.id.removeprefix("map-"))
        value = event.value
        self.chosen[self.lead_file.columns[index]] = "" if value is Select.NULL else str(value)

    # -- importing ----------------------------------------------------------------------

    def action_start(self) -> None:
        if self.lead_file is None:
            return
        try:
            self.lead_file.remap(self.chosen)
        except LeadFileError as error:
            self.query_one("#import-report", Static).update(plain(str(error), multi_line=True))
            return
        self.running = True
        self.refresh_bindings()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        assign = self.query_one("#import-assign", FormInput).value.split(",")
        self.import_file(
            self.lead_file,
            self.query_one("#import-list", FormInput).value.strip(),
            str(self.query_one("#import-temperature", Select).value),
            [name.strip() for name in assign if name.strip()],
        )

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-import")
    def import_file(
        self, lead_file: LeadFile, list_name: str, temperature: str, assign_to: list[str]
    ) -> None:
        bar = self.query_one("#import-progress", ProgressBar)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(bar.update, total=total, progress=done)

        actor = self.workstation.require_actor()
        try:
            report = self.services.leads.import_file(
                actor, lead_file, self.campaign.code, list_name, temperature, assign_to, progress
            )
        except ValidationFailed as failed:
            self.app.call_from_thread(self.failed, failed.errors)
        except (ServiceError, LeadFileError) as error:
            self.app.call_from_thread(self.failed, {"file": str(error)})
        else:
            self.app.call_from_thread(self.show_report, report)

    def failed(self, errors: dict[str, str]) -> None:
        self.running = False
        self.query_one("#import-progress").display = False
        show_field_errors(self, errors)
        self.query_one("#import-report", Static).update(
            plain("\n".join(errors.values()), multi_line=True)
        )
        self.refresh_bindings()

    def show_report(self, report: ImportReport) -> None:
        self.running = False
        self.report = report
        lines = "\n".join(report.lines(most=40))
        self.query_one("#import-report", Static).update(plain(lines, multi_line=True))
        self.refresh_bindings()

    def action_close(self) -> None:
        if not self.running:
            self.dismiss(self.report)


def _typed(widget_id: str) -> FormInput:
    return FormInput(id=widget_id, max_length=500, enter_moves_focus=True)
