"""``cc-terminal orders``: the field teams' exports (CSV or XLSX of a period's orders, the
80-column day sheet of a team) and the loan products a loan application is checked against."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import (
    AsLead,
    PasswordStdin,
    fail,
    open_as_lead,
    parse_day,
    reported_errors,
)
from cc_terminal.config import Settings
from cc_terminal.i18n import _, ngettext

if TYPE_CHECKING:
    from cc_terminal.services.workstation import Workstation


def _today(ws: Workstation) -> date:
    return ws.calls.clock().astimezone(ZoneInfo(ws.settings.timezone)).date()


orders_cli = CommandLine(help=_("Orders: exports for the field teams, loan products."))


def _day(text: str | None, default: date) -> date:
    return parse_day(text) or default


@orders_cli.command(
    "export",
    help=_(
        "The orders of the period (by visit day, or the day taken), drafts and cancelled left out."
    ),
)
def orders_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help=_("The file to write (.csv or .xlsx)."))],
    day_from: Annotated[str | None, typer.Option("--from", help=_("First day (tomorrow)."))] = None,
    day_to: Annotated[str | None, typer.Option("--to", help=_("Last day (the first)."))] = None,
    team: Annotated[str, typer.Option(help=_("One team's code; all teams when left out."))] = "",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    kind = "xlsx" if out.suffix.lower() == ".xlsx" else "csv"
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        tomorrow = _today(ws) + timedelta(days=1)
        first = _day(day_from, tomorrow)
        result = ws.order_export.export(lead, out, kind, first, _day(day_to, first), team)
    typer.echo(
        ngettext(
            "{n} order written to {path}.", "{n} orders written to {path}.", result.rows
        ).format(n=result.rows, path=out)
    )


@orders_cli.command(
    "day-sheet", help=_("A team's visits of the day as plain text that prints on 80 columns.")
)
def orders_day_sheet(
    ctx: typer.Context,
    team: Annotated[str, typer.Argument(help=_("The team's code."))],
    day: Annotated[str | None, typer.Argument(help=_("The day (tomorrow)."))] = None,
    out: Annotated[
        Path | None, typer.Option(help=_("Write it here instead of printing it."))
    ] = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        when = _day(day, _today(ws) + timedelta(days=1))
        if out is None:
            typer.echo(ws.order_export.day_sheet(lead, team, when), nl=False)
            return
        lines = ws.order_export.write_day_sheet(lead, team, when, out)
    typer.echo(_("Day sheet written to {path} ({n} lines).").format(path=out, n=lines))


@orders_cli.command("loan-product", help=_("Add a loan product, or change the one with this code."))
def orders_loan_product(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help=_("Its code, PUJCKA."))],
    name: Annotated[str, typer.Argument(help=_("Its name as operators see it."))],
    amounts: Annotated[str, typer.Option(help=_("Smallest and largest amount: 20000-500000."))],
    months: Annotated[str, typer.Option(help=_("Shortest and longest term: 12-96."))],
    rate: Annotated[str, typer.Option(help=_("Yearly rate in per cent: 8.9."))],
    income_share: Annotated[
        int, typer.Option(help=_("The payment's largest share of the monthly income, per cent."))
    ] = 40,
    currency: str = "CZK",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.orders.loans import LoanTerms

    settings: Settings = ctx.obj
    try:
        low, high = (Decimal(part) for part in amounts.split("-"))
        shortest, longest = (int(part) for part in months.split("-"))
        yearly = Decimal(rate.replace(",", "."))
    except (ValueError, InvalidOperation):
        raise fail(
            _("Write amounts as 20000-500000, months as 12-96 and the rate as 8.9.")
        ) from None
    terms = LoanTerms(code, name, low, high, shortest, longest, yearly, income_share, currency)
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        ws.order_setup.save_loan_product(lead, terms)
    typer.echo(_("Loan product {code} saved.").format(code=code))
