"""The mailbox's side of a fetch, with IMAPClient (blocking: the loop runs it in its own
process): the folder opened read-only (nothing is marked read or moved on the server), its
UIDVALIDITY, the UIDs after the last one stored, their bytes in batches."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cc_terminal.models.mail import Security

BATCH = 50
TIMEOUT = 30


class MailboxUnreachable(Exception):
    """The IMAP server did not let us in or went away; the words are safe to show."""


@dataclass(frozen=True)
class Imap:
    host: str
    port: int
    security: str
    user: str
    password: str
    folder: str


def open_imap(server: Imap) -> Any:
    """A logged-in IMAPClient; MailboxUnreachable in words when it is not."""
    from imapclient import IMAPClient
    from imapclient.exceptions import IMAPClientError

    context = ssl.create_default_context()
    try:
        client = IMAPClient(
            server.host,
            port=server.port,
            ssl=server.security == Security.SSL.value,
            ssl_context=context,
            timeout=TIMEOUT,
        )
        if server.security == Security.STARTTLS.value:
            client.starttls(context)
        client.login(server.user, server.password)
    except (OSError, IMAPClientError) as error:
        raise MailboxUnreachable(words(error)) from None
    return client


def words(error: BaseException) -> str:
    """What went wrong, without what was sent (the password is never in it)."""
    text = str(error) or type(error).__name__
    if isinstance(error, bytes):
        text = error.decode(errors="replace")
    return f"{type(error).__name__}: {text}"[:300]


def select(client: Any, folder: str) -> int:
    """Open ``folder`` read-only; its UIDVALIDITY."""
    info = client.select_folder(folder, readonly=True)
    return int(info[b"UIDVALIDITY"])


def new_uids(client: Any, last_uid: int) -> list[int]:
    """UIDs after ``last_uid``, in order (``N:*`` names the newest even when older)."""
    found = client.search(["UID", f"{last_uid + 1}:*"])
    return sorted(uid for uid in found if uid > last_uid)


def letters(client: Any, uids: list[int]) -> Iterator[tuple[int, bytes]]:
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        data = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            raw = data.get(uid, {}).get(b"BODY[]")
            if isinstance(raw, bytes):
                yield uid, raw


def close(client: Any) -> None:
    with contextlib.suppress(Exception):  # the server went away first: nothing to close
        client.logout()
