"""``cc-terminal chat serve``: the store opened as the gateway's service account, the
visitors' service on it, the app on uvicorn (its websockets protocol, frames capped)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from cc_terminal.channels.chat.app import create_app
from cc_terminal.channels.chat.config import GatewayConfig
from cc_terminal.channels.chat.floor import FloorPace
from cc_terminal.channels.chat.gateway import Gateway
from cc_terminal.channels.chat.hub import Hub
from cc_terminal.config import Settings
from cc_terminal.i18n import _
from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.service_identity import open_service
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store.change_notice import Notice
from cc_terminal.store.data_version import DataVersionWatcher
from cc_terminal.store.database import Database
from cc_terminal.store.notify import ChangeListener
from cc_terminal.sync.terminal import open_floor, share_away

log = logging.getLogger(__name__)
GATEWAY_CACHE_KIB = 1024
CHAT_TABLES = frozenset({"conversation", "conversation_message"})


@dataclass(frozen=True)
class Listen:
    host: str
    port: int
    # Addresses whose X-Forwarded-For is believed (the reverse proxy's): the per-address
    # limits count the visitor's address, not the proxy's.
    trusted_proxies: str = "127.0.0.1"


def open_gateway(
    settings: Settings, service: str, key_file: Path, config: GatewayConfig
) -> Gateway:
    workstation = open_workstation(settings)
    db = workstation.db
    small_sqlite_cache(db)
    if settings.storage_mode == "floor":
        _first_round(workstation)
    service_id = open_service(db, service, key_file)
    account = Actor(service_id, service, service, "service")
    chats = VisitorChats(
        db,
        utcnow,
        account,
        region=settings.default_region,
        zone=settings.timezone,
        full_names=config.full_names,
    )
    gateway = Gateway.of(chats, config, ping=lambda: ping(db))
    path = settings.database_path
    if settings.storage_mode == "server":
        listen_for_chats(db.url, gateway.hub)
    elif settings.storage_mode == "embedded" and path is not None and path.is_file():
        watch_for_chats(path, gateway.hub)
    if settings.storage_mode == "floor":
        gateway.pace = FloorPace(
            workstation.floor,
            settings.sync_seconds,
            gateway.hub.ingested,
            reach=lambda: open_floor(settings, db)[0],
            present=chats.present_again,
        )
        gateway.wrote = gateway.pace.wake
    return gateway


def _first_round(workstation: Workstation) -> None:
    """On a folder floor: one round before the service account is looked up (a gateway
    just joined may not have it yet). A share away now is said in the log and in /health,
    and the gateway starts on its store, as a terminal does; no floor key is refused."""
    floor, settings = workstation.floor, workstation.settings
    if floor is None and not share_away(settings.sync_dir, settings.data_dir):
        raise ServiceError(
            _("The chat gateway cannot reach the floor: {why}").format(
                why=workstation.floor_problem or _("no floor key; run 'cc-terminal floor join'")
            )
        )
    state = floor.round() if floor is not None else None
    problem = workstation.floor_problem if state is None else state.problem or state.stopped
    if problem:
        log.warning("floor sync: %s", problem)


def listen_for_chats(url: str, hub: Hub) -> ChangeListener:
    """The store's NOTIFY of a chat's write wakes the hub (its poll stays the fallback)."""
    listener = ChangeListener(url, _nudging(hub), on_lost=lambda _reason: None, on_back=hub.nudge)
    listener.start()
    return listener


def watch_for_chats(path: Path, hub: Hub) -> DataVersionWatcher:
    """One host on a SQLite file: a chat's write by another process (a terminal's answer)
    wakes the hub at the watcher's next look, as a NOTIFY does on PostgreSQL (the look
    every 0.1 s asks the file's data version alone; the hub's poll stays the fallback)."""
    watcher = DataVersionWatcher(path, _nudging(hub))
    watcher.start()
    return watcher


def _nudging(hub: Hub) -> Callable[[Notice], None]:
    def heard(notice: Notice) -> None:
        if notice.entity in CHAT_TABLES:
            hub.nudge()

    return heard


def small_sqlite_cache(db: Database) -> None:
    """A gateway reads a few chats' rows at a time: its SQLite connections keep a page
    cache of ``GATEWAY_CACHE_KIB`` each, not a terminal's (store/db.py); the ones already
    open are closed, the next open with it."""
    if db.engine.dialect.name != "sqlite":
        return

    def smaller(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA cache_size=-{GATEWAY_CACHE_KIB}")

    event.listen(db.engine, "connect", smaller)
    db.engine.dispose()


def ping(db: Database) -> None:
    with db.connect() as connection:
        connection.execute(text("SELECT 1"))


def serve(gateway: Gateway, listen: Listen) -> None:
    import uvicorn

    uvicorn.run(
        create_app(gateway),
        host=listen.host,
        port=listen.port,
        ws="websockets-sansio",
        ws_max_size=gateway.config.limits.frame_bytes,
        # A chat's frames are a few hundred bytes: compressing them saves nothing, and each
        # socket's zlib pair would hold a few hundred kB while it sits idle.
        ws_per_message_deflate=False,
        proxy_headers=True,
        forwarded_allow_ips=listen.trusted_proxies,
        log_level="warning",
        access_log=False,
    )
