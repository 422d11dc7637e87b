"""A letter's parts in F8: the thread drawn from plain strings (a subject's escape sequences
and a name's markup are data), each letter's head (From, To, date, subject), its
attachments and the state of our replies; and the attachments' table rows."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.binding import Binding

from cc_terminal.formats import file_size, local_time
from cc_terminal.i18n import N_, _
from cc_terminal.services.channels.mail_views import AttachmentView, LetterThread, LetterView
from cc_terminal.widgets.plain_widgets import PlainTable
from cc_terminal.widgets.safe_text import shown

SENDING_WORDS = {
    "queued": N_("queued, the mail loop sends it"),
    "sent": N_("sent"),
    "failed": N_("not sent"),
}
SENDING_STYLES = {"queued": "yellow", "sent": "green", "failed": "bold red"}


class AttachmentTable(PlainTable):
    """A letter's attachments; Enter saves the highlighted one (never opens it)."""

    BINDINGS = [
        Binding("enter", "screen.save_attachment", N_("Save the attachment"), id="letter.save")
    ]


def thread_text(thread: LetterThread, zone: tzinfo) -> Text:
    """Every letter of the thread, oldest first: its head, its text, what it carries."""
    text = Text()
    for letter in thread.letters:
        if text:
            text.append("\n\n")
        _append_letter(text, letter, zone)
    return text


def _append_letter(text: Text, letter: LetterView, zone: tzinfo) -> None:
    incoming = letter.direction == "in"
    sender = f"{letter.from_name} <{letter.from_address}>" if letter.from_name else ""
    heads = (
        (_("From"), shown(sender or letter.from_address)),
        (_("To"), shown(letter.to)),
        (_("Date"), local_time(letter.at, zone)),
        (_("Subject"), shown(letter.subject)),
    )
    style = "bold cyan" if incoming else "bold green"
    for label, value in heads:
        text.append(f"{label}: ", style="dim")
        text.append(value + "\n", style=style if label == _("From") else "")
    if not incoming:
        _append_sending(text, letter)
    if letter.auto_kind:
        text.append(_("(an automatic letter: {kind})").format(kind=letter.auto_kind) + "\n")
    text.append(shown(letter.text, multi_line=True))
    for attachment in letter.attachments:
        text.append("\n" + _("Attached") + ": " + attachment_line(attachment), style="dim")


def _append_sending(text: Text, letter: LetterView) -> None:
    words = _(SENDING_WORDS.get(letter.sending, SENDING_WORDS["queued"]))
    if letter.sending == "failed":
        words += ": " + shown(letter.last_error) + " · " + _("Ctrl+R sends it again")
    elif letter.attempts > 1 and letter.sending != "sent":
        words += " · " + _("attempt {n}").format(n=letter.attempts)
    text.append(_("Our reply") + ": ", style="dim")
    text.append(words + "\n", style=SENDING_STYLES.get(letter.sending, ""))


def attachment_line(attachment: AttachmentView) -> str:
    kind, size = shown(attachment.content_type), file_size(attachment.size)
    return f"{shown(attachment.filename)} ({kind}, {size})"


def attachment_row(attachment: AttachmentView) -> list[Text | str]:
    return [
        Text(shown(attachment.filename)),
        Text(shown(attachment.content_type)),
        file_size(attachment.size),
    ]


def attachments_of(thread: LetterThread) -> tuple[AttachmentView, ...]:
    return tuple(a for letter in thread.letters for a in letter.attachments)


def failed_replies(thread: LetterThread | None) -> int:
    if thread is None:
        return 0
    return sum(1 for letter in thread.letters if letter.sending == "failed")
