"""``cc-terminal chat serve``: the web chat's gateway (channels/chat), run as a service
account (``cc-terminal service add chat-gateway --scope ...`` makes its key file)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import fail, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

chat_cli = CommandLine(help=_("The web chat: its gateway for the visitors of the site."))

Origins = Annotated[
    list[str] | None,
    typer.Option(
        "--origin",
        help=_(
            "A site allowed to open the chat (https://www.example.cz), once per site; "
            "the gateway's own address when none is given."
        ),
    ),
]
Topics = Annotated[
    list[str] | None,
    typer.Option("--topic", help=_("CODE=Label: a request category the demo page offers.")),
]
PerMinute = Annotated[int, typer.Option(min=1, help=_("Messages a minute one socket may send."))]
PerAddress = Annotated[
    int, typer.Option(min=1, help=_("Sockets one address may hold open at once."))
]
Connects = Annotated[
    int, typer.Option(min=1, help=_("New sockets one address may open in a minute."))
]

PollSeconds = Annotated[
    float,
    typer.Option(
        min=0.05,
        help=_(
            "Seconds between two looks for operators' new lines (on PostgreSQL a chat's "
            "change is heard at once as well)."
        ),
    ),
]

SyncSeconds = Annotated[
    float | None,
    typer.Option(
        min=0.2,
        help=_(
            "On a floor folder: seconds between two sync rounds of the gateway (the "
            "settings' sync_seconds when not given); a visitor's write is shared at once."
        ),
    ),
]


TrustedProxy = Annotated[
    str, typer.Option(help=_("Addresses of the reverse proxy, comma separated."))
]
FullNames = Annotated[
    bool,
    typer.Option(
        help=_(
            "Show visitors the operators' full names (the floor's choice); "
            "without it, their first names."
        )
    ),
]


@chat_cli.command("serve", help=_("Serve the chat widget and the visitors' WebSocket."))
def chat_serve(
    ctx: typer.Context,
    key_file: Annotated[Path, typer.Option(help=_("The service account's key file."))],
    service: Annotated[str, typer.Option(help=_("The service account."))] = "chat-gateway",
    host: Annotated[str, typer.Option(help=_("Address to listen on."))] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help=_("Port to listen on."))] = 8765,
    origin: Origins = None,
    topic: Topics = None,
    privacy_url: Annotated[str, typer.Option(help=_("The privacy notice's address."))] = "",
    trusted_proxy: TrustedProxy = "127.0.0.1",
    messages_per_minute: PerMinute = 30,
    sockets_per_address: PerAddress = 20,
    connects_per_minute: Connects = 60,
    poll_seconds: PollSeconds = 0.25,
    sync_seconds: SyncSeconds = None,
    operator_full_names: FullNames = False,
) -> None:
    from cc_terminal.channels.chat.config import GatewayConfig, GatewayLimits
    from cc_terminal.channels.chat.server import Listen, open_gateway, serve

    settings = _paced(ctx.obj, sync_seconds)
    config = GatewayConfig(
        origins=frozenset(origin or [f"http://{host}:{port}"]),
        limits=GatewayLimits(
            messages_per_minute=messages_per_minute,
            sockets_per_address=sockets_per_address,
            connects_per_minute=connects_per_minute,
        ),
        topics=_topics(topic or []),
        privacy_url=privacy_url,
        language=settings.language or "cs",
        poll_seconds=poll_seconds,
        full_names=operator_full_names,
    )
    with reported_errors():
        gateway = open_gateway(settings, service, key_file, config)
    typer.echo(_("Chat gateway on http://{h}:{p}/ (health: /health).").format(h=host, p=port))
    serve(gateway, Listen(host, port, trusted_proxy))


def _paced(settings: Settings, sync_seconds: float | None) -> Settings:
    return settings if sync_seconds is None else replace(settings, sync_seconds=sync_seconds)


def _topics(typed: list[str]) -> tuple[tuple[str, str], ...]:
    topics = []
    for item in typed:
        code, _sep, label = item.partition("=")
        if not code.strip() or not label.strip():
            raise fail(_("--topic takes CODE=Label, not {t}.").format(t=item))
        topics.append((code.strip(), label.strip()))
    return tuple(topics)
