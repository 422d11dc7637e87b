"""A commercial offer in a letter or a chat (a mixin of ChatScreen). O checks that the
contact may be offered one (its consent, or an existing customer; never after a refusal or
an objection) and asks for the consent first when there is none. In a letter the operator
then picks the product by typing and its lines go into the reply; Ctrl+S sends the letter
as an offer, which carries the way to refuse further offers (services/channels/
mail_offers.py). In a chat the knowledge base opens to record the offer and the visitor's
answer (a refusal with its reason) on the card, exactly as on a call."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal.folding import fold
from cc_terminal.formats import money
from cc_terminal.i18n import N_, _
from cc_terminal.screens.calls.knowledge import KnowledgeScreen
from cc_terminal.screens.channels.chat_widgets import MessageBox
from cc_terminal.screens.channels.services import ChannelsServices
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.outbound.consent_form import ConsentFields, ConsentForm
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.calls.offers import OfferView
from cc_terminal.services.common.views import Actor
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.safe_text import ControlPictures, plain


def product_line(item: ProductItem) -> str:
    return f"{item.code}  {item.name}  {money(item.price_minor, item.currency)}"


class ProductPicker(ModalScreen[str | None]):
    """The products on offer today: typing filters them (code or name, diacritics
    forgiven), the arrows move, Enter picks the highlighted one."""

    AREA = N_("Offer by e-mail")
    BINDINGS = [Binding("escape", "cancel", N_("Back"), id="product.cancel")]

    def __init__(self, items: Sequence[ProductItem]) -> None:
        super().__init__()
        self.items = tuple(items)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(_("Which product does the letter offer?"), classes="dialog-title")
            yield FormInput(
                placeholder=_("Type a code or a name"),
                highlighter=ControlPictures(),
                id="product-filter",
            )
            yield OptionList(id="products")
            yield Static(_("Enter puts its lines into the letter."), classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self._fill("")
        self.set_focus(self.query_one("#product-filter", Input))

    @on(Input.Changed, "#product-filter")
    def filtered(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, typed: str) -> None:
        wanted = fold(typed).split()
        found = [
            item
            for item in self.items
            if all(word in fold(f"{item.code} {item.name}") for word in wanted)
        ]
        options = self.query_one("#products", OptionList)
        options.clear_options()
        options.add_options(Option(plain(product_line(item)), id=item.code) for item in found)
        if found:
            options.highlighted = 0

    @on(Input.Submitted, "#product-filter")
    def take_highlighted(self) -> None:
        options = self.query_one("#products", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#products")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: Any) -> None:
        """Up and down move through the list while the filter keeps the focus."""
        if event.key in ("up", "down"):
            options = self.query_one("#products", OptionList)
            (options.action_cursor_up if event.key == "up" else options.action_cursor_down)()
            event.stop()

    def action_cancel(self) -> None:
        self.dismiss(None)


class MailConsentForm(ConsentFields, FormScreen[ChannelsServices, bool]):
    """The letters' sender's consent to offers by e-mail."""

    AREA = N_("Record a consent")
    FORM_ID = "consent-form"

    def __init__(self, conversation_id: uuid.UUID, why: str) -> None:
        super().__init__()
        self.conversation_id = conversation_id
        self.why = why

    def title_text(self) -> str:
        return self.why

    def store(
        self, services: ChannelsServices, actor: Actor, values: tuple[str, date, str]
    ) -> bool:
        services.chats.record_consent(actor, self.conversation_id, values)
        return True


class LetterOffers:
    """Mixed into ChatScreen: ``offer_code`` is the product the reply being written offers."""

    app: Any
    services: Any
    workstation: Any
    current: uuid.UUID | None
    seen: Any
    offer_code: str
    query_one: Any
    set_focus: Any
    notify: Any
    refresh_chats: Any
    is_letter: Any
    _problem: Any  # ChatWriting's: why not, above the message box
    tried: Any  # ChatWriting's: a service call in a worker, its refusal said

    @work(thread=True, exit_on_error=False, group="letter-offer")
    def action_offer(self) -> None:
        conversation = self.current
        if conversation is None:
            return
        actor = self.workstation.require_actor()
        chats = self.services.chats
        standing = self.tried(lambda: chats.offer_standing(actor, conversation))
        if standing is None:
            return
        if standing.allowed and self.is_letter():
            items = self.services.catalog.search("")
            self.app.call_from_thread(self._pick_product, conversation, items)
        elif standing.allowed:
            self.app.call_from_thread(self._chat_offer, conversation)
        elif standing.needs_consent:
            self.app.call_from_thread(self._ask_consent, conversation, standing.why)
        else:
            self.app.call_from_thread(self._problem, standing.why)

    def _ask_consent(self, conversation: uuid.UUID, why: str) -> None:
        """A phone number's consent as on a lead (outbound's form), an address's here."""
        detail = self.seen.detail
        if detail is None or conversation != self.current:
            return
        contact = detail.visitor_contact
        form: Any = (
            ConsentForm(contact) if contact.startswith("+") else MailConsentForm(conversation, why)
        )
        self.app.push_screen(form, self._consented(conversation))

    def _consented(self, conversation: uuid.UUID) -> Any:
        def after(saved: object) -> None:
            if saved and conversation == self.current:
                self.action_offer()

        return after

    def _chat_offer(self, conversation: uuid.UUID) -> None:
        """In a chat the operator writes the offer; the knowledge base records it and the
        visitor's answer on the card, as on a call (the chat's call is the conversation)."""
        card = self.seen.card
        if card is None or conversation != self.current:
            return
        self.app.push_screen(KnowledgeScreen(card.id, conversation), self._chat_offered)

    def _chat_offered(self, offer: OfferView | None) -> None:
        if offer is not None:
            answer = _("accepted") if offer.accepted else _("refused")
            said = _("Offer of {name} recorded: {answer}.")
            self.notify(said.format(name=offer.product_name, answer=answer))
            self.refresh_chats()

    def _pick_product(self, conversation: uuid.UUID, items: Sequence[ProductItem]) -> None:
        def chosen(code: str | None) -> None:
            if code and conversation == self.current:
                self._offer_lines(conversation, code)

        self.app.push_screen(ProductPicker(items), chosen)

    @work(thread=True, exit_on_error=False, group="letter-offer")
    def _offer_lines(self, conversation: uuid.UUID, code: str) -> None:
        actor = self.workstation.require_actor()
        mail = self.services.mail
        lines = self.tried(lambda: mail.offer_paragraph(actor, conversation, code))
        if lines is not None:
            self.app.call_from_thread(self._offer_in, conversation, code, lines)

    def _offer_in(self, conversation: uuid.UUID, code: str, lines: str) -> None:
        if conversation != self.current:
            return
        self.offer_code = code
        box = self.query_one("#chat-box", MessageBox)
        typed = box.text.rstrip()
        box.load_text(f"{typed}\n\n{lines}" if typed else lines)
        box.move_cursor(box.document.end)
        said = _("Offer of {code}: the letter will say how to refuse further offers.")
        self.query_one("#chat-problem", InPlaceText).text = plain(said.format(code=code))
        self.set_focus(box)
