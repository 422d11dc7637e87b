"""Finding the caller on F2: by phone number, or by name, street, town or e-mail. One
customer found opens their call; several are picked from a list; a number nobody has
opens the new-customer form. Mixed into the incoming call screen (incoming.py)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.widgets import Input
from textual.worker import get_current_worker

from cc_terminal.i18n import _
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.phase_marks import mark
from cc_terminal.screens.base import WorkstationScreen
from cc_terminal.screens.calls.collector_pause import COLLECTOR, PAUSE_AT_MOST
from cc_terminal.screens.calls.customer_form import CustomerFormScreen
from cc_terminal.screens.calls.open_call import OpenCall
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.screens.pickers import CallerRow, CustomerPicker
from cc_terminal.services.calls.search import SearchHit, SearchStopped
from cc_terminal.services.common import phones
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import (
    CallDraftState,
    CustomerCard,
    CustomerDraft,
    PhoneLookup,
)
from cc_terminal.widgets.form_field import FieldName

if TYPE_CHECKING:
    from cc_terminal.widgets.form_field import FormField


class CallField(FieldName):
    """The incoming call screen's fields: finding the caller, then the call's own."""

    PHONE = "phone"
    REASON = "reason"
    NOTES = "notes"


# How long a lookup's worker waits for the card's frame before writing its audit events
# anyway (a screen that never refreshes: the app closing).
FRAME_WAIT_SECONDS = 1.0


class FindsCallers(WorkstationScreen[CallsServices]):
    """The find-caller field (#phone) and what its answers open."""

    call: OpenCall | None

    if TYPE_CHECKING:  # the incoming call screen's own

        def open_call(
            self,
            card: CustomerCard,
            identified_by: str = "",
            restore: CallDraftState | None = None,
        ) -> None: ...

        def field(self, name: CallField) -> FormField: ...

        def show_errors(self, errors: dict[str, str]) -> None: ...

    def on_unmount(self) -> None:
        COLLECTOR.resume()  # the app closing mid-lookup: its timer will not run

    def action_find_caller(self) -> None:
        self.set_focus(self.query_one("#phone", Input))

    @on(Input.Submitted, "#phone")
    def phone_entered(self, event: Input.Submitted) -> None:
        self.field(CallField.PHONE).error = ""
        typed = event.value.strip()
        if not typed:
            self.field(CallField.PHONE).error = _(
                "Type a phone number, or a name, street or e-mail."
            )
        elif phones.looks_like_phone(typed):
            COLLECTOR.pause()  # until the card's frame (after_frame), or PAUSE_AT_MOST
            self.set_timer(PAUSE_AT_MOST, COLLECTOR.resume)
            self.lookup(typed)
        else:
            self.search(typed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search(self, typed: str) -> None:
        worker = get_current_worker()

        def stop() -> None:
            if worker.is_cancelled:
                raise SearchStopped

        try:
            hits = self.services.search.search(typed, stop=stop)
        except SearchStopped:
            return
        except ValidationFailed as failed:
            self.app.call_from_thread(self.show_errors, {CallField.PHONE: failed.errors["search"]})
        else:
            self.app.call_from_thread(self.search_done, typed, hits)
            self.audit(AuditKind.CUSTOMER_SEARCHED, "", f"{len(hits)}")

    @on(Input.Changed, "#phone")
    def find_field_changed(self) -> None:
        """A newer keystroke drops the search still running for the older text."""
        self.workers.cancel_group(self, "search")

    def search_done(self, typed: str, hits: tuple[SearchHit, ...]) -> None:
        if typed != self.query_one("#phone", Input).value.strip():
            return  # typed over while it ran
        if not hits:
            message = _("Nobody matches “{typed}”. Try fewer words, or their phone number.")
            self.field(CallField.PHONE).error = message.format(typed=typed)
            return
        # After the next frame: the keys typed just before must be on screen first, not
        # wait behind the 30 ms of building the list.
        self.call_after_refresh(self.show_callers, typed, hits)

    def show_callers(self, typed: str, hits: tuple[SearchHit, ...]) -> None:
        if typed != self.query_one("#phone", Input).value.strip() or self.app.screen is not self:
            return
        title = _("Callers matching “{typed}”").format(typed=typed)
        rows = [CallerRow.of_hit(hit) for hit in hits]
        picker = CustomerPicker(title, rows, self.workstation.zone, self.keep_typing)
        self.app.push_screen(picker, partial(self.picked, ""))  # the card's number, then

    def keep_typing(self, char: str) -> None:
        """The operator typed on while the callers came up: the keys refine the search."""
        self.query_one("#phone", Input).insert_text_at_cursor(char)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup")
    def lookup(self, raw: str) -> None:
        try:
            mark("lookup start")
            found = self.services.customers.lookup_phone(raw)
            mark("lookup done")
        except ValidationFailed as failed:
            self.app.call_from_thread(self.show_errors, failed.errors)
        else:
            self.app.call_from_thread(self.after_frame, self.caller_found, found).wait(
                FRAME_WAIT_SECONDS
            )
            only = str(found.matches[0].id) if len(found.matches) == 1 else ""
            self.audit(AuditKind.CUSTOMER_LOOKED_UP, only, f"{len(found.matches)}")
            if only:
                self.audit(AuditKind.CUSTOMER_VIEWED, only, "call")

    def caller_found(self, found: PhoneLookup) -> None:
        """The number goes with the caller it found to their call, never kept on its own."""
        if self.call is not None:
            return  # answered after another caller's call opened: that call stays as it is
        if len(found.matches) == 1:
            self.open_call(found.matches[0], found.e164)
            # The card's frame first: the number written anew, of another width, lays out
            # the screen (Textual sizes an input's scrolling by its text), 1.4 ms.
            self.call_after_refresh(self.number_found, self.call, found.display)
            return
        self.query_one("#phone", Input).value = found.display
        if found.matches:
            title = _("Several customers have {number}").format(number=found.display)
            rows = [CallerRow.of_card(card) for card in found.matches]
            picker = CustomerPicker(title, rows, self.workstation.zone)
            self.app.push_screen(picker, partial(self.picked, found.e164))
        else:
            draft = CustomerDraft(full_name="", phones=found.display)
            form = CustomerFormScreen(draft)
            self.app.push_screen(form, partial(self.customer_created, found.e164))

    def number_found(self, call: OpenCall | None, display: str) -> None:
        """The number as the card has it (+420 601 123 456), while its call is open."""
        if call is not None and self.call is call:
            self.query_one("#phone", Input).value = display

    def picked(self, identified_by: str, customer_id: uuid.UUID | None) -> None:
        if customer_id is not None:
            self.load_card(customer_id, identified_by)

    @work(thread=True, exclusive=True, exit_on_error=False, group="lookup")
    def load_card(
        self, customer_id: uuid.UUID, identified_by: str = "", restore: CallDraftState | None = None
    ) -> None:
        card = self.services.customers.card(customer_id)
        painted = self.app.call_from_thread(
            self.after_frame, self.open_call, card, identified_by, restore
        )
        painted.wait(FRAME_WAIT_SECONDS)
        self.audit(AuditKind.CUSTOMER_VIEWED, str(customer_id), "call")

    def after_frame(self, show: Callable[..., None], *args: object) -> threading.Event:
        """On the UI thread: ``show(*args)``, and an event set once the screen has painted
        what it showed, which the worker waits for before it writes (see ``audit``); the
        collector, paused since Enter, works again from then."""
        painted = threading.Event()
        try:
            show(*args)
        finally:
            self.call_after_refresh(COLLECTOR.resume)
            self.call_after_refresh(painted.set)
        return painted

    def audit(self, kind: AuditKind, subject: str, detail: str) -> None:
        """From a worker, after the screen has painted what it asked for: the write holds
        the interpreter for milliseconds at a time, which inside the card's frame doubled
        its paint. ``after_frame`` says when the frame is done."""
        self.services.audit.record(self.workstation.require_actor(), kind, subject, detail)

    def customer_created(self, identified_by: str, card: CustomerCard | None) -> None:
        if card is None:
            self.set_focus(self.query_one("#phone", Input))
        else:
            self.open_call(card, identified_by)
