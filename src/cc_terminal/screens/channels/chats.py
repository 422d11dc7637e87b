"""F8, chat: the waiting chats (N takes the next), one's open chats with their unread
lines (Tab, Shift+Tab or a digit switches), the conversation with its message box (Enter
sends, Ctrl+J a new line, "/code" then Enter puts a knowledge base item's answer in the
box), and the customer's card and ledger beside it when the chat names one. Ctrl+E closes
with an outcome, Ctrl+X hands the chat over. It reads again every two seconds."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static, TextArea

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.channels.chat_dialogs import OutcomePicker, Target, TransferPicker
from cc_terminal.screens.channels.chat_records import ChatRecords
from cc_terminal.screens.channels.chat_widgets import (
    MessageBox,
    mine_row,
    queue_row,
    topic_label,
    transcript,
)
from cc_terminal.screens.channels.services import ChannelsServices
from cc_terminal.services.channels.views import ChatDetail, OpenChat, QueuedChat
from cc_terminal.services.common.errors import ServiceError, ValidationFailed
from cc_terminal.services.common.views import CustomerCard
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.header import WorkstationHeader
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.pane import Pane
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import plain, shown

REFRESH_SECONDS = 2
TYPING_EVERY_SECONDS = 3
CANNED = "/"


@dataclass(frozen=True)
class Seen:
    """What one read of the chats brought."""

    queue: tuple[QueuedChat, ...]
    mine: tuple[OpenChat, ...]
    detail: ChatDetail | None
    card: CustomerCard | None


class ChatScreen(ChatRecords, WorkstationScreen[ChannelsServices]):
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
        Binding("escape", "leave_box", N_("Leave the message box"), id="chat.leave", show=False),
        Binding("m", "to_box", N_("Write"), id="chat.write"),
    ]
    KEY_RANK = (
        "send",
        "take_next",
        "close_chat",
        "transfer",
        "new_request",
        "new_order",
        "switch",
        "pick",
        "new_line",
    )

    def __init__(self) -> None:
        super().__init__()
        self.current: uuid.UUID | None = None
        self.seen = Seen((), (), None, None)
        self.shown_lines: Text | None = None
        self.typing_sent = 0.0

    def compose(self) -> ComposeResult:
        settings = self.workstation.settings
        yield WorkstationHeader(_(self.AREA))
        with Horizontal(id="chat-body"):
            with Vertical(id="chat-side"):
                with Pane(id="chat-queue-pane"):
                    yield InPlaceText(id="chat-queue-title")
                    yield PlainTable(id="chat-queue", cursor_type="row")
                with Pane(id="chat-mine-pane"):
                    yield InPlaceText(id="chat-mine-title")
                    yield PlainTable(id="chat-mine", cursor_type="row")
            with Pane(id="chat-talk-pane"):
                yield InPlaceText(id="chat-title")
                with VerticalScroll(id="chat-scroll"):
                    yield Static(id="chat-lines")
                yield InPlaceText(id="chat-problem")
                yield MessageBox(id="chat-box", soft_wrap=True)
                yield Static(
                    _("Enter sends · /code: a canned answer"),
                    id="chat-hint",
                )
            with Pane(id="chat-card-pane"):
                yield CardView(
                    settings.timezone, self.workstation.lists, settings.default_region, id="card"
                )
        yield KeyBar()

    def on_mount(self) -> None:
        self._columns()
        self.set_interval(REFRESH_SECONDS, self.refresh_chats)
        self.refresh_chats()
        self.set_focus(self.query_one("#chat-queue", DataTable))

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.refresh_chats()

    def _columns(self) -> None:
        queue = self.query_one("#chat-queue", PlainTable)
        for title, width in ((_("Wait"), 5), (_("Visitor"), 16), (_("Topic"), 12)):
            queue.add_column(title, width=width)
        mine = self.query_one("#chat-mine", PlainTable)
        for title in ("#", _("Visitor"), _("Unread")):
            mine.add_column(title)

    # -- reading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="chats")
    def refresh_chats(self) -> None:
        actor = self.workstation.actor
        if actor is None:
            return
        chats = self.services.chats
        queue, mine = chats.queue(actor), chats.mine(actor)
        ids = [chat.id for chat in mine]
        current = self.current if self.current in ids else (ids[0] if ids else None)
        detail = chats.detail(actor, current) if current is not None else None
        card = None
        if detail is not None and detail.customer_id is not None:
            card = self.services.customers.card(detail.customer_id)
        self.app.call_from_thread(self.show, Seen(queue, mine, detail, card))

    def show(self, seen: Seen) -> None:
        self.seen = seen
        self.current = seen.detail.id if seen.detail is not None else None
        self._fill_queue(seen.queue)
        self._fill_mine(seen.mine)
        self._show_detail(seen.detail)
        card = self.query_one("#card", CardView)
        if card.card != seen.card:
            card.card = seen.card
        self.set_class(seen.card is not None, "-known")
        self.refresh_bindings()

    def _fill_queue(self, queue: tuple[QueuedChat, ...]) -> None:
        lists, now = self.workstation.lists, self.workstation.clock()
        table = self.query_one("#chat-queue", PlainTable)
        table.clear()
        for chat in queue:
            table.add_row(*queue_row(chat, lists, now), key=str(chat.id))
        title = ngettext("{n} chat waiting", "{n} chats waiting", len(queue))
        title = title.format(n=len(queue)) + " · " + _("● a known customer")
        self.query_one("#chat-queue-title", InPlaceText).text = title

    def _fill_mine(self, mine: tuple[OpenChat, ...]) -> None:
        table = self.query_one("#chat-mine", PlainTable)
        table.clear()
        for number, chat in enumerate(mine, 1):
            table.add_row(*mine_row(number, chat, chat.id == self.current), key=str(chat.id))
        title = ngettext("{n} open chat of mine", "{n} open chats of mine", len(mine))
        self.query_one("#chat-mine-title", InPlaceText).text = title.format(n=len(mine))

    def _show_detail(self, detail: ChatDetail | None) -> None:
        title = self.query_one("#chat-title", InPlaceText)
        if detail is None:
            title.text = _("No chat open: N takes the next waiting chat.")
            lines = Text("")
        else:
            topic = topic_label(self.workstation.lists, detail.topic)
            title.text = Text(shown(f"{detail.visitor_name} · {topic}"), style="bold")
            typing = _("{name} is typing…").format(name=shown(detail.visitor_name))
            lines = transcript(detail, self.workstation.zone, typing)
        if lines != self.shown_lines:
            self.shown_lines = lines
            self.query_one("#chat-lines", Static).update(plain(lines, multi_line=True))
            self.query_one("#chat-scroll", VerticalScroll).scroll_end(animate=False)

    # -- keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close_chat", "transfer"):
            return self.current is not None
        if action in ("new_request", "new_order"):
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

    # -- writing ------------------------------------------------------------------------

    @on(MessageBox.Send)
    def send(self, event: MessageBox.Send) -> None:
        text = event.text.strip()
        if text.startswith(CANNED) and len(text.split()) == 1:
            self.canned(text[1:])
        elif self.current is None:
            self._problem(_("No chat open: N takes the next waiting chat."))
        else:
            self.send_line(self.current, event.text)

    @work(thread=True, exit_on_error=False, group="chat-write")
    def send_line(self, chat_id: uuid.UUID, text: str) -> None:
        try:
            self.services.chats.send(
                self.workstation.require_actor(), chat_id, uuid.uuid4().hex, text
            )
        except ValidationFailed as failed:
            self.app.call_from_thread(self._problem, " ".join(failed.errors.values()))
            return
        except ServiceError as refused:
            self.app.call_from_thread(self._problem, str(refused))
            return
        self.app.call_from_thread(self._sent)

    def _sent(self) -> None:
        self.query_one("#chat-box", MessageBox).clear()
        self.query_one("#chat-problem", InPlaceText).text = ""
        self.refresh_chats()

    def _problem(self, message: str) -> None:
        self.query_one("#chat-problem", InPlaceText).text = plain(message, style="bold red")

    @work(thread=True, exit_on_error=False, group="canned")
    def canned(self, code: str) -> None:
        wanted = code.strip().upper()
        found = next(
            (item for item in self.services.catalog.items() if item.code.upper() == wanted), None
        )
        if found is None:
            message = _("No canned answer {code}: the knowledge base has no such code.").format(
                code=code
            )
            self.app.call_from_thread(self._problem, message)
            return
        answer = f"{found.name}: {found.description}" if found.description else found.name
        self.app.call_from_thread(self._canned_in, answer)

    def _canned_in(self, answer: str) -> None:
        box = self.query_one("#chat-box", MessageBox)
        box.load_text(answer)
        box.move_cursor(box.document.end)
        self.query_one("#chat-problem", InPlaceText).text = ""

    @on(TextArea.Changed, "#chat-box")
    def typed(self) -> None:
        now = time.monotonic()
        if self.current is not None and now - self.typing_sent > TYPING_EVERY_SECONDS:
            self.typing_sent = now
            self.tell_typing(self.current)

    @work(thread=True, exit_on_error=False, group="typing")
    def tell_typing(self, chat_id: uuid.UUID) -> None:
        with contextlib.suppress(ServiceError):  # the chat moved on: nothing to tell
            self.services.chats.typing(self.workstation.require_actor(), chat_id)

    def action_close_chat(self) -> None:
        detail = self.seen.detail
        if detail is None:
            return
        outcomes = self.workstation.lists.active(ListKind.CALL_OUTCOME)
        self.app.push_screen(
            OutcomePicker(detail.visitor_name, outcomes), self._when_picked(detail.id)
        )

    def _when_picked(self, chat_id: uuid.UUID) -> Callable[[str | None], None]:
        def chosen(outcome: str | None) -> None:
            if outcome:
                self.close_with(chat_id, outcome)

        return chosen

    @work(thread=True, exit_on_error=False, group="chat-write")
    def close_with(self, chat_id: uuid.UUID, outcome: str) -> None:
        try:
            self.services.chats.close(self.workstation.require_actor(), chat_id, outcome)
        except ServiceError as refused:
            self.app.call_from_thread(self.notify, str(refused), severity="warning")
            return
        self.app.call_from_thread(self._chat_closed)

    def _chat_closed(self) -> None:
        self.current = None
        self.notify(_("The chat is closed and in the customer's ledger."))
        self.workstation.refresh_today()
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
        self.refresh_chats()
