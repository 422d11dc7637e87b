"""``cc-terminal mail …``: the team lead's mailboxes, one fetch, and the mail loop
(channels/mail), run as its service account (``cc-terminal service add mail-loop``).

A mailbox's password is never an argument (``ps`` would show it): it is read from
CC_TERMINAL_MAIL_IMAP_PASSWORD / CC_TERMINAL_MAIL_SMTP_PASSWORD, from a file, or typed."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
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
from cc_terminal.control_pictures import shown
from cc_terminal.i18n import N_, _

if TYPE_CHECKING:
    import uuid

    from cc_terminal.services.channels.mail import MailService
    from cc_terminal.services.channels.mail_views import MailboxForm
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation

IMAP_PASSWORD_ENV = "CC_TERMINAL_MAIL_IMAP_PASSWORD"
SMTP_PASSWORD_ENV = "CC_TERMINAL_MAIL_SMTP_PASSWORD"
NO_FLOOR_YET = N_(
    "The mail loop runs on the server's database or on one host's database file; "
    "a floor folder is not supported yet."
)
mail_cli = CommandLine(help=_("E-mail: the mailboxes, one fetch, the mail loop."))
mailbox_cli = CommandLine(help=_("The mailboxes read into conversations (a team lead's)."))
mail_cli.add_typer(mailbox_cli, name="mailbox")

KeyFile = Annotated[Path, typer.Option(help=_("The mail loop's service account key file."))]
Service = Annotated[str, typer.Option(help=_("The mail loop's service account."))]
Security = Annotated[str, typer.Option(help=_("ssl, starttls or none."))]
PasswordFile = Annotated[
    Path | None,
    typer.Option(help=_("A file holding the password (else the environment, else a prompt).")),
]


@mailbox_cli.command("add", help=_("A new mailbox, or the one of that name changed."))
def mailbox_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The mailbox's name."))],
    imap_host: Annotated[str, typer.Option(help=_("The IMAP server."))],
    imap_user: Annotated[str, typer.Option(help=_("The IMAP user name."))],
    from_address: Annotated[str, typer.Option(help=_("The address replies come from."))],
    smtp_host: Annotated[str, typer.Option(help=_("The SMTP server for replies."))] = "",
    imap_port: Annotated[int, typer.Option(help=_("The IMAP port."))] = 993,
    imap_security: Security = "ssl",
    imap_folder: Annotated[str, typer.Option(help=_("The folder read."))] = "INBOX",
    smtp_port: Annotated[int, typer.Option(help=_("The SMTP port."))] = 465,
    smtp_security: Security = "ssl",
    smtp_user: Annotated[str, typer.Option(help=_("The SMTP user name ('' none)."))] = "",
    from_name: Annotated[str, typer.Option(help=_("The name replies come from."))] = "",
    department: Annotated[str, typer.Option(help=_("The department its letters go to."))] = "",
    acknowledge: Annotated[
        bool, typer.Option(help=_("Acknowledge each new letter with its reference."))
    ] = False,
    auto_replies_per_day: Annotated[
        int, typer.Option(help=_("At most this many automatic letters to one address a day."))
    ] = 3,
    imap_password_file: PasswordFile = None,
    smtp_password_file: PasswordFile = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    typed = {key: value for key, value in locals().items() if key in FORM_FIELDS}
    files = (imap_password_file, smtp_password_file)
    _add(ctx.obj, typed, files, as_lead, password_stdin)
    typer.echo(_("Mailbox {n} saved.").format(n=name.strip()))


FORM_FIELDS = frozenset(
    {
        "name",
        "department",
        "imap_host",
        "imap_port",
        "imap_security",
        "imap_user",
        "imap_folder",
        "smtp_host",
        "smtp_port",
        "smtp_security",
        "smtp_user",
        "from_address",
        "from_name",
        "acknowledge",
        "auto_replies_per_day",
    }
)


def _add(
    settings: Settings,
    typed: dict[str, object],
    files: tuple[Path | None, Path | None],
    as_lead: str,
    stdin: bool,
) -> None:
    """The mailbox as typed (the one of its name changed), its passwords read apart."""
    from cc_terminal.services.channels.mail_views import MailboxForm

    values = {key: value if isinstance(value, bool) else str(value) for key, value in typed.items()}
    values["smtp_host"] = values["smtp_host"] or values["imap_host"]
    with reported_errors(), open_as_lead(settings, as_lead, stdin) as (ws, lead):
        existing = {box.name: box.id for box in ws.mail.mailboxes(lead)}
        imap = _password(_("IMAP password"), IMAP_PASSWORD_ENV, files[0], stdin)
        smtp = ""
        if values["smtp_user"]:
            smtp = _password(_("SMTP password"), SMTP_PASSWORD_ENV, files[1], stdin)
        form = MailboxForm(
            **values,  # type: ignore[arg-type]
            imap_password=imap,
            smtp_password=smtp,
            id=existing.get(str(values["name"]).strip()),
        )
        _save(ws, lead, form)


def _save(ws: Workstation, lead: Actor, form: MailboxForm) -> None:
    from cc_terminal.services.common.errors import ValidationFailed

    try:
        ws.mail.save_mailbox(lead, form)
    except ValidationFailed as error:
        lines = [f"--{field.replace('_', '-')}: {words}" for field, words in error.errors.items()]
        raise fail("\n".join(lines)) from None


def _password(prompt: str, env: str, file: Path | None, from_stdin: bool) -> str:
    if file is not None:
        return file.read_text().rstrip("\r\n")
    if os.environ.get(env):
        return os.environ[env]
    return read_password(prompt, from_stdin)


@mailbox_cli.command("list", help=_("The mailboxes, whether they are read, their last error."))
def mailbox_list(
    ctx: typer.Context, as_lead: AsLead = "lead", password_stdin: PasswordStdin = False
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        boxes = ws.mail.mailboxes(lead)
    for box in boxes:
        state = _("active") if box.active else _("off")
        where = f"{box.imap_user}@{box.imap_host}:{box.imap_port}/{box.imap_folder}"
        # the last error may quote the server's words: control characters as pictures
        sys.stdout.write(shown(f"{box.name:<20} {state:<8} {where} {box.last_error}") + "\n")


def _set_active(ctx: typer.Context, name: str, active: bool, as_lead: str, stdin: bool) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, stdin) as (ws, lead):
        found = [box for box in ws.mail.mailboxes(lead) if box.name == name]
        if not found:
            raise fail(_("No mailbox {n}.").format(n=name))
        ws.mail.set_mailbox_active(lead, found[0].id, active)


@mailbox_cli.command("enable", help=_("Read the mailbox and send its replies again."))
def mailbox_enable(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The mailbox's name."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    _set_active(ctx, name, True, as_lead, password_stdin)


@mailbox_cli.command("disable", help=_("Stop reading the mailbox and sending its replies."))
def mailbox_disable(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=_("The mailbox's name."))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    _set_active(ctx, name, False, as_lead, password_stdin)


@mail_cli.command("fetch", help=_("Read the mailboxes once and send what is due; a report."))
def mail_fetch(
    ctx: typer.Context,
    key_file: KeyFile,
    service: Service = "mail-loop",
    mailbox: Annotated[str, typer.Option(help=_("Only this mailbox."))] = "",
) -> None:
    from cc_terminal.channels.mail.loop import open_mail_loop
    from cc_terminal.models.base import utcnow

    settings: Settings = _server_settings(ctx)
    with reported_errors():
        mail = open_mail_loop(settings, service, key_file)
        named = {box.id: box.name for box in mail.loop_mailboxes()}
        chosen = [box_id for box_id, name in named.items() if mailbox in ("", name)]
        if mailbox and not chosen:
            raise fail(_("No active mailbox {n}.").format(n=mailbox))
        for mailbox_id in chosen:
            _fetch_one(mail, mailbox_id, named[mailbox_id])
        sent = mail.send_queued(utcnow())
    typer.echo(
        _("Letters sent {s}, failed {f}, waiting {w}.").format(
            s=sent.sent, f=sent.failed, w=sent.waiting
        )
    )


def _fetch_one(mail: MailService, mailbox_id: uuid.UUID, name: str) -> None:
    from cc_terminal.services.channels.mail_fetch import MailboxUnreachable

    try:
        report = mail.fetch(mailbox_id)
    except MailboxUnreachable as error:
        typer.echo(shown(f"{name}: {error}"), err=True)
        return
    typer.echo(
        _("{m}: fetched {f}, stored {s}, duplicates {d}, acknowledged {a}, refused {r}").format(
            m=report.mailbox,
            f=report.fetched,
            s=report.stored,
            d=report.duplicates,
            a=report.auto_acknowledged,
            r=len(report.refused),
        )
    )
    for reason in report.refused:
        typer.echo(f"  {reason}")


@mail_cli.command(
    "serve", help=_("The mail loop: read the mailboxes and send replies until stopped.")
)
def mail_serve(
    ctx: typer.Context,
    key_file: KeyFile,
    service: Service = "mail-loop",
    poll_seconds: Annotated[
        float,
        typer.Option(
            min=0.5,
            help=_("Seconds between two rounds (a mailbox with IDLE wakes the loop at once)."),
        ),
    ] = 5.0,
) -> None:
    from cc_terminal.channels.mail.loop import open_mail_loop, serve

    settings = _server_settings(ctx)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with reported_errors():
        mail = open_mail_loop(settings, service, key_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signo, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signo, _frame: stop.set())
    typer.echo(_("Mail loop started (stop it with SIGTERM)."), err=True)
    serve(mail, poll_seconds, stop)
    typer.echo(_("Mail loop stopped."), err=True)


def _server_settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj
    if settings.storage_mode == "floor":
        raise fail(_(NO_FLOOR_YET))
    return settings
