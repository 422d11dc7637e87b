"""What a chat records for its customer, as a call does: a request (Ctrl+T), an order
(Ctrl+W), with the call's own forms, and an escalation to the team leads (F12) with the
visitor's last lines as its notes; each points at the chat's call (its id is the
conversation's, written when the chat closes). Each needs the customer the chat names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.calls.escalating import RaisesEscalations
from cc_terminal.screens.calls.request_form import RequestForm
from cc_terminal.services.calls.escalations import EscalationDraft

LINES_ESCALATED = 3  # the visitor's last lines, as the escalation's notes

if TYPE_CHECKING:
    from cc_terminal.services.calls.requests import RequestView
    from cc_terminal.services.channels.views import ChatDetail
    from cc_terminal.services.common.views import CustomerCard


class ChatRecords(RaisesEscalations):
    """The chat screen's request and order keys (a mixin of ChatScreen)."""

    ESCALATED = N_("Escalated: the team leads see it now. Stay with the visitor.")

    app: Any
    workstation: Any
    notify: Any
    services: Any

    def chat_and_card(self) -> tuple[ChatDetail, CustomerCard] | None:
        raise NotImplementedError

    def action_new_request(self) -> None:
        found = self.chat_and_card()
        if found is not None:
            chat, card = found
            form = RequestForm(card.id, card.full_name, chat.id)
            self.app.push_screen(form, self.request_registered)

    def request_registered(self, request: RequestView | None) -> None:
        if request is not None:
            due = request.due_at.astimezone(self.workstation.zone).strftime("%d.%m. %H:%M")
            self.notify(_("Request registered, due {due}.").format(due=due))

    def action_new_order(self) -> None:
        # Imported when first used: the order screens pull in the database layer.
        from cc_terminal.screens.orders.start import start_order

        found = self.chat_and_card()
        if found is not None:
            chat, card = found
            screen: Any = self
            start_order(screen, card.id, card.full_name, call_id=chat.id, card=card.values)

    def action_escalate(self) -> None:
        found = self.chat_and_card()
        if found is None:
            return
        chat, card = found
        said = [line.text for line in chat.lines if line.author == "visitor"][-LINES_ESCALATED:]
        lists = self.workstation.lists
        reason = chat.topic if lists.is_active(ListKind.CALL_REASON, chat.topic) else "other"
        heading = (
            _("Letter from {name}, {subject}:")
            if chat.channel == "email"
            else _("Chat with {name}:")
        )
        notes = heading.format(name=chat.visitor_name, subject=chat.topic) + "\n" + "\n".join(said)
        self.raise_escalation(EscalationDraft(chat.id, card.id, chat.created_at, reason, notes))
