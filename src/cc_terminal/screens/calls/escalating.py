"""Asking the team leads to step in from a screen: F12 on an incoming call, on an outbound
lead's call and in a chat. The screen says whom to stay with; a call records its outcome."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from textual import work

from cc_terminal.i18n import N_, _
from cc_terminal.services.calls.escalations import EscalationDraft
from cc_terminal.services.common.errors import ServiceError


class RaisesEscalations:
    """Mixed into a WorkstationScreen whose services have ``escalations``."""

    ESCALATED: ClassVar[str] = N_("Escalated: the team leads see it now. Stay with the caller.")

    app: Any
    services: Any
    workstation: Any
    notify: Any

    @work(thread=True, exclusive=True, exit_on_error=False, group="escalate")
    def raise_escalation(self, draft: EscalationDraft) -> None:
        try:
            self.services.escalations.raise_(self.workstation.require_actor(), draft)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
            return
        self.app.call_from_thread(self.notify, _(self.ESCALATED), timeout=6)
        self.app.call_from_thread(self.escalated, draft.call_id)

    def escalated(self, call_id: uuid.UUID) -> None:
        """The leads see it: what the screen does then (nothing by default)."""
