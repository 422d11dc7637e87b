"""The floor commands that set up its trust: create a signed floor, upgrade an older one,
recover a team lead with the recovery key. Each says what to hand out, once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import PermissionDenied, ServiceError
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.accounts import Handed
from cc_terminal.store import hlc as clock
from cc_terminal.store.keyring import key_from_bytes, private_bytes, public_hex
from cc_terminal.store.outbox import last_clock
from cc_terminal.sync import local
from cc_terminal.sync.floor import FloorKey, make_floor_folder
from cc_terminal.sync.floor_record import Founding, found_floor, upgrade_floor
from cc_terminal.sync.segment import parse_name

if TYPE_CHECKING:
    from cc_terminal.config import Settings
    from cc_terminal.services.privacy.accounts import AccountAdmin
    from cc_terminal.store.database import Database
    from cc_terminal.sync.engine import FloorSync


class Workstation(Protocol):
    """The parts of an open workstation (services/workstation.py) these commands use:
    typed here, so that this package does not import the workstation that builds it."""

    settings: Settings
    db: Database
    accounts: AccountAdmin
    floor: FloorSync | None


@dataclass(frozen=True)
class FloorMade:
    key: FloorKey
    recovery: str  # the recovery private key, hex: printed once, kept in a safe
    keyless: list[str] = field(default_factory=list)  # accounts that need a password reset
    handed: list[Handed] = field(default_factory=list)  # temporary passwords to hand out


def create(ws: Workstation, lead: Actor, password: str, folder: Path) -> FloorMade:
    """A new signed floor whose root is this lead's key; every account with a key here is
    vouched for by it (in floor.json too: their earlier changes are in the streams)."""
    make_floor_folder(folder)
    root = ws.accounts.own_key(lead, password)
    keyless = ws.accounts.vouch_all(lead)
    founding = Founding(root, lead.operator_id, ws.accounts.certificates())
    key, recovery = found_floor(folder, ws.settings.data_dir, founding)
    return FloorMade(key, private_bytes(recovery).hex(), keyless=keyless)


def upgrade(ws: Workstation, lead: Actor, password: str) -> FloorMade:
    """An older floor starts its signed epoch here. Every terminal synced first; this one
    has shared everything (checked by the caller before the lead signed in). How far each
    terminal had published is the epoch's cut-off: unsigned segments after it are refused.
    Certificates count from the epoch's clock on: the keys before it are all replaced."""
    floor = ws.floor
    if floor is None or floor.key.signed:
        raise ServiceError(_("this terminal is not on a floor that still needs the upgrade"))
    cutoffs = published_so_far(floor.folder.root)
    with ws.db.connect() as connection:
        cutoffs[floor.terminal] = int(local.terminal_row(connection).stream_seq)
    root = ws.accounts.own_key(lead, password)
    with ws.db.connect() as connection:
        since = clock.next_after(last_clock(connection))
    ws.accounts.vouch_lead(lead)
    certs = [cert for cert in ws.accounts.certificates() if int(cert["hlc"]) >= since]
    founding = Founding(root, lead.operator_id, certs, cutoffs, since)
    key, recovery = upgrade_floor(floor.folder.root, ws.settings.data_dir, floor.key, founding)
    handed = ws.accounts.rotate_all(lead)
    return FloorMade(key, private_bytes(recovery).hex(), handed=handed)


def recover(ws: Workstation, username: str, recovery_hex: str, password: str) -> None:
    """A lead's new password and key, vouched for by the recovery key (checked against the
    anchor this terminal pinned)."""
    floor = ws.floor
    if floor is None or not floor.key.signed:
        raise ServiceError(_("this terminal is not on a signed floor"))
    try:
        recovery = key_from_bytes(bytes.fromhex(recovery_hex.strip()))
    except ValueError as error:
        raise PermissionDenied(_("that is not the floor's recovery key")) from error
    if public_hex(recovery) != floor.key.recovery:
        raise PermissionDenied(_("that is not the floor's recovery key"))
    ws.accounts.recover(username, recovery, password)


def published_so_far(root: Path) -> dict[str, int]:
    """Each terminal's highest published sequence, read off the share."""
    found: dict[str, int] = {}
    terminals = root / "terminals"
    for folder in terminals.iterdir() if terminals.is_dir() else ():
        last = [parse_name(entry.name) for entry in folder.iterdir()]
        seqs = [pair[1] for pair in last if pair is not None]
        if seqs:
            found[folder.name] = max(seqs)
    return found
