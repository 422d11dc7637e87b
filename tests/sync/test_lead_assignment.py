"""A team lead reassigns jana's leads to petr: petr's terminal gets them, and jana's
terminal, offline meanwhile, cannot win them back with a later clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from cc_terminal.models import Lead, WorkSession
from cc_terminal.services.common.errors import InvalidCredentials, PermissionDenied
from tests.outbound.outbound_floor import SALES, add, set_up_campaigns
from tests.sync.kit import Floor, assert_converged


def test_reassigned_leads_reach_the_new_operator_and_a_stale_terminal_loses(tmp_path: Path) -> None:
    floor = Floor(tmp_path)
    try:
        lead_terminal = floor.add("lead", seed=True)
        janas = floor.add("jana")
        petrs = floor.add("petr")
        lead = lead_terminal.actor("lead")
        set_up_campaigns(lead_terminal.ws, lead)
        add(
            lead_terminal.ws,
            lead,
            SALES,
            [("+420601000001", "Eva Malá"), ("+420601000002", "Ota Velký")],
            assign_to=("jana",),
        )
        floor.settle()
        jana = janas.actor("jana")
        assert len(janas.ws.outbound.my_leads(jana)) == 2
        with pytest.raises(PermissionDenied):
            janas.ws.lead_assignment.reassign(jana, "jana", "petr")
        # jana's terminal is off the share while the lead moves her leads to petr
        moved = lead_terminal.ws.lead_assignment.reassign(lead, "jana", "petr", SALES)
        assert moved == 2
        first, second = janas.ws.outbound.my_leads(jana)
        janas.ws.outbound.set_temperature(jana, first.id, "cold")  # she keeps working it
        with janas.ws.db.write(jana.operator_id) as session:  # and gives one back to the pool
            session.get(Lead, second.id).assigned_to = None  # type: ignore[union-attr]
        lead_terminal.round()
        petrs.round()
        janas.round()
        floor.settle()
        assert_converged(floor)
        petr = petrs.actor("petr")
        assert {row.customer_name for row in petrs.ws.outbound.my_leads(petr)} == {
            "Eva Malá",
            "Ota Velký",
        }
        assert janas.ws.outbound.my_leads(jana) == ()
        # her later clock did not beat the higher epoch; her temperature edit did apply
        assert {row.temperature for row in petrs.ws.outbound.my_leads(petr)} == {"cold", "hot"}
    finally:
        floor.close()


def test_a_leavers_handover_reaches_every_terminal(tmp_path: Path) -> None:
    """The lead deactivates jana, handing her leads to petr, while jana's terminal is
    signed in: every terminal accepts the lead's one write (the account, the leads, jana's
    work session ended) and converges; jana signs in there no more."""
    floor = Floor(tmp_path)
    try:
        lead_terminal = floor.add("lead", seed=True)
        janas = floor.add("jana")
        petrs = floor.add("petr")
        lead = lead_terminal.actor("lead")
        set_up_campaigns(lead_terminal.ws, lead)
        people = [("+420601000001", "Eva Malá"), ("+420601000002", "Ota Velký")]
        add(lead_terminal.ws, lead, SALES, people, assign_to=("jana",))
        floor.settle()
        jana = janas.actor("jana")
        janas.ws.work_clock.begin(jana)
        floor.settle()
        done = lead_terminal.ws.accounts.deactivate(lead, "jana", heir="petr")
        assert (done.leads, done.sessions) == (2, 1)
        floor.settle()
        assert_converged(floor)
        petr = petrs.actor("petr")
        assert len(petrs.ws.outbound.my_leads(petr)) == 2
        assert janas.ws.outbound.my_leads(jana) == ()
        with janas.ws.db.read() as session:  # her session, ended by the lead's write
            ended = [row.ended_at for row in session.scalars(select(WorkSession))]
        assert ended and None not in ended
        with pytest.raises(InvalidCredentials):  # her terminal knows she is deactivated
            janas.ws.auth.login("jana", "jana-pass-1")
    finally:
        floor.close()
