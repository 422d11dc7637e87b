"""Ctrl+X on F2: the phone's live call handed on to a transfer target (a blind transfer
through the softphone, services/phone/transfer.py), written into the call: a line in its
notes and the phone call's end reason "transferred". The operator then ends the call with
its outcome (Ctrl+E) as any other. Mixed into the incoming call screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import TextArea

from cc_terminal.formats import local_time
from cc_terminal.i18n import _
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.calls.transfer_picker import AsksTransferTarget
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.phone.transfer import TransferTarget, extension_uri

if TYPE_CHECKING:
    from cc_terminal.screens.calls.open_call import OpenCall


class TransfersCalls(AsksTransferTarget, WorkstationScreen[CallsServices]):
    call: OpenCall | None

    def may_transfer(self) -> bool:
        """A call the phone answered, still on the line, with a softphone to hand it on."""
        call = self.call
        live = call is not None and call.answered_at is not None and call.hung_up_at is None
        return live and bool(call and call.phone_key) and bool(self.workstation.settings.softphone)

    @work(exclusive=True, exit_on_error=False, group="call-transfer")
    async def transfer_to(self, target: TransferTarget) -> None:
        settings, call = self.workstation.settings, self.call
        uri = extension_uri(target.extension, settings.sip_gateway, settings.softphone)
        problem = await self.workstation.phone_command("transfer", uri)
        if problem or call is None:
            self.notify(problem or _("The call is over."), severity="warning", timeout=6)
            return
        when = local_time(self.workstation.clock(), self.workstation.zone, "%H:%M")
        said = _("Transferred to {name} ({ext}) at {when}.").format(
            name=target.name, ext=target.extension, when=when
        )
        notes = self.query_one("#notes", TextArea)
        notes.text = "\n".join(part for part in (notes.text.rstrip(), said) if part)
        self.notify(said, timeout=5)
        self.mark_transferred(call.phone_key)
        await self.workstation.phone_command("hangup")  # baresip keeps our leg otherwise

    @work(thread=True, exit_on_error=False, group="call-transfer-mark")
    def mark_transferred(self, call_key: str) -> None:
        try:
            self.services.phone.transferred(self.workstation.require_actor(), call_key)
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
