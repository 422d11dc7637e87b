"""A signed floor trusts a change for the account that signed it, never for the terminal
or the floor key that carried it: forged, altered, unvouched and revoked changes are
refused on arrival, kept for the team lead's F11 list and audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from cc_terminal.models import Operator
from cc_terminal.services.common.errors import InvalidCredentials
from cc_terminal.store.keyring import new_key, open_key
from cc_terminal.sync import digests_ahead, ingest
from tests.conftest import PASSWORDS
from tests.sync.forge import forge, op, sealed_secret, signed_run
from tests.sync.kit import Floor, Terminal, assert_converged, customer_id_of, edit_customer


@pytest.fixture
def floor(tmp_path: Path):
    floor = Floor(tmp_path)
    yield floor
    floor.close()


@pytest.fixture(params=["worked out here", "from a helper"])
def digests_from(request, monkeypatch) -> Iterator[list[int]]:
    """Both ways of a round's op digests (sync/digests_ahead.py): every round with a helper
    process, waited for, or none. Yields the helper's answers taken, counted by segment."""
    ahead = request.param == "from a helper"
    monkeypatch.setattr(ingest, "AHEAD_FROM", 1 if ahead else 10**9)
    monkeypatch.setattr(digests_ahead, "WAIT_SECONDS", 60.0)
    taken: list[int] = []
    answer = digests_ahead.DigestsAhead.digests

    def counted(self, path, segment):
        found = answer(self, path, segment)
        if found is not None:
            taken.append(len(found))
        return found

    monkeypatch.setattr(digests_ahead.DigestsAhead, "digests", counted)
    yield taken
    assert bool(taken) == ahead


def _two(floor: Floor) -> tuple[Terminal, Terminal]:
    t1 = floor.add("t1", seed=True)
    t2 = floor.add("t2")
    floor.settle()
    return t1, t2


def _account(terminal: Terminal, username: str) -> Operator:
    with terminal.ws.db.read() as session:
        return session.scalars(select(Operator).where(Operator.username == username)).one()


def _refused(terminal: Terminal) -> list[tuple[str, str]]:
    """What F11 lists as refused, and the audit events this terminal wrote for them."""
    lead = terminal.actor("lead")
    listed = [(change.subject, change.reason) for change in terminal.ws.conflicts.refused(lead)]
    with terminal.ws.db.connect() as connection:
        audited = connection.exec_driver_sql(
            "SELECT count(*) FROM audit_event WHERE kind = 'sync.refused'"
        ).scalar()
    assert audited == len(listed)
    return listed


def _jana_key(terminal: Terminal):
    jana = _account(terminal, "jana")
    return open_key(jana.signing_key, PASSWORDS["jana"], jana.id), jana.id


@pytest.mark.parametrize("signed_by_jana", [False, True], ids=["unsigned", "jana's own key"])
def test_the_issue_forgeries_are_refused_audited_and_listed(
    floor: Floor, signed_by_jana: bool, digests_from: list[int]
) -> None:
    t1, t2 = _two(floor)
    lead, petr = _account(t1, "lead"), _account(t1, "petr")
    jana_key, jana_id = _jana_key(t1)
    taken_over = PasswordHasher().hash("taken-over-1")
    password = sealed_secret(floor, "operator", lead.id, "password_hash", taken_over)
    as_jana = [op("operator", lead.id, "update", {"password_hash": password}, actor=jana_id)]
    as_lead = [op("operator", petr.id, "update", {"role": "lead"}, actor=lead.id)]
    for ops in (as_jana, as_lead):
        runs = {0: signed_run(floor, ops, jana_key, jana_id)} if signed_by_jana else {}
        forge(floor, ops, runs)
    t2.round()
    for terminal in (t1, t2):
        assert _account(terminal, "petr").role == "operator"
        assert terminal.ws.auth.login("lead", PASSWORDS["lead"]).is_lead
        with pytest.raises(InvalidCredentials):
            terminal.ws.auth.login("lead", "taken-over-1")
    refused = _refused(t2)
    assert {subject for subject, _why in refused} == {
        f"operator {lead.id} (update)",
        f"operator {petr.id} (update)",
    }
    expected = "another account" if signed_by_jana else "not signed"
    assert any(expected in why for _subject, why in refused)


