"""An escalation opened from F7: the customer (name, phones, the card's rows), the call's
reason and notes whole, the steps so far. A team lead takes it (T), adds a note (N), hands
it back to the operator with advice (H) or resolves it with an outcome (R); C shows the
customer's card with the ledger. The operator who raised it reads the answer here."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cc_terminal.formats import local_time
from cc_terminal.i18n import N_, _
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.escalation import EscalationStatus, StepKind
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.base import WorkstationAccess
from cc_terminal.screens.calls.escalation_words import outcome_label, status_word, step_line
from cc_terminal.screens.calls.services import CallsServices
from cc_terminal.services.calls.escalation_steps import WORKING
from cc_terminal.services.calls.escalations import EscalationDetail
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.views import CustomerCard
from cc_terminal.widgets.customer_card import CustomerCard as CardView
from cc_terminal.widgets.customer_card import card_rows
from cc_terminal.widgets.footer import KeyBar
from cc_terminal.widgets.safe_text import plain, shown
from cc_terminal.widgets.today_strip import clock_duration

# The keys that act on the escalation, and the statuses each works in (leads only).
LEAD_KEYS = {
    "take": frozenset({EscalationStatus.OPEN.value}),
    "note": WORKING,
    "hand_back": WORKING,
    "resolve": WORKING,
}


class EscalationDialog(WorkstationAccess[CallsServices], ModalScreen[None]):
    AREA = N_("Escalation")
    BINDINGS = [
        Binding("t", "take", N_("Take"), id="escalation.take"),
        Binding("n", "note", N_("Note"), id="escalation.note"),
        Binding("h", "hand_back", N_("Hand back"), id="escalation.hand_back"),
        Binding("r", "resolve", N_("Resolve"), id="escalation.resolve"),
        Binding("c", "card", N_("Customer card"), id="escalation.card"),
        Binding("escape", "close", N_("Close"), id="escalation.close"),
    ]

    def __init__(self, detail: EscalationDetail, card: CustomerCard | None) -> None:
        super().__init__()
        self.detail = detail
        self.card = card

    def compose(self) -> ComposeResult:
        with Vertical(id="escalation-dialog", classes="dialog"):
            yield Static(plain(self.title_text()), id="escalation-title", classes="dialog-title")
            with VerticalScroll(id="escalation-body"):
                yield Static(plain(self.customer_text(), multi_line=True), id="escalation-customer")
                yield Static(plain(self.call_text(), multi_line=True), id="escalation-call")
                yield Static(plain(self.steps_text(), multi_line=True), id="escalation-steps")
        yield KeyBar()

    def on_mount(self) -> None:
        body = self.query_one("#escalation-body", VerticalScroll)
        self.set_focus(body)
        if self.detail.steps:  # the answer first on a small screen; arrows scroll up
            self.call_after_refresh(self._show_steps)

    def _show_steps(self) -> None:
        steps = self.query_one("#escalation-steps", Static)
        self.query_one("#escalation-body", VerticalScroll).scroll_to_widget(steps, animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in LEAD_KEYS:
            return True
        actor = self.workstation.actor  # none while a sign-out or the lock leaves the screen
        if actor is None or not actor.is_lead:
            return False  # the operator who raised it only reads
        return self.detail.escalation.status in LEAD_KEYS[action]

    # -- what it shows ----------------------------------------------------------------

    def title_text(self) -> str:
        escalation = self.detail.escalation
        status = status_word(escalation.status)
        if escalation.taken_by and escalation.status != EscalationStatus.OPEN:
            status = f"{status} · {escalation.taken_by}"
        return _("Escalation: {customer} · raised by {operator} · {status}").format(
            customer=escalation.customer_name, operator=escalation.operator_name, status=status
        )

    def customer_text(self) -> Text:
        text = Text()
        name = self.card.full_name if self.card else self.detail.escalation.customer_name
        text.append(shown(name), style="bold")
        if self.card is None:
            return text
        if self.card.do_not_call:
            text.append("  " + _("DO NOT CALL"), style="bold reverse red")
        rows = card_rows(self.card)
        width = max(10, *(len(label) + 2 for label, _value in rows))
        for label, value in rows:
            text.append(f"\n{label + ':':<{width}}", style="dim")
            text.append(shown(value))
        return text

    def call_text(self) -> Text:
        escalation = self.detail.escalation
        zone = self.workstation.zone
        reason = (
            self.workstation.lists.label(ListKind.CALL_REASON, escalation.reason)
            if escalation.reason
            else "—"
        )
        text = Text()
        text.append(_("The call"), style="bold")
        line = _("raised {when}, {time} into the call · reason: {reason}").format(
            when=local_time(escalation.raised_at, zone, "%d.%m. %H:%M"),
            time=clock_duration(escalation.elapsed_seconds),
            reason=reason,
        )
        text.append("\n" + shown(line))
        text.append("\n" + _("Notes so far:") + "\n", style="dim")
        text.append(shown(escalation.notes, multi_line=True) if escalation.notes else "—")
        return text

    def steps_text(self) -> Text:
        text = Text()
        text.append(_("Steps"), style="bold")
        if not self.detail.steps:
            text.append("\n" + _("None yet: it waits for a team lead."), style="dim")
        for step in self.detail.steps:
            when = local_time(step.at, self.workstation.zone, "%d.%m. %H:%M")
            text.append(f"\n{when}  ", style="dim")
            text.append(shown(step_line(step)), style="bold" if step.kind in _ANSWERS else "")
            if step.outcome:
                text.append(" · " + shown(outcome_label(step.outcome)))
            if step.text:
                text.append("\n    " + shown(step.text, multi_line=True).replace("\n", "\n    "))
        return text

    def show_detail(self, detail: EscalationDetail) -> None:
        """Redraw in place after a step (no recompose: the focus and scroll stay)."""
        self.detail = detail
        self.query_one("#escalation-title", Static).update(plain(self.title_text()))
        self.query_one("#escalation-call", Static).update(plain(self.call_text(), multi_line=True))
        self.query_one("#escalation-steps", Static).update(
            plain(self.steps_text(), multi_line=True)
        )
        self.refresh_bindings()

    # -- acting on it -------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="escalation-act")
    def action_take(self) -> None:
        escalation_id = self.detail.escalation.id
        try:
            self.services.escalations.take(self.workstation.require_actor(), escalation_id)
            detail = self.services.escalations.detail(
                self.workstation.require_actor(), escalation_id
            )
        except ServiceError as error:
            self.app.call_from_thread(self.notify, str(error), severity="warning")
        else:
            self.app.call_from_thread(self.show_detail, detail)

    def action_note(self) -> None:
        self._step(StepKind.NOTE)

    def action_hand_back(self) -> None:
        self._step(StepKind.ADVICE)

    def action_resolve(self) -> None:
        self._step(StepKind.RESOLVED)

    def _step(self, kind: StepKind) -> None:
        from cc_terminal.screens.calls.escalation_step_form import EscalationStepForm

        def stepped(detail: EscalationDetail | None) -> None:
            if detail is not None:
                self.show_detail(detail)

        self.app.push_screen(EscalationStepForm(self.detail, kind), stepped)

    def action_card(self) -> None:
        if self.card is not None:
            self.app.push_screen(CustomerCardDialog(self.card))
            self.audit_viewed(self.card.id)

    @work(thread=True, exit_on_error=False, group="escalation-audit")
    def audit_viewed(self, customer_id: object) -> None:
        actor = self.workstation.require_actor()
        self.services.audit.record(actor, AuditKind.CUSTOMER_VIEWED, str(customer_id), "escalation")


_ANSWERS = frozenset({StepKind.ADVICE.value, StepKind.RESOLVED.value})


class CustomerCardDialog(WorkstationAccess[CallsServices], ModalScreen[None]):
    """The customer's card and ledger, as the call screen shows them; Escape goes back."""

    AREA = N_("Customer card")
    # The ledger inside takes Escape to clear its filter; here Escape always goes back.
    BINDINGS = [Binding("escape", "close", N_("Back"), id="card.close", priority=True)]

    def __init__(self, card: CustomerCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        settings = self.workstation.settings
        with Vertical(id="escalation-card", classes="dialog"):
            yield Static(plain(_("Customer card")), classes="dialog-title")
            yield CardView(
                settings.timezone,
                self.workstation.lists,
                settings.default_region,
                id="escalation-card-view",
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#escalation-card-view", CardView).card = self.card

    def action_close(self) -> None:
        self.dismiss(None)
