"""What a person sets for herself on her own account: the workstation's language."""

from __future__ import annotations

from dataclasses import replace

from cc_terminal.i18n import LANGUAGES, _
from cc_terminal.models import Operator
from cc_terminal.services.common.errors import NotFound, ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database


class OwnSettings:
    def __init__(self, db: Database) -> None:
        self.db = db

    def set_language(self, actor: Actor, language: str) -> Actor:
        """The signed-in person's language ("" follows the terminal's); kept with the
        account, so it follows her to any terminal of the floor."""
        if language and language not in LANGUAGES:
            raise ValidationFailed({"language": _("No such language.")})
        with self.db.write(actor.operator_id) as session:
            operator = session.get(Operator, actor.operator_id)
            if operator is None:
                raise NotFound(_("No such account."))
            operator.language = language
        return replace(actor, language=language)
