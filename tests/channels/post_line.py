"""A visitor's line written by a process of its own, as a gateway on the same host writes
it: for the change watcher's tests (tests/channels/test_chat_watcher.py).

``python -m tests.channels.post_line DB_URL GATEWAY_ID TOKEN CLIENT_ID TEXT``"""

from __future__ import annotations

import sys
import uuid

from cc_terminal.models.base import utcnow
from cc_terminal.services.channels.visitors import VisitorChats
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


def main(url: str, gateway_id: str, token: str, client_id: str, text: str) -> None:
    db = Database(url)
    try:
        gateway = Actor(uuid.UUID(gateway_id), "gateway", "gateway", "service")
        VisitorChats(db, utcnow, gateway).post(token, client_id, text)
    finally:
        db.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:])
