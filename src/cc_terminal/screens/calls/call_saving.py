"""Saving a finished call from F2, and a call whose save found the server away.

The call stays open on screen with its draft on this computer's disk; the operator reads
what happened in words. It is saved as soon as the server is back (the app hears it, see
app_floor.py), or when the operator presses Ctrl+E again: with the notes and reason on
screen by then, so nothing typed meanwhile is lost, and once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widgets import TextArea

from cc_terminal.i18n import _
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.views import CallDraft
from cc_terminal.store.errors import StoreUnavailable

if TYPE_CHECKING:
    from cc_terminal.screens.calls.services import CallsServices


class SavesCalls:
    """Mixed into the incoming call screen (screens/calls/incoming.py)."""

    app: Any
    call: Any
    services: CallsServices
    workstation: Any
    # the end and outcome of a call whose save found the server away
    unsaved: tuple[datetime, str] | None = None

    def finish_call(self, call: Any, ended_at: datetime, outcome: str) -> None:
        notes = self.query_one("#notes", TextArea).text  # type: ignore[attr-defined]
        self.unsaved = None
        draft = call.finished(ended_at, self.reason(), outcome, notes)  # type: ignore[attr-defined]
        draft = self.as_callback(draft, call)  # type: ignore[attr-defined]
        self.save_call(draft, call.phone_key, call.callback_of)

    def retry_unsaved(self) -> None:
        """The server is back: save the call that found it away, as it stands now."""
        if self.unsaved is None or self.call is None:
            return
        if self.check_ready_to_end():  # type: ignore[attr-defined]
            self.finish_call(self.call, *self.unsaved)

    def hold_unsaved(self, draft: CallDraft) -> None:
        self.keep_draft_now()  # type: ignore[attr-defined]
        if self.call is not None:
            self.unsaved = (draft.ended_at, draft.outcome)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save-call")
    def save_call(
        self, draft: CallDraft, phone_key: str = "", callback_of: uuid.UUID | None = None
    ) -> None:
        actor = self.workstation.require_actor()
        try:
            self.services.calls.record(actor, draft)
        except ValidationFailed as failed:
            self.app.call_from_thread(self.show_errors, failed.errors)  # type: ignore[attr-defined]
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")  # type: ignore[attr-defined]
        except StoreUnavailable as error:  # the server is away: the call stays as a draft
            self.app.call_from_thread(self.hold_unsaved, draft)
            message = _(
                "{error} The call stays open here with its draft; it is saved when the "
                "server is back, or press Ctrl+E again."
            )
            self.app.call_from_thread(self.notify, message.format(error=error), severity="error")  # type: ignore[attr-defined]
        else:
            self.services.drafts.discard(actor.operator_id, draft.started_at)
            self.off_the_floor()  # type: ignore[attr-defined]
            if phone_key:
                self._link(phone_key, draft)
            self.mark_callback_done(actor, draft.call_id, callback_of)  # type: ignore[attr-defined]
            self.app.call_from_thread(self.call_saved)  # type: ignore[attr-defined]

    def _link(self, phone_key: str, draft: CallDraft) -> None:
        """The phone's call is this saved call now; the call is saved even if this fails."""
        try:
            self.services.phone.link_call(
                self.workstation.require_actor(), phone_key, draft.call_id
            )
        except (ServiceError, StoreUnavailable) as error:
            message = _("The call is saved; linking it to the phone's call failed: {e}")
            self.app.call_from_thread(self.notify, message.format(e=error), severity="warning")  # type: ignore[attr-defined]
