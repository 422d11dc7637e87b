"""``cc-terminal service …``: the identities of the processes that write with nobody
signed in (services/privacy/service_identity.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, open_as_lead, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

service_cli = CommandLine(help=_("Service accounts: the chat gateway, the mail loop, …"))


@service_cli.command(
    "add",
    help=_(
        "A new service account with its own key, vouched for by the team lead for its scope only "
        "(audited). The key is written to the file and nowhere else."
    ),
)
def service_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The service's account name."))],
    scope: Annotated[str, typer.Option(help=_("The tables it may write, comma separated."))],
    key_file: Annotated[
        Path, typer.Option(help=_("Where to write its private key (readable by you only)."))
    ],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.privacy.service_identity import ServiceAccounts

    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        made = ServiceAccounts(ws.db).add(lead, name, scope, key_file)
    typer.echo(
        _("Service {n} may write: {s}. Its key is in {p}.").format(
            n=made.name, s=", ".join(made.scope), p=key_file
        )
    )


@service_cli.command(
    "list", help=_("The service accounts, their scopes, and whether they are active.")
)
def service_list(ctx: typer.Context) -> None:
    from cc_terminal.services.privacy.service_identity import ServiceAccounts
    from cc_terminal.services.workstation import open_workstation

    settings: Settings = ctx.obj
    with reported_errors():
        ws = open_workstation(settings)
        try:
            accounts = ServiceAccounts(ws.db).listed()
        finally:
            ws.close()
    for account in accounts:
        state = _("active") if account.active else _("revoked")
        sys.stdout.write(f"{account.name:<20} {state:<8} {','.join(account.scope)}\n")


@service_cli.command(
    "revoke",
    help=_("What the service's key signs from now on is refused on every terminal (audited)."),
)
def service_revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The service's account name."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.privacy.service_identity import ServiceAccounts

    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        ServiceAccounts(ws.db).revoke(lead, name)
    typer.echo(_("Service {n} is revoked.").format(n=name))
