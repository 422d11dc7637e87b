"""The other domains' part of deactivating a leaver (privacy's ``LeaverWork``): outbound
hands their open leads and callbacks on, the tally ends their open work sessions. Wired
into the account service by the composition root (services/workstation.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from cc_terminal.services.outbound import lead_assignment
from cc_terminal.services.privacy.leavers import HandedOver
from cc_terminal.services.tally import work_sessions


class LeaverSteps:
    def held(self, session: Session, leaver: uuid.UUID) -> tuple[int, int]:
        return lead_assignment.held(session, leaver)

    def hand_over(
        self, session: Session, leaver: uuid.UUID, heir: uuid.UUID | None, at: datetime
    ) -> HandedOver:
        leads, callbacks = lead_assignment.hand_over(session, leaver, heir)
        sessions = work_sessions.end_open(session, leaver, at)
        return HandedOver(leads=leads, callbacks=callbacks, sessions=sessions)