def test_an_altered_or_reordered_run_and_an_unvouched_key_are_refused(
    floor: Floor, digests_from: list[int]
) -> None:
    t1, t2 = _two(floor)
    customer = customer_id_of(t1)
    jana_key, jana_id = _jana_key(t1)

    def signed_pair() -> tuple[dict, dict, dict]:  # two ops jana signed as one run
        first = op("customer", customer, "update", {"notes": "First."}, actor=jana_id)
        second = op("customer", customer, "update", {"notes": "Second."}, actor=jana_id)
        return first, second, signed_run(floor, [first, second], jana_key, jana_id)

    first, second, run = signed_pair()
    forge(floor, [first, {**second, "changes": {"notes": "Altered."}}], {0: run})
    first, second, run = signed_pair()
    forge(floor, [second, first], {0: run})  # reordered
    first, second, run = signed_pair()
    forge(floor, [first], {0: {**run, "count": 1}})  # one op left out
    first, _second, _run = signed_pair()
    stranger = new_key()  # a key no certificate vouches for, named as jana's
    forge(floor, [first], {0: signed_run(floor, [first], stranger, jana_id)})
    t2.round()
    assert t2.ws.customers.card(customer).notes == "Prefers afternoons."
    reasons = [why for _subject, why in _refused(t2)]
    assert sum("does not verify" in why for why in reasons) == 5
    assert sum("no certificate" in why for why in reasons) == 1
    assert len(reasons) == 6


def test_an_operator_changes_her_own_password_but_never_anothers(floor: Floor) -> None:
    t1, t2 = _two(floor)
    jana = t2.actor("jana")
    t2.ws.auth.change_password(jana, PASSWORDS["jana"], "jana-new-pass-2", "jana-new-pass-2")
    floor.settle()
    assert t1.ws.auth.login("jana", "jana-new-pass-2").username == "jana"
    jana_row, petr = _account(t1, "jana"), _account(t1, "petr")
    jana_key = open_key(jana_row.signing_key, "jana-new-pass-2", jana_row.id)
    taken = sealed_secret(floor, "operator", petr.id, "password_hash", PasswordHasher().hash("x1"))
    ops = [op("operator", petr.id, "update", {"password_hash": taken}, actor=jana_row.id)]
    forge(floor, ops, {0: signed_run(floor, ops, jana_key, jana_row.id)})
    t2.round()
    assert t2.ws.auth.login("petr", PASSWORDS["petr"]).username == "petr"
    assert [why for _s, why in _refused(t2)] == [
        "another account (update of " + str(petr.id) + ") changed by operator jana"
    ]


def test_a_revoked_key_signs_nothing_after_the_revocation(floor: Floor) -> None:
    t1, t2 = _two(floor)
    customer = customer_id_of(t1)
    edit_customer(t2, "petr", customer, notes="Before the revocation.")
    t1.ws.accounts.deactivate(t1.actor("lead"), "petr")
    t1.round()  # the revocation reaches the share; t2 has not shared petr's edit yet
    t2.round()  # publishes the edit (before the revocation), then reads it
    assert t1.round().applied >= 1
    assert t1.ws.customers.card(customer).notes == "Before the revocation."
    # petr's session on t2 still has his key open; what he signs now comes after it
    edit_customer(t2, "petr", customer, notes="After.")
    floor.settle()
    assert t1.ws.customers.card(customer).notes == "Before the revocation."
    assert any("revoked" in why for _s, why in _refused(t1))


def test_an_account_made_offline_by_a_lead_signs_in_and_works_elsewhere(floor: Floor) -> None:
    t1, t2 = _two(floor)
    lead = t2.actor("lead")
    t2.ws.auth.create_operator(
        lead, "eva", "Eva Malá", "operator", "eva-pass-12", must_change=False
    )
    floor.settle()
    eva = t1.ws.auth.login("eva", "eva-pass-12")
    customer = customer_id_of(t1)
    t1.actors["eva"] = eva
    edit_customer(t1, "eva", customer, notes="Eva was here.")
    floor.settle()
    assert t2.ws.customers.card(customer).notes == "Eva was here."
    assert _refused(t2) == []
    assert_converged(floor)


def test_the_first_lead_and_the_accounts_made_before_the_floor_are_vouched_for(
    floor: Floor,
) -> None:
    """The seeded terminal's changes predate the floor: floor.json's certificates cover
    them, wherever they stand in its stream."""
    t1, t2 = _two(floor)
    assert t2.ws.auth.login("jana", PASSWORDS["jana"]).username == "jana"
    assert _refused(t2) == [] and _refused(t1) == []
    floor.settle()
    assert _refused(t1) == []  # nor what t2 signed since (jana's and the lead's sign-ins)
    assert_converged(floor)


def test_the_header_counts_changes_written_with_no_key_open(floor: Floor) -> None:
    t1 = floor.add("t1", seed=True)
    with pytest.raises(InvalidCredentials):
        t1.ws.auth.login("jana", "not-her-password")  # taken unsigned: not counted
    assert t1.sync.state().unsigned == 0
    jana = t1.actor("jana")
    t1.ws.auth.sign_out(jana)  # her key is forgotten; a screen still holding her acts on
    edit_customer(t1, "jana", customer_id_of(t1), notes="Written with no key open.")
    state = t1.sync.state()
    assert state.unsigned == 1
    assert "1 change not signed" in state.summary(lambda moment: "")
