"""F8, chats and letters: the waiting conversations (N takes the next; ✉ marks a letter,
with its subject), one's open ones with their unread lines (Tab, Shift+Tab or a digit
switches), the conversation with its message box (Enter sends, Ctrl+J a new line, "/code"
then Enter puts a knowledge base item's answer in the box; a letter's reply: Enter a new
line, Ctrl+S sends), a letter's thread and attachments, and the customer's card and ledger
beside it when the conversation names one. Ctrl+E closes with an outcome, Ctrl+X hands it
over (chat_closing.py); writing is chat_writing.py, a letter's own keys letters.py. It
reads again every two seconds, and at once when another writer's change concerns it
(chat_reads.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.channels.chat_closing import ChatClosing
from cc_terminal.screens.channels.chat_reads import ChatReads, Seen
from cc_terminal.screens.channels.chat_records import ChatRecords
from cc_terminal.screens.channels.chat_widgets import (
    EMAIL,
    ENVELOPE,
    ChatList,
    Keyed,
    MessageBox,
    fill,
    mine_row,
    queue_row,
    topic_label,
    transcript,
)
from cc_terminal.screens.channels.chat_writing import ChatWriting
from cc_terminal.screens.channels.letter_offers import LetterOffers
from cc_terminal.screens.channels.letter_widgets import (
    AttachmentTable,
    attachment_row,
    attachments_of,
    failed_replies,
    thread_text,
)
from cc_terminal.screens.channels.letters import LetterActions
from cc_terminal.screens.channels.services import ChannelsServices
from cc_terminal.services.channels.mail_views import AttachmentView, LetterThread
from cc_terminal.services.channels.views import ChatDetail, OpenChat, QueuedChat
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CustomerCard
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.pane import Pane
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import plain, shown

REFRESH_SECONDS = 2


class ChatScreen(
    LetterActions,
    LetterOffers,
    ChatClosing,
    ChatWriting,
    ChatRecords,
    ChatReads,
    WorkstationScreen[ChannelsServices],
):
    AREA = N_("Chat")
    BINDINGS = [
        Binding("n", "take_next", N_("Take next"), id="chat.take"),
        Binding("tab", "switch(1)", N_("Next chat"), id="chat.next", priority=True),
        Binding("shift+tab", "switch(-1)", N_("Previous chat"), id="chat.previous", priority=True),
        Binding("1", "pick(1)", N_("Chat 1-9"), key_display="1-9", id="chat.pick"),
        *(Binding(str(n), f"pick({n})", N_("Chat 1-9"), show=False) for n in range(2, 10)),
        Binding("ctrl+e", "close_chat", N_("Close with outcome"), id="chat.close", priority=True),
        Binding("ctrl+x", "transfer", N_("Hand over"), id="chat.transfer", priority=True),
        Binding("ctrl+t", "new_request", N_("New request"), id="chat.request", priority=True),
        Binding("ctrl+w", "new_order", N_("New order"), id="chat.order", priority=True),
        Binding("f12", "escalate", N_("Escalate"), id="chat.escalate", priority=True),
        Binding("escape", "leave_box", N_("Leave the message box"), id="chat.leave", show=False),
        Binding("m", "to_box", N_("Write"), id="chat.write"),
        Binding("ctrl+r", "retry", N_("Send again"), id="letter.retry", priority=True),
        Binding("a", "to_attachments", N_("Attachments"), id="letter.attachments"),
        Binding("o", "offer", N_("Offer a product"), id="chat.offer"),
        Binding("ctrl+f", "find_customer", N_("Find the customer"), id="chat.find", priority=True),
    ]
    KEY_RANK = (
        "send",
        "send_reply",
        "screen.save_attachment",
        "retry",
        "take_next",
        "close_chat",
        "transfer",
        "new_request",
        "new_order",
        "escalate",
        "switch",
        "pick",
        "new_line",
        "to_attachments",
        "find_customer",
        "offer",
    )

    def __init__(self) -> None:
        super().__init__()
        self.current: uuid.UUID | None = None
        self.seen = Seen((), (), None, None)
        self.shown_lines: Text | None = None
        self.typing_sent = 0.0
        self.reply_id = ""
        self.offer_code = ""  # the product the reply being written offers (O)
        self.attachment_folder: Path | None = None
        self.filled: dict[str, list[Keyed]] = {}

    def compose(self) -> ComposeResult:
        settings = self.workstation.settings
        yield WorkstationHeader(_(self.AREA))
        with Horizontal(id="chat-body"):
            with Vertical(id="chat-side"):
                with Pane(id="chat-queue-pane"):
                    yield InPlaceText(id="chat-queue-title")
                    yield ChatList(id="chat-queue", cursor_type="row")
                with Pane(id="chat-mine-pane"):
                    yield InPlaceText(id="chat-mine-title")
                    yield ChatList(id="chat-mine", cursor_type="row")
            with Pane(id="chat-talk-pane"):
                yield InPlaceText(id="chat-title")
                with VerticalScroll(id="chat-scroll"):
                    yield Static(id="chat-lines")
                yield AttachmentTable(id="letter-attachments", cursor_type="row")
                yield InPlaceText(id="chat-problem")
                yield MessageBox(id="chat-box", soft_wrap=True)
                yield InPlaceText(id="chat-hint")
            with Pane(id="chat-card-pane"):
                yield CardView(
                    settings.timezone, self.workstation.lists, settings.default_region, id="card"
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#chat-box", MessageBox).cursor_blink = self.workstation.cursor_blink
        self._columns()
        self.set_interval(REFRESH_SECONDS, self.timer_read)
        self.read_all()
        self.set_focus(self.query_one("#chat-queue", DataTable))

    def on_screen_resume(self) -> None:
        self.read_all()  # what was heard while another screen was on top: not known

    def _columns(self) -> None:
        queue = self.query_one("#chat-queue", PlainTable)
        for title, width in ((_("Wait"), 5), (_("Visitor"), 16), (_("Topic"), 12)):
            queue.add_column(title, width=width)
        mine = self.query_one("#chat-mine", PlainTable)
        for title in ("#", _("Visitor"), _("Unread")):
            mine.add_column(title)
        attachments = self.query_one("#letter-attachments", AttachmentTable)
        for title in (_("Attachment"), _("Type"), _("Size")):
            attachments.add_column(title)

    # -- reading ------------------------------------------------------------------------

    def show(self, seen: Seen) -> None:
        self.seen = seen
        self.known = max(self.known, seen.asked)
        if self.current == seen.wanted:  # else another chat was opened meanwhile: read next
            self.current = seen.detail.id if seen.detail is not None else None
        self._fill_queue(seen.queue)
        self._fill_mine(seen.mine)
        self._show_detail(seen.detail, seen.thread)
        card = self.query_one("#card", CardView)
        if card.card != seen.card:
            card.card = seen.card
        self.set_class(seen.card is not None, "-known")
        self.refresh_bindings()

    def show_queue(self, queue: tuple[QueuedChat, ...]) -> None:
        """A colleague's chat given, or a chat started: the waiting queue alone."""
        self.seen = self.queue_seen(queue)
        self._fill_queue(queue)
        self.refresh_bindings()

    def _fill_queue(self, queue: tuple[QueuedChat, ...]) -> None:
        lists, now = self.workstation.lists, self.workstation.clock()
        rows = [(str(chat.id), queue_row(chat, lists, now)) for chat in queue]
        fill(self.query_one("#chat-queue", PlainTable), rows, self.filled)
        letters = any(chat.channel == EMAIL for chat in queue)
        title = (
            ngettext("{n} chat or letter waiting", "{n} chats and letters waiting", len(queue))
            if letters
            else ngettext("{n} chat waiting", "{n} chats waiting", len(queue))
        )
        title = title.format(n=len(queue)) + " · " + _("● a known customer")
        self.query_one("#chat-queue-title", InPlaceText).text = title

    def _fill_mine(self, mine: tuple[OpenChat, ...]) -> None:
        rows = [
            (str(chat.id), mine_row(number, chat, chat.id == self.current))
            for number, chat in enumerate(mine, 1)
        ]
        fill(self.query_one("#chat-mine", PlainTable), rows, self.filled)
        title = ngettext("{n} open chat of mine", "{n} open chats of mine", len(mine))
        self.query_one("#chat-mine-title", InPlaceText).text = title.format(n=len(mine))

    def _show_detail(self, detail: ChatDetail | None, thread: LetterThread | None) -> None:
        title = self.query_one("#chat-title", InPlaceText)
        self._letter_mode(thread)
        if detail is None:
            title.text = _("No chat open: N takes the next waiting chat.")
            lines = Text("")
        elif thread is not None:
            words = f"{ENVELOPE} {thread.subject} · {thread.address} · {thread.mailbox}"
            title.text = Text(shown(words), style="bold")
            lines = thread_text(thread, self.workstation.zone)
        else:
            topic = topic_label(self.workstation.lists, detail.topic)
            title.text = Text(shown(f"{detail.visitor_name} · {topic}"), style="bold")
            typing = _("{name} is typing…").format(name=shown(detail.visitor_name))
            lines = transcript(detail, self.workstation.zone, typing)
        if lines != self.shown_lines:
            self.shown_lines = lines
            self.query_one("#chat-lines", Static).update(plain(lines, multi_line=True))
            self.query_one("#chat-scroll", VerticalScroll).scroll_end(animate=False)

    def _letter_mode(self, thread: LetterThread | None) -> None:
        """A letter: its attachments' table, Enter a new line in the box, Ctrl+S sends."""
        self.set_class(thread is not None, "-letter")
        self.query_one("#chat-box", MessageBox).letter = thread is not None
        hint = (
            _("Ctrl+S sends · Enter: a new line · /code")
            if thread is not None
            else _("Enter sends · /code: a canned answer")
        )
        self.query_one("#chat-hint", InPlaceText).text = hint
        rows = [(str(a.id), attachment_row(a)) for a in self.attachments()]
        self.set_class(bool(rows), "-attached")
        fill(self.query_one("#letter-attachments", AttachmentTable), rows, self.filled)

    def is_letter(self) -> bool:
        return self.seen.thread is not None

    def attachments(self) -> tuple[AttachmentView, ...]:
        return attachments_of(self.seen.thread) if self.seen.thread is not None else ()

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close_chat", "transfer", "find_customer"):
            return self.current is not None
        if action == "retry":
            return failed_replies(self.seen.thread) > 0
        if action == "to_attachments":
            return bool(self.attachments())
        if action == "offer":
            return self.current is not None and (self.is_letter() or self.seen.card is not None)
        if action in ("new_request", "new_order", "escalate"):
            return self.chat_and_card() is not None
        if action == "switch":
            return len(self.seen.mine) > 1
        if action == "pick":
            return bool(self.seen.mine) and int(str(parameters[0])) <= len(self.seen.mine)
        return True

    def chat_and_card(self) -> tuple[ChatDetail, CustomerCard] | None:
        """The open chat and the customer it names, for what a chat records."""
        detail, card = self.seen.detail, self.seen.card
        return None if detail is None or card is None else (detail, card)

    def action_switch(self, step: int) -> None:
        ids = [chat.id for chat in self.seen.mine]
        if not ids:
            return
        at = ids.index(self.current) if self.current in ids else -1
        self._open(ids[(at + step) % len(ids)])

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.seen.mine):
            self._open(self.seen.mine[number - 1].id)

    def _open(self, chat_id: uuid.UUID) -> None:
        if chat_id != self.current:
            self.offer_code = ""
        self.current = chat_id
        self.query_one("#chat-problem", InPlaceText).text = ""
        self.refresh_chats()
        self.action_to_box()

    def action_to_box(self) -> None:
        self.set_focus(self.query_one("#chat-box", MessageBox))

    def action_leave_box(self) -> None:
        self.set_focus(self.query_one("#chat-mine", DataTable))

    @work(thread=True, exit_on_error=False, group="chat-write")
    def action_take_next(self) -> None:
        actor = self.workstation.require_actor()
        try:
            taken = self.services.chats.take_next(actor)
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        if taken is None:
            self.app.call_from_thread(self.notify, _("No chat is waiting."))
            return
        self.app.call_from_thread(self._open, taken)
        self.app.call_from_thread(self.workstation.poll_escalations)  # the badge, at once
