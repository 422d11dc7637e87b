"""The audit trail, for team leads (F10, then T): who signed in, opened whose card, revealed
what and why, exported, imported, was refused. Filters by group, person, days and record;
Ctrl+E writes what is shown to a CSV file. Reading the trail is audited too."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Select

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.privacy.services import PrivacyServices
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.typed_dates import parse_date
from cc_terminal.services.privacy.audit_trail import GROUPS, AuditEntry, AuditFilter
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_field import FormField, show_field_errors
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.row_table import LazyRows, RowTable
from cc_terminal.widgets.safe_text import shown
from cc_terminal.widgets.worker_results import show_latest

if TYPE_CHECKING:
    from cc_terminal.models import AuditCheck

COLUMNS = (
    (N_("When"), 15),
    (N_("Who"), 10),
    (N_("Event"), 24),
    (N_("About"), 24),
    (N_("Detail"), 38),
)
REFUSED_STYLE = "bold red"


class AuditTrailScreen(WorkstationAccess[PrivacyServices], Screen[None]):
    AREA = N_("Audit trail")
    BINDINGS = [
        Binding("ctrl+f", "focus_filters", N_("Filters"), id="audit.filters"),
        Binding("ctrl+e", "export", N_("Export"), id="audit.export", priority=True),
        Binding("escape", "close", N_("Back"), id="audit.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []

    def compose(self) -> ComposeResult:
        yield WorkstationHeader(_(self.AREA))
        with Horizontal(id="audit-filters"):
            yield FormField(
                _("Events"),
                PlainSelect(
                    [(_(label), key) for key, label in GROUPS.items()],
                    prompt=_("All"),
                    id="audit-group",
                ),
                name="group",
            )
            yield FormField(_("User name"), FormInput(id="audit-who"), name="who")
            yield FormField(_("From day"), FormInput(id="audit-since"), name="since")
            yield FormField(_("To day"), FormInput(id="audit-until"), name="until")
            yield FormField(_("About (name or id)"), FormInput(id="audit-subject"), name="subject")
        yield InPlaceText(_("Loading the audit trail…"), id="audit-count")
        yield InPlaceText("", id="audit-verified")
        yield RowTable([(_(title), width) for title, width in COLUMNS], id="audit-events")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#audit-events", RowTable))
        self.action_refresh()

    def action_refresh(self) -> None:
        wanted = self.wanted()
        if wanted is not None:
            self.load(wanted)

    def wanted(self) -> AuditFilter | None:
        """The filters typed, or None with a message next to each day that is no date."""
        days: dict[str, date | None] = {}
        errors: dict[str, str] = {}
        for name in ("since", "until"):
            typed = self.query_one(f"#audit-{name}", FormInput).value.strip()
            try:
                days[name] = parse_date(typed) if typed else None
            except ValueError:
                errors[name] = _("A day like 1.12.2026.")
        show_field_errors(self, errors)
        if errors:
            return None
        group = self.query_one("#audit-group", Select).value
        return AuditFilter(
            group=group if isinstance(group, str) else "",
            who=self.query_one("#audit-who", FormInput).value.strip(),
            since=days["since"],
            until=days["until"],
            subject=self.query_one("#audit-subject", FormInput).value.strip(),
        )

    @on(Select.Changed, "#audit-group")
    def group_changed(self) -> None:
        self.action_refresh()

    @on(Input.Submitted, "#audit-filters Input")
    def filter_typed(self) -> None:
        """Enter applies the filters and goes to the list, unless a day is wrong."""
        wanted = self.wanted()
        if wanted is not None:
            self.load(wanted)
            self.set_focus(self.query_one("#audit-events", RowTable))

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit-load")
    def load(self, wanted: AuditFilter) -> None:
        try:
            actor = self.workstation.require_actor()
            entries = self.services.audit.events(actor, wanted)
            check = self.services.audit.last_verified(actor)
        except ServiceError as error:
            self.app.call_from_thread(self._count, str(error))
            return
        show_latest(self.app, self.show_entries, entries)
        show_latest(self.app, self.show_verified, check)

    def show_verified(self, check: AuditCheck | None) -> None:
        """When ``cc-terminal audit verify`` last walked the chain, and what it found."""
        shown = self.query_one("#audit-verified", InPlaceText)
        if check is None:
            shown.text = Text(_("The trail was never verified: run 'cc-terminal audit verify'."))
            return
        when = check.at.astimezone(self.workstation.zone).strftime("%d.%m.%Y %H:%M")
        if check.intact:
            shown.text = Text(
                ngettext(
                    "Verified {when}: the chain was intact ({n} event).",
                    "Verified {when}: the chain was intact ({n} events).",
                    check.events,
                ).format(when=when, n=check.events)
            )
        else:
            shown.text = Text(
                _("Verified {when}: the chain was BROKEN, {first}").format(
                    when=when, first=check.first_break
                ),
                style=REFUSED_STYLE,
            )

    def show_entries(self, entries: list[AuditEntry]) -> None:
        self.entries = entries
        self.query_one("#audit-events", RowTable).show(LazyRows(entries, self._row))
        count = ngettext("{n} event", "{n} events", len(entries)).format(n=len(entries))
        self._count(
            _("{count}, the newest first. Ctrl+F filters; Ctrl+E exports.").format(count=count)
        )

    def _count(self, text: str) -> None:
        self.query_one("#audit-count", InPlaceText).text = text

    def _row(self, entry: AuditEntry) -> tuple[Text | str, ...]:
        when = entry.at.astimezone(self.workstation.zone).strftime("%d.%m. %H:%M:%S")
        label = Text(_(entry.label), style=REFUSED_STYLE if entry.kind.endswith("refused") else "")
        about = entry.about or entry.subject
        return (when, entry.who or "—", label, shown(about), shown(entry.detail))

    def action_focus_filters(self) -> None:
        self.set_focus(self.query_one("#audit-group", Select))

    def action_export(self) -> None:
        wanted = self.wanted()
        if wanted is None:
            return
        default = str(self.workstation.settings.data_dir / "audit-trail.csv")

        def chosen(path: str | None) -> None:
            if path:
                self.export(Path(path).expanduser(), wanted)

        dialog = TextDialog(
            _("Export the audit trail"),
            _("File to write (CSV, readable by you only)"),
            _("The events the filters show, oldest first."),
            default,
        )
        self.app.push_screen(dialog, chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit-export")
    def export(self, path: Path, wanted: AuditFilter) -> None:
        try:
            count = self.services.audit.export(self.workstation.require_actor(), path, wanted)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
            return
        message = _("Wrote {n} audit events to {path}.").format(n=count, path=path)
        self.app.call_from_thread(self.notify, message, timeout=10)

    def action_close(self) -> None:
        self.dismiss(None)
