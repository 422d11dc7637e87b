"""``cc-terminal phone …`` (the webhook's token and server) and ``cc-terminal ring`` (a
ring, answer or hang-up from a script or a test): both store the event and hand it to
the running TUI of its extension on this host (services/phone/delivery.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, fail, open_as_lead, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.phone.events import PhoneEvent
    from cc_terminal.services.workstation import Workstation

phone_cli = CommandLine(help=_("The phone: the PBX's webhook and its token."))
KeyFile = Annotated[
    Path | None,
    typer.Option(help=_("The phone link's service account key file (instead of --as).")),
]
Service = Annotated[str, typer.Option(help=_("The phone link's service account."))]


@phone_cli.command("token", help=_("A new token for the webhook (shown once; audited)."))
def phone_token(
    ctx: typer.Context, as_lead: AsLead = "lead", password_stdin: PasswordStdin = False
) -> None:
    from cc_terminal.models.base import utcnow
    from cc_terminal.services.phone.webhook import WebhookTokens

    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        token = WebhookTokens(ws.db, utcnow).new_token(lead)
    typer.echo(token)


@phone_cli.command("serve", help=_("Serve the webhook a PBX calls on ring, answer and hang-up."))
def phone_serve(
    ctx: typer.Context,
    key_file: Annotated[Path, typer.Option(help=_("The service account's key file."))],
    service: Service = "phone-link",
    host: Annotated[str, typer.Option(help=_("Address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help=_("Port to listen on."))] = 8766,
    per_minute: Annotated[
        int, typer.Option(min=1, help=_("Requests a minute one address may send."))
    ] = 600,
) -> None:
    from cc_terminal.channels.phone.webhook import PhoneWebhook, serve
    from cc_terminal.models.base import utcnow
    from cc_terminal.services.phone.webhook import WebhookTokens

    settings: Settings = ctx.obj
    with reported_errors():
        ws, actor = _as_service(settings, service, key_file)
        tokens = WebhookTokens(ws.db, utcnow)
        if not tokens.has_token():
            raise fail(_("Set the webhook's token first: cc-terminal phone token."))
    hook = PhoneWebhook(settings, ws.phone, tokens, actor, utcnow, per_minute)
    typer.echo(_("Phone webhook on http://{h}:{p}/phone/events.").format(h=host, p=port))
    serve(hook, host, port)


def _as_service(settings: Settings, name: str, key_file: Path) -> tuple[Workstation, Actor]:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.privacy.service_identity import open_service
    from cc_terminal.services.workstation import open_workstation

    ws = open_workstation(settings)
    try:
        account = open_service(ws.db, name, key_file)
    except BaseException:
        ws.close()
        raise
    return ws, Actor(account, name, name, "service")


@contextmanager
def _signed_in(
    settings: Settings, as_lead: str, password_stdin: bool, key_file: Path | None, service: str
) -> Iterator[tuple[Workstation, Actor]]:
    if key_file is None:
        with open_as_lead(settings, as_lead, password_stdin) as signed_in:
            yield signed_in
        return
    ws, actor = _as_service(settings, service, key_file)
    try:
        yield ws, actor
    finally:
        ws.close()


def ring(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help=_("The caller's number, as the phone says it."))],
    extension: Annotated[str, typer.Option(help=_("The extension it rings on."))],
    answer: Annotated[bool, typer.Option("--answer", help=_("The call was answered."))] = False,
    hangup: Annotated[bool, typer.Option("--hangup", help=_("The call ended."))] = False,
    call_key: Annotated[
        str, typer.Option(help=_("The call's key; by default a new one, or the open call's."))
    ] = "",
    sip_code: Annotated[int | None, typer.Option(help=_("The SIP code it ended with."))] = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
    key_file: KeyFile = None,
    service: Service = "phone-link",
) -> None:
    settings: Settings = ctx.obj
    if answer and hangup:
        raise fail(_("Either --answer or --hangup, not both."))
    with (
        reported_errors(),
        _signed_in(settings, as_lead, password_stdin, key_file, service) as (
            ws,
            actor,
        ),
    ):
        event = _event(ws, number, extension, answer, hangup, call_key, sip_code)
        from cc_terminal.services.phone.delivery import deliver

        done = deliver(ws.phone, settings, actor, event)
    _report(done.call.call_key, done.to_terminal, done.refused, extension)


def _event(
    ws: Workstation,
    number: str,
    extension: str,
    answer: bool,
    hangup: bool,
    call_key: str,
    sip_code: int | None,
) -> PhoneEvent:
    import uuid

    from cc_terminal.models.base import utcnow
    from cc_terminal.services.phone.events import BadEvent, PhoneEventKind, event_of

    kind = PhoneEventKind.HANGUP if hangup else PhoneEventKind.ANSWER if answer else None
    if not call_key and kind is not None:
        found = ws.phone.open_call_of(extension, number)
        if found is None:
            raise fail(
                _("No open call of {n} on {e}: give --call-key.").format(n=number, e=extension)
            )
        call_key = found.call_key
    data = {
        "kind": (kind or PhoneEventKind.RING).value,
        "call_key": call_key or f"cli:{uuid.uuid4().hex}",
        "extension": extension,
        "number": number,
        "sip_code": sip_code,
    }
    try:
        return event_of(data, now=utcnow())
    except BadEvent as refused:
        raise fail(str(refused)) from None


def _report(call_key: str, to_terminal: bool, refused: str, extension: str) -> None:
    typer.echo(call_key)
    if refused:
        typer.echo(_("The terminal refused it: {r}").format(r=refused), err=True)
    elif not to_terminal:
        typer.echo(
            _("Stored; no terminal of extension {e} listens on this host.").format(e=extension),
            err=True,
        )
