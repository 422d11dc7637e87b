"""A randomised floor: 2 to 5 terminals, random edits of shared customers, random syncs,
the share away now and then. After healing, every terminal holds the same data."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CustomerDraft
from tests.sync.faults import FaultyShare
from tests.sync.kit import Floor, assert_converged

PHONES = ["+420601123456", "+420602000111"]
NOTES = ["", "Calls after 5 pm.", "Prefers e-mail.", "VIP", "Moved abroad."]


def _count(terminal) -> int:  # type: ignore[no-untyped-def]
    with terminal.ws.db.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM customer").scalar())


class RandomFloor(RuleBasedStateMachine):
    @initialize(size=st.integers(min_value=2, max_value=5))
    def start(self, size: int) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="floor-"))
        self.floor = Floor(self.root)
        self.shares = [FaultyShare(seed=index) for index in range(size)]
        self.floor.add("t0", seed=True, files=self.shares[0])
        for index in range(1, size):
            self.floor.add(f"t{index}", files=self.shares[index])
        self.floor.settle()
        self.created = 0

    def _terminal(self, index: int):  # type: ignore[no-untyped-def]
        return self.floor.terminals[index % len(self.floor.terminals)]

    @rule(index=st.integers(0, 4), phone=st.sampled_from(PHONES), note=st.sampled_from(NOTES))
    def edit_notes(self, index: int, phone: str, note: str) -> None:
        terminal = self._terminal(index)
        matches = terminal.ws.customers.lookup_phone(phone).matches
        card = terminal.ws.customers.card(matches[0].id)
        draft = CustomerDraft(notes=note)
        with contextlib.suppress(ServiceError):
            terminal.ws.customers.update(terminal.actor("jana"), card.id, draft, card.version)

    @rule(index=st.integers(0, 4))
    def add_customer(self, index: int) -> None:
        self.created += 1
        terminal = self._terminal(index)
        terminal.ws.customers.create(
            terminal.actor("petr"),
            CustomerDraft(
                full_name=f"Nový Zákazník {self.created}",
                phones=f"+420777{self.created:06d}",
                street="Nová",
                house_number="1",
                city="Praha",
                postal_code="110 00",
            ),
        )

    @rule(index=st.integers(0, 4))
    def sync(self, index: int) -> None:
        self._terminal(index).round()

    @rule(index=st.integers(0, 4), away=st.booleans())
    def share_fault(self, index: int, away: bool) -> None:
        self.shares[index % len(self.shares)].away = away

    @precondition(lambda self: hasattr(self, "floor"))
    @invariant()
    def stores_intact(self) -> None:
        for terminal in self.floor.terminals:
            with terminal.ws.db.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"

    def teardown(self) -> None:
        if not hasattr(self, "floor"):
            return
        try:
            for share in self.shares:
                share.away = False
            self.floor.settle(rounds=12)
            assert_converged(self.floor)
            customers = {_count(terminal) for terminal in self.floor.terminals}
            assert customers == {3 + self.created}  # no customer lost, none twice
        finally:
            self.floor.close()
            shutil.rmtree(self.root, ignore_errors=True)


RandomFloor.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRandomFloor = RandomFloor.TestCase
