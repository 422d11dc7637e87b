"""Ending one's part in a conversation (a mixin of ChatScreen): Ctrl+E closes it with an
outcome's digit (T first sends a chat's transcript to the visitor's address), Ctrl+X hands
it to a colleague or a department's queue."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from textual import work

from cc_terminal.i18n import _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.channels.chat_dialogs import OutcomePicker, Target, TransferPicker
from cc_terminal.services.common.errors import ServiceError, ValidationFailed

EMAIL = "email"


def transcript_address(channel: str, contact: str) -> str:
    """Where a chat's transcript may go: the visitor's contact when it is an address."""
    contact = contact.strip()
    return contact if channel != EMAIL and "@" in contact else ""


class ChatClosing:
    """Mixed into ChatScreen: it has ``seen`` (the open conversation), ``services``."""

    app: Any
    services: Any
    workstation: Any
    notify: Any
    seen: Any
    current: uuid.UUID | None
    refresh_chats: Any

    def action_close_chat(self) -> None:
        detail = self.seen.detail
        if detail is None:
            return
        outcomes = self.workstation.lists.active(ListKind.CALL_OUTCOME)
        address = transcript_address(detail.channel, detail.visitor_contact)
        picker = OutcomePicker(detail.visitor_name, outcomes, detail.channel, address)
        letter = detail.channel == EMAIL
        self.app.push_screen(picker, self._when_picked(detail.id, picker, letter))

    def _when_picked(
        self, chat_id: uuid.UUID, picker: OutcomePicker, letter: bool
    ) -> Callable[[str | None], None]:
        def chosen(outcome: str | None) -> None:
            if outcome:
                address = picker.transcript_to if picker.send_transcript else ""
                self.close_with(chat_id, outcome, address, letter)

        return chosen

    @work(thread=True, exit_on_error=False, group="chat-write")
    def close_with(
        self, chat_id: uuid.UUID, outcome: str, transcript_to: str, letter: bool = False
    ) -> None:
        actor = self.workstation.require_actor()
        try:
            self.services.chats.close(actor, chat_id, outcome)
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        said = (
            _("The letter is closed and in the customer's ledger.")
            if letter
            else _("The chat is closed and in the customer's ledger.")
        )
        if transcript_to:
            try:
                self.services.mail.send_transcript(actor, chat_id, transcript_to)
            except ServiceError as refused:
                said += " " + str(refused)
            else:
                said += " " + _("Its transcript goes to {address}.").format(address=transcript_to)
        self.app.call_from_thread(self._chat_closed, said)

    def _chat_closed(self, said: str) -> None:
        self.current = None
        self.notify(said)
        self.workstation.refresh_today()
        self.workstation.poll_escalations()
        self.refresh_chats()

    @work(thread=True, exit_on_error=False, group="chat-write")
    def action_transfer(self) -> None:
        detail = self.seen.detail
        if detail is None:
            return
        colleagues = self.services.chats.colleagues(self.workstation.require_actor())
        departments = self.workstation.lists.active(ListKind.DEPARTMENT)
        picker = TransferPicker(detail.visitor_name, colleagues, departments)
        self.app.call_from_thread(self.app.push_screen, picker, self._handing(detail.id))

    def _handing(self, chat_id: uuid.UUID) -> Callable[[Target | None], None]:
        def chosen(target: Target | None) -> None:
            if target is not None:
                self.hand_over(chat_id, target)

        return chosen

    @work(thread=True, exit_on_error=False, group="chat-write")
    def hand_over(self, chat_id: uuid.UUID, target: Target) -> None:
        actor = self.workstation.require_actor()
        colleague = target.colleague.id if target.colleague is not None else None
        try:
            self.services.chats.transfer(
                actor, chat_id, to_operator=colleague, to_department=target.department
            )
        except ValidationFailed as failed:
            self.app.call_from_thread(
                self.notify, " ".join(failed.errors.values()), severity="warning"
            )
            return
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        self.app.call_from_thread(self._handed)

    def _handed(self) -> None:
        self.current = None
        self.notify(_("The chat is handed over."))
        self.workstation.poll_escalations()
        self.refresh_chats()
