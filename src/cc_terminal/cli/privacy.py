"""``cc-terminal audit`` and ``cc-terminal customer``: the team lead's export of the audit
trail (filtered like the screen), and the data protection requests about one customer:
everything held about them in one file, and their erasure."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

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

audit_cli = CommandLine(help=_("The audit trail (team leads)."))


@audit_cli.command(
    "export",
    help=_("Write the audit events, oldest first, to a CSV file (the export is audited too)."),
)
def audit_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("The CSV file to write (readable by you only)."))],
    user: Annotated[str, typer.Option(help=_("Only this user name's events."))] = "",
    group: Annotated[
        str, typer.Option(help=_("login, session, account, config, customer, permission, …"))
    ] = "",
    since: Annotated[str | None, typer.Option(help=_("From this day."))] = None,
    until: Annotated[str | None, typer.Option(help=_("To this day, included."))] = None,
    record: Annotated[str, typer.Option(help=_("Only events about this record id."))] = "",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.privacy.audit_trail import GROUPS, AuditFilter

    if group and group not in GROUPS:
        raise fail(_("No group {g}; one of: {all}.").format(g=group, all=", ".join(GROUPS)))
    wanted = AuditFilter(group, user, parse_day(since), parse_day(until), record)
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        count = ws.audit.export(lead, file, wanted)
    typer.echo(_("Wrote {n} audit events to {path}.").format(n=count, path=file))


@audit_cli.command(
    "verify",
    help=_(
        "Check the audit trail's hash chains and report the first break (exit status 1). Needs no "
        "sign-in; the result shows on the team lead's F10, then T."
    ),
)
def audit_verify(ctx: typer.Context) -> None:
    from cc_terminal.services.privacy.audit_verify import verify
    from cc_terminal.store import schema
    from cc_terminal.store.database import Database

    settings: Settings = ctx.obj
    with reported_errors():
        db = Database(settings.database_url)
        try:
            schema.require_head(db.engine)
            verdict = verify(db)
        finally:
            db.dispose()
    summary = _("Events: {n} in chains: {c}; from before the chain: {u}.").format(
        n=verdict.events, c=verdict.chains, u=verdict.unchained
    )
    if verdict.intact:
        typer.echo(_("The audit trail is intact: {summary}").format(summary=summary))
        return
    typer.echo(_("The audit trail is broken: {first}").format(first=verdict.first_break))
    for other in verdict.breaks[1:]:
        typer.echo(f"  {other}")
    typer.echo(summary)
    raise typer.Exit(1)


customer_cli = CommandLine(help=_("Data protection requests about one customer (team leads)."))


def _customer_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise fail(_("{text} is not a customer id.").format(text=text)) from None


@customer_cli.command(
    "export", help=_("Everything held about the customer, in one machine-readable file (audited).")
)
def customer_export(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help=_("The customer's id."))],
    file: Annotated[Path, typer.Argument(help=_("The JSON file to write (readable by you only)."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    customer_id = _customer_id(customer)
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        records = ws.data_requests.export(lead, customer_id, file)
    typer.echo(
        ngettext("Wrote {n} record to {path}.", "Wrote {n} records to {path}.", records).format(
            n=records, path=file
        )
    )


@customer_cli.command(
    "erase",
    help=_(
        "Erase the customer's personal data on every terminal of the floor (audited); the records "
        "that must stay keep their figures."
    ),
)
def customer_erase(
    ctx: typer.Context,
    customer: Annotated[str, typer.Argument(help=_("The customer's id."))],
    reason: Annotated[str, typer.Option(help=_("Why: the request's reference."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    customer_id = _customer_id(customer)
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        done = ws.data_requests.erase(lead, customer_id, reason)
    typer.echo(
        _(
            "Erased. Phone numbers forgotten: {phones}. Personal data wiped from calls: "
            "{calls}, orders: {orders}, requests: {requests}, leads: {leads}."
        ).format(
            phones=done.phones,
            calls=done.calls,
            orders=done.orders,
            requests=done.requests,
            leads=done.leads,
        )
    )
