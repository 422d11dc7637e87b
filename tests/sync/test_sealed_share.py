"""What the share holds: after a shift on the demo floor it has no customer's name or
phone anywhere; what terminals create there is no wider than the floor's group; an older
floor moves to signing with `floor upgrade` and a lost lead password comes back with the
recovery key."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from cc_terminal.config import Settings
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.errors import InvalidCredentials, PermissionDenied
from cc_terminal.services.common.views import CallDraft, CustomerDraft
from cc_terminal.services.demo.floor import build_demo_floor
from cc_terminal.services.floor import trust as floor_trust
from cc_terminal.services.workstation import open_workstation
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.segment import parse_name
from tests.conftest import PASSWORDS
from tests.sync.kit import Floor, Terminal, assert_converged, customer_id_of, edit_customer


def _demo_terminal(floor: Floor) -> tuple[Terminal, dict[str, str]]:
    """The demo's store on a first terminal, whose lead creates the floor."""
    data_dir = floor.root / "t1"
    ws = open_workstation(
        Settings(db_url=f"sqlite:///{data_dir / 'cc-terminal.sqlite3'}", data_dir=data_dir)
    )
    accounts = {a.username: a.password for a in build_demo_floor(ws, customers=40, seed=3)}
    lead = ws.auth.login("vedouci", accounts["vedouci"])
    made = floor_trust.create(ws, lead, accounts["vedouci"], floor.folder)
    floor.key = made.key
    sync = FloorSync(ws.db, floor.folder, data_dir, auto_snapshot=False)
    terminal = Terminal("t1", data_dir, ws, sync)
    floor.terminals.append(terminal)
    return terminal, accounts


def _names_and_phones(path: Path) -> set[bytes]:
    with sqlite3.connect(path) as connection:
        names = connection.execute("SELECT full_name FROM customer").fetchall()
        phones = connection.execute("SELECT e164 FROM customer_phone").fetchall()
    found = {name.encode() for (name,) in names if len(name) > 3}
    for (phone,) in phones:
        found |= {phone.encode(), phone[-9:].encode()}  # +420… and the national number
    return found


