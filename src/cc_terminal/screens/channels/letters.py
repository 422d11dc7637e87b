"""What F8 does with a letter beyond a chat (a mixin of ChatScreen): A goes to its
attachments, where Enter saves the highlighted one (the folder asked once a session;
written 0600 by the service, never opened), Ctrl+R queues the failed replies again; and,
for a letter or a chat, Ctrl+F finds the customer to link it to (a letter's sender's
address then goes on their card)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import work

from cc_terminal.i18n import _, ngettext
from cc_terminal.screens.channels.letter_widgets import AttachmentTable
from cc_terminal.screens.orders.dialogs import TextDialog
from cc_terminal.screens.pickers import CallerRow, CustomerPicker
from cc_terminal.services.channels.mail_views import AttachmentView
from cc_terminal.services.common.errors import ServiceError

ATTACHMENTS = "attachments"


def default_folder(home: Path, data_dir: Path) -> Path:
    """~/Downloads when the operator has one, else the data folder's attachments/."""
    downloads = home / "Downloads"
    return downloads if downloads.is_dir() else data_dir / ATTACHMENTS


class LetterActions:
    """Mixed into ChatScreen: ``seen`` holds the open letter's thread."""

    app: Any
    services: Any
    workstation: Any
    notify: Any
    seen: Any
    current: uuid.UUID | None
    attachment_folder: Path | None
    query_one: Any
    set_focus: Any
    refresh_chats: Any

    def attachments(self) -> tuple[AttachmentView, ...]:
        raise NotImplementedError

    def action_to_attachments(self) -> None:
        if self.attachments():
            self.set_focus(self.query_one("#letter-attachments", AttachmentTable))

    def action_save_attachment(self) -> None:
        attachments = self.attachments()
        row = self.query_one("#letter-attachments", AttachmentTable).cursor_row
        if not attachments or not 0 <= row < len(attachments):
            return
        attachment = attachments[row]
        if self.attachment_folder is not None:
            self.save_attachment(attachment, self.attachment_folder)
            return
        settings = self.workstation.settings
        dialog = TextDialog(
            _("Save {name}").format(name=attachment.filename),
            _("Folder"),
            _("Attachments are saved for you alone (0600) and never opened here."),
            str(default_folder(Path.home(), settings.data_dir)),
        )
        self.app.push_screen(dialog, self._folder_chosen(attachment))

    def _folder_chosen(self, attachment: AttachmentView) -> Callable[[str | None], None]:
        def chosen(typed: str | None) -> None:
            if typed:
                self.attachment_folder = Path(typed).expanduser()
                self.save_attachment(attachment, self.attachment_folder)

        return chosen

    @work(thread=True, exit_on_error=False, group="letter-save")
    def save_attachment(self, attachment: AttachmentView, folder: Path) -> None:
        actor = self.workstation.require_actor()
        if folder.name == ATTACHMENTS and folder.parent == self.workstation.settings.data_dir:
            folder.mkdir(mode=0o700, exist_ok=True)  # the default, made when first used
        try:
            path = self.services.mail.save_attachment(actor, attachment.id, folder)
        except ServiceError as refused:
            self.attachment_folder = None  # asked again next time
            self.app.call_from_thread(self.notify, str(refused), severity="warning", timeout=8)
            return
        said = _("Saved as {path} (not opened).").format(path=path)
        self.app.call_from_thread(self.notify, said, timeout=8)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def action_retry(self) -> None:
        if self.current is None:
            return
        try:
            again = self.services.mail.retry(self.workstation.require_actor(), self.current)
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        said = ngettext("{n} reply queued again.", "{n} replies queued again.", again).format(
            n=again
        )
        self.app.call_from_thread(self.notify, said)
        self.app.call_from_thread(self.refresh_chats)

    # -- the customer -------------------------------------------------------------------

    def action_find_customer(self) -> None:
        detail = self.seen.detail
        if detail is None:
            return
        dialog = TextDialog(
            _("Whose is this conversation?"),
            _("Name, street, town, phone or e-mail"),
            _("Enter finds them; then pick the customer with the arrows and Enter."),
            detail.visitor_contact if "@" in detail.visitor_contact else detail.visitor_name,
        )
        self.app.push_screen(dialog, self._find_typed(detail.id, detail.channel))

    def _find_typed(self, chat_id: uuid.UUID, channel: str) -> Callable[[str | None], None]:
        def typed(words: str | None) -> None:
            if words:
                self.find_customer(chat_id, channel, words)

        return typed

    @work(thread=True, exclusive=True, exit_on_error=False, group="chat-find")
    def find_customer(self, chat_id: uuid.UUID, channel: str, words: str) -> None:
        hits = self.services.search.search(words)
        if not hits:
            said = _("Nobody found for {words}.").format(words=words)
            self.app.call_from_thread(self.notify, said, severity="warning")
            return
        rows = [CallerRow.of_hit(hit) for hit in hits]
        picker = CustomerPicker(_("Pick the customer"), rows, self.workstation.zone)
        self.app.call_from_thread(self.app.push_screen, picker, self._picked(chat_id, channel))

    def _picked(self, chat_id: uuid.UUID, channel: str) -> Callable[[uuid.UUID | None], None]:
        def picked(customer_id: uuid.UUID | None) -> None:
            if customer_id is not None:
                self.link_customer(chat_id, channel, customer_id)

        return picked

    @work(thread=True, exit_on_error=False, group="chat-write")
    def link_customer(self, chat_id: uuid.UUID, channel: str, customer_id: uuid.UUID) -> None:
        actor = self.workstation.require_actor()
        try:
            if channel == "email":  # links it too
                self.services.mail.add_sender_to_customer(actor, chat_id, customer_id)
            else:
                self.services.chats.link_customer(actor, chat_id, customer_id)
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        self.app.call_from_thread(self.notify, _("The customer is linked: their card is beside."))
        self.app.call_from_thread(self.refresh_chats)
