"""Who may read and who may write in a conversation, a chat's or a letter's: the owner or
a team lead, anyone while it waits (to see what they would take); nobody once closed."""

from __future__ import annotations

from cc_terminal.i18n import _
from cc_terminal.models import Conversation, ConversationState
from cc_terminal.services.common.errors import ConflictError, PermissionDenied
from cc_terminal.services.common.views import Actor


def check_reader(actor: Actor, conversation: Conversation) -> None:
    if actor.is_lead or conversation.owner_id in (None, actor.operator_id):
        return
    raise PermissionDenied(_colleagues(conversation))


def check_holder(actor: Actor, conversation: Conversation) -> None:
    """Only the operator holding it (or a team lead) writes in it, and not once closed."""
    if conversation.state == ConversationState.CLOSED.value:
        if conversation.channel == "email":
            raise ConflictError(_("This letter's conversation is closed."))
        raise ConflictError(_("This chat is closed."))
    if actor.is_lead or conversation.owner_id == actor.operator_id:
        return
    raise PermissionDenied(_colleagues(conversation))


def _colleagues(conversation: Conversation) -> str:
    if conversation.channel == "email":
        return _("This letter is a colleague's.")
    return _("This chat is a colleague's.")
