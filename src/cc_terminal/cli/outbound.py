"""The outbound commands: ``campaign add|list|answers``, ``leads import|export``. Heavy modules are
imported inside the commands, as in ``cli.py``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, fail, open_as_lead, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from cc_terminal.services.outbound.lead_views import ImportReport

campaign_cli = CommandLine(help=_("Outbound campaigns."))
leads_cli = CommandLine(help=_("Leads of outbound campaigns."))

# The options whose help takes a line of its own.
ScriptFile = Annotated[
    Path | None, typer.Option(help=_("The script, with {name}, {product}, {price} ..."))
]
SaturdayWindow = Annotated[str, typer.Option(help=_("Saturday; empty for none."))]
ReleaseMinutes = Annotated[
    int, typer.Option(help=_("A personal callback passes to anyone after this."))
]
ListName = Annotated[
    str | None, typer.Option("--list", help=_("List name (default: the file's name)."))
]
SharedBy = Annotated[
    str, typer.Option(help=_("Operators to share the leads, comma-separated; none: a pool."))
]
ColumnMap = Annotated[
    list[str] | None,
    typer.Option("--map", help=_("COLUMN=TARGET, e.g. --map Mobil=phone (repeatable).")),
]


@campaign_cli.command(
    "add", help=_("Set up an outbound campaign with the default disposition set.")
)
def campaign_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=_("Short code: small letters, digits, - or _."))],
    name: Annotated[str, typer.Option(help=_("Name operators see."))],
    kind: Annotated[str, typer.Option(help="sales | survey | informational | order_confirmation")],
    product: Annotated[str, typer.Option(help=_("Catalogue code offered (sales)."))] = "",
    script_file: ScriptFile = None,
    weekday_window: Annotated[str, typer.Option(help=_("Mon-Fri calling window."))] = "09:00-20:00",
    saturday_window: SaturdayWindow = "10:00-18:00",
    attempts: Annotated[int, typer.Option(help=_("Attempts per lead."))] = 6,
    retry_minutes: Annotated[int, typer.Option(help=_("Gap after no answer."))] = 120,
    release_minutes: ReleaseMinutes = 60,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.outbound.campaigns import CampaignDraft, read_script

    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        script = read_script(script_file) if script_file else ""
        draft = CampaignDraft(
            code,
            name,
            kind,
            script,
            product,
            weekday_window,
            saturday_window,
            attempts,
            retry_minutes,
            release_minutes,
        )
        made = ws.campaigns.create(lead, draft)
    typer.echo(_("Campaign {code} set up.").format(code=made.code))


@campaign_cli.command("list", help=_("The campaigns, their kind and windows."))
def campaign_list(ctx: typer.Context) -> None:
    from cc_terminal.services.workstation import open_workstation

    settings: Settings = ctx.obj
    with reported_errors():
        ws = open_workstation(settings)
        try:
            for campaign in ws.campaigns.campaigns():
                state = _("active") if campaign.active else _("retired")
                saturday = pgettext("short weekday", "sat")
                typer.echo(
                    f"{campaign.code:<20} {campaign.kind:<18} {campaign.weekday_window} "
                    f"{saturday} {campaign.saturday_window or '—':<11} {state:<8} {campaign.name}"
                )
        finally:
            ws.close()


@campaign_cli.command(
    "answers",
    help=_(
        "The survey's answers counted per question (for example why people stay with their current"
        " provider)."
    ),
)
def campaign_answers(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=_("Campaign code."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, _lead):
        report = ws.surveys.report(code)
    if not report:
        typer.echo(_("Campaign {code} has no questions.").format(code=code))
    for question, counts in report:
        typer.echo(f"{question.code}: {question.text}")
        total = sum(counts.values())
        for answer, count in counts.items():
            share = f"{100 * count / total:.0f} %" if total else "—"
            typer.echo(f"  {answer:<30} {count:>6}  {share:>5}")


@leads_cli.command(
    "import",
    help=_(
        "Import leads into a campaign. The format, encoding and delimiter are detected; every "
        "rejected row is listed with its line, every row stored with changes too; importing the "
        "same file again adds nothing. Exit status 1 when the file cannot be used (one line says "
        "why) or when every row was rejected (the report says why, no list is made)."
    ),
)
def leads_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("CSV/TSV, VICIdial or GOautodial file."))],
    campaign: Annotated[str, typer.Option(help=_("Campaign code."))],
    list_name: ListName = None,
    temperature: Annotated[str, typer.Option(help="cold | warm | hot")] = "cold",
    assign: SharedBy = "",
    column: ColumnMap = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.outbound.lead_files import FORMAT_LABELS, LeadFileError

    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        try:
            lead_file = ws.leads.read(file)
            if column:
                lead_file.remap({**lead_file.mapping, **_mapping(column)})
            operators = [name.strip() for name in assign.split(",") if name.strip()]
            report = ws.leads.import_file(
                lead, lead_file, campaign, list_name or "", temperature, operators
            )
        except LeadFileError as error:
            raise fail(str(error)) from None
    _echo_report(file, _(FORMAT_LABELS[lead_file.format]), report)
    if report.rejected and len(report.rejected) == report.rows:
        raise typer.Exit(1)


def _echo_report(file: Path, format_label: str, report: ImportReport) -> None:
    """The file's format and encoding, the report's summary, then each noted row."""
    typer.echo(
        _("{file}: {format}, {encoding}.").format(
            file=file.name, format=format_label, encoding=report.encoding
        )
    )
    summary, *noted = report.lines()
    typer.echo(summary)
    for line in noted:
        typer.echo("  " + line)


def _mapping(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        column, _sep, target = pair.partition("=")
        if not _sep:
            raise fail(_("--map takes COLUMN=TARGET, got {pair}").format(pair=pair))
        found[column.strip()] = target.strip()
    return found


@leads_cli.command(
    "export",
    help=_(
        "Every lead of a campaign, called or not: its state, latest attempt, survey answers and "
        "the file's own columns; vicidial writes VICIdial's lead columns with the status, "
        "pipe-separated."
    ),
)
def leads_export(
    ctx: typer.Context,
    campaign: Annotated[str, typer.Option(help=_("Campaign code."))],
    out: Annotated[Path, typer.Option(help=_("File to write (private to you, 0600)."))],
    format: Annotated[str, typer.Option(help="csv | xlsx | vicidial")] = "csv",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        result = ws.exports.export(lead, campaign, out, format)
    typer.echo(
        ngettext("Wrote {n} row to {path}.", "Wrote {n} rows to {path}.", result.rows).format(
            n=result.rows, path=result.path
        )
    )


@leads_cli.command(
    "reassign", help=_("Move one operator's open leads (new, callbacks, held) to another operator.")
)
def leads_reassign(
    ctx: typer.Context,
    from_user: Annotated[str, typer.Option("--from", help=_("Whose open leads move."))],
    to_user: Annotated[str, typer.Option("--to", help=_("Who works them now."))],
    campaign: Annotated[str, typer.Option(help=_("Only this campaign's leads."))] = "",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        moved = ws.lead_assignment.reassign(lead, from_user, to_user, campaign)
    typer.echo(
        ngettext(
            "Moved {n} lead from {a} to {b}.", "Moved {n} leads from {a} to {b}.", moved
        ).format(n=moved, a=from_user, b=to_user)
    )
