"""``cc-terminal user``: the team lead's accounts: add, list, change the role, department
and team, reset a password, unlock, deactivate a leaver (handing their work over), and
the floor's sign-in policy. Every change is audited."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import (
    AsLead,
    PasswordStdin,
    fail,
    open_as_lead,
    read_password,
    reported_errors,
)
from cc_terminal.config import Settings
from cc_terminal.data.codes import Department
from cc_terminal.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from cc_terminal.services.privacy.account_list import AccountView
    from cc_terminal.services.privacy.leavers import HandedOver

user_cli = CommandLine(help=_("Operator accounts (team leads)."))


@user_cli.command(
    "add",
    help=_(
        "Add an account. A lead authorises it; with --password-stdin, the lead's password is the "
        "first line and the new account's the second."
    ),
)
def user_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("User name of the new account."))],
    role: Annotated[str, typer.Option(help=_("operator or lead"))] = "operator",
    full_name: Annotated[
        str | None, typer.Option(help=_("Full name (default: the user name)."))
    ] = None,
    department: Annotated[
        str,
        typer.Option(help=_("Department code (see the Setup screen).")),
    ] = Department.CONTACT_CENTRE.value,
    as_lead: Annotated[
        str, typer.Option("--as", help=_("User name of the lead adding it."))
    ] = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from cc_terminal.services.workstation import open_workstation

    settings: Settings = ctx.obj
    with reported_errors():
        ws = open_workstation(settings)
        try:
            lead_password = read_password(_("Password of {u}").format(u=as_lead), password_stdin)
            lead = ws.auth.login(as_lead, lead_password)
            password = read_password(_("Password for {u}").format(u=name), password_stdin, True)
            info = ws.auth.create_operator(
                lead, name, full_name or name, role, password, department
            )
        finally:
            ws.close()
    typer.echo(_("Added {role} '{u}'.").format(role=info.role, u=info.username))


@user_cli.command(
    "unlock", help=_("Clear the wait after wrong passwords for one user name (audited).")
)
def user_unlock(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("User name to let sign in at once."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        ws.auth.unlock(lead, name)
    typer.echo(_("{u} can sign in again.").format(u=name))


@user_cli.command(
    "reset",
    help=_(
        "A new password (changed at the first sign-in) and a new signing key the lead vouches for;"
        " the old key signs nothing more. With --password-stdin: the lead's password, then the new"
        " one."
    ),
)
def user_reset(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("User name whose password is lost."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        password = read_password(_("New password for {u}").format(u=name), password_stdin, True)
        ws.accounts.reset_password(lead, name, password)
    typer.echo(_("{u} signs in with the new password and chooses another.").format(u=name))


@user_cli.command(
    "deactivate",
    help=_(
        "A leaver: the account signs in nowhere any more and its key is revoked; its open work "
        "sessions end; its open leads and callbacks go to --handover USER, or back to their "
        "campaigns' pools (a callback it agreed is then anyone's when due)."
    ),
)
def user_deactivate(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("User name that signs in no more."))],
    handover: Annotated[
        str,
        typer.Option(
            "--handover",
            help=_("Who takes over the open leads and callbacks (default: the pools)."),
        ),
    ] = "",
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        done = ws.accounts.deactivate(lead, name, heir=handover)
    typer.echo(_("{u} is deactivated.").format(u=name.strip().lower()))
    typer.echo(handover_line(done))


@user_cli.command(
    "policy", help=_("Set the floor's sign-in policy (kept in the database, for every terminal).")
)
def user_policy(
    ctx: typer.Context,
    attempts: Annotated[int, typer.Option(help=_("Wrong passwords before the first wait."))],
    max_delay: Annotated[int, typer.Option(help=_("Longest wait, in minutes."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        policy = ws.auth.set_policy(lead, attempts, max_delay)
    typer.echo(
        _("Sign-in: {n} free attempts, then waits doubling from 30 s up to {m} min.").format(
            n=policy.free_attempts, m=policy.max_delay_minutes
        )
    )


@user_cli.command(
    "list",
    help=_("The accounts: user name, full name, role, department, team lead, state, last sign-in."),
)
def user_list(
    ctx: typer.Context,
    every: Annotated[bool, typer.Option("--all", help=_("Deactivated accounts too."))] = False,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        accounts = ws.account_list.accounts(lead, include_inactive=every)
    sys.stdout.write(account_table(accounts, settings.timezone))


def account_table(accounts: list[AccountView], zone_name: str) -> str:
    from zoneinfo import ZoneInfo

    from cc_terminal.services.privacy.account_list import ROLE_LABELS, state_words

    zone = ZoneInfo(zone_name)
    header = (
        _("User"),
        pgettext("person", "Name"),
        _("Role"),
        _("Department"),
        _("Team lead"),
        _("State"),
    )
    rows = [(*header, _("Last sign-in"))]
    for view in accounts:
        last = view.last_sign_in
        rows.append(
            (
                view.username,
                view.full_name,
                _(ROLE_LABELS[view.role]) if view.role in ROLE_LABELS else view.role,
                view.department,
                view.team_lead_username or "—",
                state_words(view),
                last.astimezone(zone).strftime("%d.%m.%Y %H:%M") if last else "—",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, [*widths, 0], strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines) + "\n"


@user_cli.command("set", help=_("Change an account's role, department or team (each audited)."))
def user_set(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("User name of the account to change."))],
    role: Annotated[str | None, typer.Option(help=_("operator or lead"))] = None,
    department: Annotated[
        str | None, typer.Option(help=_("Department code (see the Setup screen)."))
    ] = None,
    team: Annotated[
        str | None, typer.Option(help=_('The team lead\'s user name; "" for no team.'))
    ] = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    if role is None and department is None and team is None:
        raise fail(_("say what to change: --role, --department or --team"))
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        if role is not None:
            ws.accounts.set_role(lead, name, role)
        if department is not None:
            ws.account_list.set_department(lead, name, department)
        if team is not None:
            ws.account_list.set_team(lead, name, team)
    typer.echo(_("{u} is changed.").format(u=name.strip().lower()))


def handover_line(done: HandedOver) -> str:
    leads = ngettext("{n} open lead", "{n} open leads", done.leads).format(n=done.leads)
    callbacks = ngettext("{n} callback", "{n} callbacks", done.callbacks).format(n=done.callbacks)
    if done.heir:
        return _("{leads} (of them {callbacks}) went to {u}.").format(
            leads=leads, callbacks=callbacks, u=done.heir
        )
    return _("{leads} (of them {callbacks}) went back to the campaigns' pools.").format(
        leads=leads, callbacks=callbacks
    )
