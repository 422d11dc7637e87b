"""The chat area's parts: the message box (Enter sends, Ctrl+J a new line), the
conversation drawn from plain strings (a visitor's text is data, never markup or escapes),
and the rows of the queue and of one's open chats."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.services.channels.views import ChatDetail, ChatLine, OpenChat, QueuedChat
from cc_terminal.services.common.reference import ReferenceLists
from cc_terminal.widgets.plain_widgets import InOrderTable, PlainTable, PlainTextArea
from cc_terminal.widgets.safe_text import shown
from cc_terminal.widgets.today_strip import clock_duration

Keyed = tuple[str, list[Text | str]]  # a table row's key and its cells
CANNED = "/"
EMAIL = "email"
ENVELOPE = "✉"  # a letter, beside a chat

AUTHOR_STYLES = {
    "visitor": "bold cyan",
    "operator": "bold green",
    "system": "dim italic",
    "note": "bold yellow",
}


class ChatList(InOrderTable):
    """The waiting queue and one's open chats. M and a chat's digit move the focus to
    the message box: bubbled up, they moved it only after what was typed right behind
    them had reached this list and was lost (tmux: "m" and a fast line sent an empty
    message)."""


class MessageBox(PlainTextArea):
    """Enter sends what is typed; Ctrl+J starts a new line (Enter cannot: it sends). A
    letter's reply is longer: there Enter starts a new line and Ctrl+S sends."""

    BINDINGS = [
        Binding("enter", "send", N_("Send"), id="chat.send"),
        Binding("ctrl+s", "send_reply", N_("Send the reply"), id="letter.send"),
        Binding("ctrl+j", "new_line", N_("New line"), id="chat.new_line"),
    ]

    letter = False  # set by the screen when the open conversation is a letter

    class Send(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            if event.key == "enter" and not (self.letter and not canned_code(self.text)):
                self.action_send()
            else:
                self.action_new_line()
            return
        await super()._on_key(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return not self.letter
        if action == "send_reply":
            return self.letter
        return True

    def action_send(self) -> None:
        self.post_message(self.Send(self.text))

    def action_send_reply(self) -> None:
        if self.letter:
            self.post_message(self.Send(self.text))

    def action_new_line(self) -> None:
        start, end = self.selection
        self.replace("\n", start, end)


def canned_code(text: str) -> str | None:
    """The code of "/code" typed alone (a knowledge base item's answer wanted), else None."""
    typed = text.strip()
    if typed.startswith(CANNED) and len(typed.split()) == 1:
        return typed[1:]
    return None


def fill(table: PlainTable, rows: list[Keyed], shown: dict[str, list[Keyed]]) -> None:
    """The rows, unless the table shows them already (a read every 2 s mostly brings the
    same: redrawing them would move the cursor and repaint for nothing)."""
    if rows == shown.get(str(table.id)):
        return
    shown[str(table.id)] = rows
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=key)


def topic_label(lists: ReferenceLists, topic: str) -> str:
    return lists.label(ListKind.REQUEST_CATEGORY, topic) if topic else _("no topic")


def queue_row(chat: QueuedChat, lists: ReferenceLists, now: datetime) -> list[Text | str]:
    """The wait, the visitor (● when their contact names a customer; ✉ a letter's sender),
    the topic (a letter's subject)."""
    waited = clock_duration(int((now - chat.created_at).total_seconds()))
    visitor = Text("● " if chat.customer_id else "  ", style="bold green")
    letter = chat.channel == EMAIL
    visitor.append(ENVELOPE + " " if letter else "")
    visitor.append(shown(chat.visitor_name))
    topic = Text(shown(chat.topic)) if letter else topic_label(lists, chat.topic)
    return [waited, visitor, topic]


def mine_row(number: int, chat: OpenChat, current: bool) -> list[Text | str]:
    mark = "▶" if current else str(number) if number <= 9 else " "
    unread = Text(str(chat.unread), style="bold reverse") if chat.unread else Text("")
    typing = "…" if chat.visitor_typing else ""
    envelope = ENVELOPE + " " if chat.channel == EMAIL else ""
    return [mark, Text(envelope + shown(chat.visitor_name) + typing), unread]


def transcript(detail: ChatDetail, zone: tzinfo, visitor_typing_words: str) -> Text:
    """Every line: its time, who, what (notes marked), the operator's delivered/read marks."""
    text = Text()
    for line in detail.lines:
        if text:
            text.append("\n")
        _append_line(text, line, detail.visitor_name, zone)
    if detail.visitor_typing:
        text.append("\n" + visitor_typing_words, style="dim italic")
    return text


def _append_line(text: Text, line: ChatLine, visitor: str, zone: tzinfo) -> None:
    text.append(local_time(line.at, zone, "%H:%M") + " ", style="dim")
    who = {
        "visitor": visitor,
        "operator": line.operator_name,
        "note": _("Note by {name}").format(name=line.operator_name),
    }.get(line.author, "")
    style = AUTHOR_STYLES.get(line.author, "")
    if who:
        text.append(shown(who) + ": ", style=style)
    body_style = "yellow" if line.author == "note" else "dim italic" if not who else ""
    text.append(shown(line.text, multi_line=True), style=body_style)
    if line.author == "operator":
        text.append(" ✓✓" if line.read else " ✓" if line.delivered else "", style="dim")
