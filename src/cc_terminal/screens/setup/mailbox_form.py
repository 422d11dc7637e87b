"""F10, Mailboxes: one mailbox's form (the team lead's): its name and department, IMAP in
(host, port, security, user, password, folder), SMTP out, the From of our replies, the
acknowledgement and the day's limit of automatic mails to one address. A password is typed
masked and never shown back: "stored" says one is kept, empty keeps it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

from textual.widget import Widget
from textual.widgets import Checkbox, Select

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.setup.services import SetupServices
from cc_terminal.services.channels.mail_views import MailboxForm, MailboxView
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect

SECURITY = (("ssl", N_("TLS from the start (SSL)")), ("starttls", "STARTTLS"), ("none", N_("None")))
TEXT_FIELDS = (
    ("name", N_("Name of the mailbox")),
    ("imap_host", N_("IMAP server")),
    ("imap_port", N_("IMAP port")),
    ("imap_user", N_("IMAP user")),
    ("imap_password", N_("IMAP password")),
    ("imap_folder", N_("Folder")),
    ("smtp_host", N_("SMTP server")),
    ("smtp_port", N_("SMTP port")),
    ("smtp_user", N_("SMTP user")),
    ("smtp_password", N_("SMTP password")),
    ("from_address", N_("From: the address our replies come from")),
    ("from_name", N_("From: the name")),
    ("auto_replies_per_day", N_("Automatic mails to one address a day, at most")),
)
SELECTS = {"imap_security": "imap_port", "smtp_security": "smtp_port"}  # each after its port
CHECKS = (
    ("acknowledge", N_("Acknowledge each new letter with its reference")),
    ("active", N_("In use (fetched and sent)")),
)
PASSWORDS = ("imap_password", "smtp_password")


def form_of(view: MailboxView | None) -> MailboxForm:
    """The form's first values: a new mailbox's defaults, or the mailbox as stored (its
    passwords never: empty keeps them)."""
    if view is None:
        return MailboxForm(name="")
    values = {f.name: getattr(view, f.name) for f in fields(MailboxForm) if hasattr(view, f.name)}
    values |= {"imap_port": str(view.imap_port), "smtp_port": str(view.smtp_port)}
    values["auto_replies_per_day"] = str(view.auto_replies_per_day)
    return MailboxForm(**values)


class MailboxEditor(FormScreen[SetupServices, MailboxView]):
    FORM_ID = "mailbox-form"

    def __init__(self, view: MailboxView | None = None) -> None:
        super().__init__()
        self.view = view
        self.start = form_of(view)

    def title_text(self) -> str:
        if self.view is None:
            return _("Mailboxes: New mailbox")
        return _("Mailboxes: Change {name}").format(name=self.view.name)

    def compose_fields(self) -> Iterable[Widget]:
        for name, label in TEXT_FIELDS:
            yield self._text(name, _(label))
            if name == "name":
                yield self._department()
            if name in SELECTS.values():
                yield self._security(next(s for s, port in SELECTS.items() if port == name))
        for name, label in CHECKS:
            yield Checkbox(_(label), getattr(self.start, name), id=f"mailbox-{name}")

    def _text(self, name: str, label: str) -> FormField:
        password = name in PASSWORDS
        stored = password and self.view is not None and getattr(self.view, f"has_{name}")
        hint = _("stored: leave empty to keep it") if stored else ""
        field = FormInput(
            "" if password else str(getattr(self.start, name)),
            id=f"mailbox-{name}",
            password=password,
            placeholder=hint,
            max_length=limits.PASSWORD if password else limits.EMAIL,
            enter_moves_focus=True,
            compact=True,
        )
        return FormField(label, field, name=name)

    def _security(self, name: str) -> FormField:
        options = [(_(label) if label != "STARTTLS" else label, code) for code, label in SECURITY]
        select: PlainSelect[str] = PlainSelect(
            options, value=getattr(self.start, name), allow_blank=False, id=f"mailbox-{name}"
        )
        return FormField(_("Security"), select, name=name)

    def _department(self) -> FormField:
        lists = self.workstation.lists
        options = [(_("Any department"), "")]
        options += [(_(c.label), c.code) for c in lists.active(ListKind.DEPARTMENT)]
        select: PlainSelect[str] = PlainSelect(
            options, value=self.start.department, allow_blank=False, id="mailbox-department"
        )
        return FormField(_("Department its letters wait for"), select, name="department")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#mailbox-name"))

    def collect(self) -> MailboxForm:
        typed: dict[str, object] = {
            name: self.query_one(f"#mailbox-{name}", FormInput).value.strip()
            for name, _label in TEXT_FIELDS
        }
        for name in (*SELECTS, "department"):
            value = self.query_one(f"#mailbox-{name}", Select).value
            typed[name] = "" if value is Select.NULL else str(value)
        for name, _label in CHECKS:
            typed[name] = self.query_one(f"#mailbox-{name}", Checkbox).value
        for name in PASSWORDS:  # a password as typed: spaces may be part of it
            typed[name] = self.query_one(f"#mailbox-{name}", FormInput).value
        return MailboxForm(**typed, id=self.view.id if self.view else None)  # type: ignore[arg-type]

    def store(self, services: SetupServices, actor: Actor, values: MailboxForm) -> MailboxView:
        mailbox_id = services.mail.save_mailbox(actor, values)
        return next(m for m in services.mail.mailboxes(actor) if m.id == mailbox_id)
