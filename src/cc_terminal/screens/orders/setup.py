"""The team lead's order setup on Setup: a field team (the towns and postal codes it serves,
its base from the register, working days, visit slots) and a field added to an order kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Checkbox, Select, TextArea

from cc_terminal import limits
from cc_terminal.i18n import _, pgettext
from cc_terminal.models.order import OrderKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.orders.services import OrdersServices, TeamServices
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.dispatch import TeamDraft
from cc_terminal.services.orders.labels import KIND_LABELS
from cc_terminal.services.orders.values import ChosenAddress, ExtraField
from cc_terminal.widgets.address_input import AddressInput
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea
from cc_terminal.widgets.words import label, labelled


@dataclass(frozen=True)
class TeamRow:
    """A team as the Setup table shows it: its towns by name and its base as written."""

    team: TeamDraft
    towns: str
    base: str


@dataclass(frozen=True)
class OrderFieldRow:
    kind: OrderKind
    field: ExtraField
    active: bool


def _input(value: str, name: str, limit: int = limits.LABEL, **options: object) -> FormInput:
    return FormInput(value, id=f"setup-{name}", max_length=limit, **options)  # type: ignore[arg-type]


class TeamForm(FormScreen[OrdersServices, TeamDraft]):
    FORM_ID = "team-form"

    def __init__(self, row: TeamRow | None = None) -> None:
        super().__init__()
        self.row = row

    def title_text(self) -> str:
        return (
            _("Field team {code}").format(code=self.row.team.code)
            if self.row
            else _("New field team")
        )

    def compose_fields(self) -> Iterable[Widget]:
        team = self.row.team if self.row else TeamDraft("", "")
        base = None
        if self.row is not None and team.base_address_code is not None:
            base = ChosenAddress(team.base_address_code, self.row.base)
        with Horizontal(classes="form-row"):
            yield FormField(
                _("Code"),
                _input(team.code, "team-code", 40, disabled=self.row is not None),
                name="code",
            )
            yield FormField(pgettext("item", "Name"), _input(team.name, "team-name"), name="name")
        with Horizontal(classes="form-row"):
            yield FormField(
                _("Towns served, comma-separated (a name or a register code)"),
                _input(self.row.towns if self.row else "", "team-towns", 2000),
                name="area",
            )
            yield FormField(
                _("Postal-code prefixes (170 120)"),
                _input(" ".join(team.postal_prefixes), "team-postal", 200),
                name="postal",
            )
        yield AddressInput(_("Base"), self.services.addresses, name="base", start=base)
        with Horizontal(classes="form-row"):
            yield FormField(
                _("Working days (Mon 1 .. Sun 7)"),
                _input(team.working_days, "team-days", 7),
                name="working_days",
            )
            yield Checkbox(_("In use"), team.active, id="setup-team-active")
        yield FormField(
            _("Visit slots, one per line (08:00-10:00)"),
            PlainTextArea("\n".join(team.slots), id="setup-team-slots"),
            name="slots",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#setup-team-name" if self.row else "#setup-team-code"))

    def collect(self) -> tuple[TeamDraft, list[str]]:
        def text(name: str) -> str:
            return self.query_one(f"#setup-team-{name}", FormInput).value

        base = self.query_one("#base-address", AddressInput).chosen
        if base is not None and base.code is None:
            raise ValidationFailed({"base": _("The base must be an address of the register.")})
        towns = [name.strip() for name in text("towns").split(",") if name.strip()]
        draft = TeamDraft(
            code=text("code").strip(),
            name=text("name"),
            postal_prefixes=tuple(text("postal").split()),
            base_address_code=base.code if base else None,
            working_days=text("days").strip(),
            slots=tuple(
                line.strip()
                for line in self.query_one("#setup-team-slots", TextArea).text.splitlines()
                if line.strip()
            ),
            active=self.query_one("#setup-team-active", Checkbox).value,
        )
        return draft, towns

    def store(
        self, services: OrdersServices, actor: Actor, values: tuple[TeamDraft, list[str]]
    ) -> TeamDraft:
        draft, names = values
        towns, problems = services.addresses.towns_named(names)
        if problems:
            raise ValidationFailed({"area": " ".join(problems.values())})
        draft = TeamDraft(
            draft.code,
            draft.name,
            tuple(town.code for town in towns),
            draft.postal_prefixes,
            draft.base_address_code,
            draft.working_days,
            draft.slots,
            draft.active,
        )
        services.dispatch.save_team(actor, draft)
        return draft


class OrderFieldForm(FormScreen[OrdersServices, ExtraField]):
    """A field a team lead adds to an order kind: free text, or one of the choices."""

    FORM_ID = "order-field-form"

    def __init__(self, row: OrderFieldRow | None = None) -> None:
        super().__init__()
        self.row = row

    def title_text(self) -> str:
        return _("A field of an order kind")

    def compose_fields(self) -> Iterable[Widget]:
        row = self.row
        field = row.field if row else ExtraField("", "")
        kinds = labelled(KIND_LABELS)
        yield FormField(
            _("Order kind"),
            PlainSelect(
                kinds,
                value=row.kind.value if row else OrderKind.SERVICE.value,
                allow_blank=False,
                id="setup-field-kind",
                disabled=row is not None,
            ),
            name="kind",
        )
        with Horizontal(classes="form-row"):
            yield FormField(
                _("Code"),
                _input(field.code, "field-code", 40, disabled=row is not None),
                name="code",
            )
            yield FormField(
                _("Label on the form"), _input(field.label, "field-label"), name="label"
            )
        with Horizontal(classes="form-row"):
            yield Checkbox(_("Required"), field.required, id="setup-field-required")
            yield Checkbox(_("In use"), row.active if row else True, id="setup-field-active")
        yield FormField(
            _("Choices, one per line (empty: free text)"),
            PlainTextArea("\n".join(field.choices), id="setup-field-choices"),
            name="choices",
        )

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#setup-field-label" if self.row else "#setup-field-kind"))

    def collect(self) -> tuple[OrderKind, ExtraField, bool]:
        choices = self.query_one("#setup-field-choices", TextArea).text.splitlines()
        field = ExtraField(
            self.query_one("#setup-field-code", FormInput).value.strip(),
            self.query_one("#setup-field-label", FormInput).value,
            self.query_one("#setup-field-required", Checkbox).value,
            tuple(choice.strip() for choice in choices if choice.strip()),
        )
        kind = OrderKind(str(self.query_one("#setup-field-kind", Select).value))
        return kind, field, self.query_one("#setup-field-active", Checkbox).value

    def store(
        self, services: OrdersServices, actor: Actor, values: tuple[OrderKind, ExtraField, bool]
    ) -> ExtraField:
        kind, field, active = values
        services.order_setup.save_field(actor, kind, field, active)
        return field


def team_rows(services: TeamServices) -> list[TeamRow]:
    teams = services.dispatch.teams()
    codes = tuple(code for team in teams for code in team.municipalities)
    names = services.addresses.town_names(codes)
    rows = []
    for team in teams:
        base = None
        if team.base_address_code is not None:
            base = services.addresses.point(team.base_address_code)
        towns = ", ".join(names.get(code, str(code)) for code in team.municipalities)
        rows.append(TeamRow(team, towns, base.text() if base else ""))
    return rows


def team_cells(row: TeamRow) -> list[Text | str]:
    team = row.team
    style = "" if team.active else "dim strike"
    return [
        Text(team.code, style=style),
        Text(team.name, style=style),
        row.towns or "—",
        " ".join(team.postal_prefixes) or "—",
        row.base or "—",
        team.working_days,
        " ".join(team.slots),
        _("yes") if team.active else _("retired"),
    ]


def field_cells(row: OrderFieldRow) -> list[Text | str]:
    style = "" if row.active else "dim strike"
    return [
        label(KIND_LABELS, row.kind),
        Text(row.field.code, style=style),
        Text(row.field.label, style=style),
        _("yes") if row.field.required else _("no"),
        ", ".join(row.field.choices) or _("free text"),
        _("yes") if row.active else _("retired"),
    ]
