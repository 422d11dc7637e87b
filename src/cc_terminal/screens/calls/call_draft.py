"""The local draft of the call on F2: what is typed is written to this computer half a
second after the typing pauses, offered back after a crash or a quit, and dropped once
the call is saved. Mixed into the incoming call screen (incoming.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.timer import Timer
from textual.widgets import Input, Select, TextArea

from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.pickers import RestoreDraft
from cc_terminal.services.common.views import CallDraftState

DRAFT_DELAY_SECONDS = 0.5


class KeepsCallDraft(WorkstationScreen[CallsServices]):
    """Nothing typed during a call is lost."""

    call: OpenCall | None
    _draft_timer: Timer | None
    _looked_for_draft = False

    if TYPE_CHECKING:  # the incoming call screen's own; load_card is in caller_search.py

        @property
        def call_open(self) -> bool: ...

        def reason(self) -> str: ...

        def load_card(
            self,
            customer_id: uuid.UUID,
            identified_by: str = "",
            restore: CallDraftState | None = None,
        ) -> object: ...

    @on(Select.Changed, "#reason")
    @on(TextArea.Changed, "#notes")
    def save_draft_soon(self) -> None:
        """Write the draft half a second after the typing pauses."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.call_open:
            self._draft_timer = self.set_timer(DRAFT_DELAY_SECONDS, self.save_draft)

    def save_draft(self) -> None:
        draft = self.draft_state()
        if draft is not None:
            self.write_draft(draft)

    def keep_draft_now(self) -> None:
        """Quitting with a call open: keep the last keys too, not only the last timed save."""
        draft = self.draft_state()
        if draft is not None:
            self.services.drafts.save(self.workstation.require_actor().operator_id, draft)

    def draft_state(self) -> CallDraftState | None:
        if self.call is None:
            return None
        return self.call.draft_state(self.reason(), self.query_one("#notes", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def write_draft(self, draft: CallDraftState) -> None:
        self.services.drafts.save(self.workstation.require_actor().operator_id, draft)

    @on(events.ScreenResume)
    def _first_shown(self) -> None:
        """A kept call is looked for when the screen is first shown, not when it mounts: it
        may be composed before anyone has signed in (app_landing.py)."""
        if not self._looked_for_draft:
            self._looked_for_draft = True
            self.look_for_draft()

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def look_for_draft(self) -> None:
        draft = self.services.drafts.load(self.workstation.require_actor().operator_id)
        if draft is not None:
            self.app.call_from_thread(self.offer_draft, draft)

    def offer_draft(self, draft: CallDraftState) -> None:
        def answered(restore: bool | None) -> None:
            if restore:
                self.load_card(draft.customer_id, restore=draft)
            else:
                self.discard_draft(draft.started_at)

        self.app.push_screen(RestoreDraft(draft, self.workstation.zone), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="draft")
    def discard_draft(self, started_at: datetime) -> None:
        self.services.drafts.discard(self.workstation.require_actor().operator_id, started_at)
        self.off_the_floor()  # type: ignore[attr-defined]

    def restore_typed(self, draft: CallDraftState) -> None:
        self.query_one("#phone", Input).value = draft.phone_e164
        if draft.reason:
            self.query_one("#reason", Select).value = draft.reason
        self.query_one("#notes", TextArea).text = draft.notes