def test_after_a_shift_the_share_holds_no_customers_name_or_phone(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    t1, accounts = _demo_terminal(floor)
    t2 = floor.add("t2")
    floor.settle()
    operator = next(name for name, _p in accounts.items() if name != "vedouci")
    actor = t2.ws.auth.login(operator, accounts[operator])
    made = t2.ws.customers.create(
        actor,
        CustomerDraft(
            full_name="Radka Zelená",
            phones="+420777123999",
            street="Polní",
            house_number="8",
            city="Kolín",
            postal_code="280 02",
        ),
    )
    now = utcnow()
    t2.ws.calls.record(
        actor,
        CallDraft(
            customer_id=made.id,
            phone_e164="+420777123999",
            started_at=now - timedelta(minutes=3),
            answered_at=now - timedelta(minutes=3),
            ended_at=now,
            reason="billing",
            outcome="resolved",
            notes="Radka Zelená chce fakturu e-mailem.",
        ),
    )
    floor.settle()
    t1.sync.snapshot()
    assert t1.ws.customers.lookup_phone("+420777123999").matches
    secrets = _names_and_phones(t1.db_path) | {b"Radka", "Zelená".encode()}
    assert len(secrets) > 80
    files = [path for path in floor.folder.rglob("*") if path.is_file()]
    assert any(parse_name(path.name) for path in files) and len(files) > 5
    for path in files:
        data = path.read_bytes()
        assert not [secret for secret in secrets if secret in data], path.name
    floor.close()


def test_files_and_folders_on_the_share_are_no_wider_than_the_group(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        floor = Floor(tmp_path)
        floor.add("t1", seed=True)
        floor.add("t2")
        floor.settle()
        floor.terminals[0].sync.snapshot()
    finally:
        os.umask(old)
    made = [floor.folder, *floor.folder.rglob("*")]
    for path in made:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o750 if path.is_dir() else 0o640), (path, oct(mode))
    floor.close()


def test_an_older_floor_upgrades_its_old_segments_stay_readable(tmp_path: Path) -> None:
    floor = Floor(tmp_path, signed=False)
    t1 = floor.add("t1", seed=True)
    t2, t3 = floor.add("t2"), floor.add("t3")
    floor.settle()
    customer = customer_id_of(t1)
    edit_customer(t2, "jana", customer, notes="Written before the upgrade.")
    t2.round()  # shared in format 1; t1 has not read it yet
    lead = t1.ws.auth.login("lead", PASSWORDS["lead"])
    t1.round()
    t1.ws.floor = t1.sync
    made = floor_trust.upgrade(t1.ws, lead, PASSWORDS["lead"])
    assert {handed.username for handed in made.handed} == {"jana", "petr"}
    floor.key = made.key
    t1 = floor.reopen(t1)
    # t3 never joined with the new key: what it writes now is unsigned format 1
    edit_customer(t3, "petr", customer, notes="Written after the upgrade, unsigned.")
    t3.round()
    t2 = floor.rejoin(t2)
    floor.settle()
    assert t2.ws.customers.card(customer).notes == "Written before the upgrade."
    assert any("after the floor's upgrade" in line for line in t2.sync.report())
    with pytest.raises(InvalidCredentials):  # the old passwords were readable by the old key
        t2.ws.auth.login("jana", PASSWORDS["jana"])
    handed = {h.username: h.password for h in made.handed}
    jana = t2.ws.auth.login("jana", handed["jana"])
    assert jana.must_change_password
    t2.ws.auth.change_password(jana, handed["jana"], "jana-new-pass-9", "jana-new-pass-9")
    t2.actors["jana"] = t2.ws.auth.login("jana", "jana-new-pass-9")
    edit_customer(t2, "jana", customer, notes="Signed, after the upgrade.")
    # t3 joins at last: its unsigned segment goes again, sealed; petr's old key signed it,
    # which the signed epoch revoked: refused everywhere; what he signs now is not
    t3 = floor.rejoin(t3)
    floor.settle()
    petr = t3.ws.auth.login("petr", handed["petr"])
    t3.ws.auth.change_password(petr, handed["petr"], "petr-new-pass-9", "petr-new-pass-9")
    floor.settle()
    assert any(line.startswith("refused: customer") for line in t1.sync.report())
    t4 = floor.add("t4")  # new, with the new key: reads the old segments with the legacy one
    floor.settle()
    for terminal in (t1, t4):
        assert terminal.ws.customers.card(customer).notes == "Signed, after the upgrade."
    versions = {
        json.loads(path.read_bytes().partition(b"\n")[0])["version"]
        for path in (floor.folder / "terminals").rglob("seg-*")
    }
    assert versions == {1, 2}  # the old segments are still read, the new ones sealed
    floor.terminals.remove(t3)  # it keeps its own refused changes: the others never took them
    t3.close()
    assert_converged(floor)
    assert not t4.ws.auth.login("petr", "petr-new-pass-9").must_change_password
    floor.close()


def test_the_recovery_key_gives_a_lead_a_new_password_and_revokes_the_old_key(
    tmp_path: Path,
) -> None:
    floor = Floor(tmp_path)
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    t1.ws.floor = t1.sync
    with pytest.raises(PermissionDenied):
        floor_trust.recover(t1.ws, "lead", "ab" * 32, "lead-new-pass-1")
    floor_trust.recover(t1.ws, "lead", floor.recovery, "lead-new-pass-1")
    floor.settle()
    with pytest.raises(InvalidCredentials):
        t2.ws.auth.login("lead", PASSWORDS["lead"])
    lead = t2.ws.auth.login("lead", "lead-new-pass-1")
    assert lead.is_lead and lead.must_change_password
    t2.ws.accounts.set_role(lead, "petr", "lead")  # signed with the new key: accepted
    floor.settle()
    assert t1.ws.auth.login("petr", PASSWORDS["petr"]).is_lead
    floor.close()
