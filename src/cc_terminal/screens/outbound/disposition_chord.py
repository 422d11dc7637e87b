"""Closing a lead in one chord: the outcome's digit, then the refusal reason's digit when it
is a refusal, then the next step (a callback time as typed, or Enter for none). A chord
that needs nothing more saves at once: Ctrl+E, 1 stores a success."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from textual import on
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from cc_terminal import limits
from cc_terminal.data.codes import RefusalReason
from cc_terminal.i18n import N_, _
from cc_terminal.models.reference import ListKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.services.common.views import Actor, Choice
from cc_terminal.services.outbound.callback_time import CallbackTimeError
from cc_terminal.services.outbound.callback_window import moved_note, place_callback
from cc_terminal.services.outbound.calling_rules import CallingHours
from cc_terminal.services.outbound.campaigns import DispositionView
from cc_terminal.services.outbound.views import Closed, Closing
from cc_terminal.widgets.form_field import FieldName, FormField, form_field
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.safe_text import plain

CALLBACK_HINT = N_("+2h, +3d, zítra 10:00, po 9, 12.12. 10:00 — Enter alone: none")


class ChordField(FieldName):
    DISPOSITION = "disposition"
    REFUSAL_REASON = "refusal_reason"
    REFUSAL_NOTE = "refusal_note"
    CALLBACK = "callback"


class DispositionChord(FormScreen[OutboundServices, Closed]):
    AREA = N_("Close the lead")
    FORM_ID = "disposition-chord"
    BINDINGS = [
        *(Binding(str(n), f"digit({n})", N_("Pick"), show=False) for n in range(1, 10)),
        Binding("ctrl+s", "save", N_("Save"), id="chord.save"),
        Binding("escape", "cancel", N_("Back to the call"), id="chord.cancel"),
    ]

    def __init__(
        self,
        dispositions: tuple[DispositionView, ...],
        closing: Callable[[], Closing],
        hours: CallingHours | None = None,
    ) -> None:
        super().__init__()
        self.dispositions = dispositions
        self.hours = hours  # the lead's calling window: a callback outside it is moved
        self.closing = closing  # the call's notes and answers, read when saving
        self.chosen: DispositionView | None = None
        self.reason: Choice | None = None

    def compose_fields(self) -> Iterable[Widget]:
        reasons = self.workstation.lists.active(ListKind.REFUSAL_REASON)
        self.reasons = reasons[:9]
        yield FormField(
            _("How did it end? Press its digit"),
            OptionList(
                *(Option(plain(f"{d.key}  {_(d.label)}"), id=d.code) for d in self.dispositions),
                id="chord-dispositions",
            ),
            name=ChordField.DISPOSITION,
        )
        yield FormField(
            _("Why did they refuse? Press its digit"),
            OptionList(
                *(
                    Option(plain(f"{n}  {_(r.label)}"), id=r.code)
                    for n, r in enumerate(self.reasons, start=1)
                ),
                id="chord-reasons",
            ),
            name=ChordField.REFUSAL_REASON,
        )
        yield FormField(
            _("In their words (needed for Other)"),
            FormInput(id="chord-note", max_length=limits.SHORT_NOTE, enter_moves_focus=True),
            name=ChordField.REFUSAL_NOTE,
        )
        yield FormField(
            _("Call back when? {hint}").format(hint=_(CALLBACK_HINT)),
            FormInput(id="chord-callback", max_length=40),
            name=ChordField.CALLBACK,
        )
        yield Static("", id="chord-callback-note", classes="hint")
        yield Checkbox(_("A callback for me only"), True, id="chord-personal")
        yield Static(id="chord-summary", classes="hint")

    def on_mount(self) -> None:
        self.show_step("disposition")

    def show_step(self, step: str) -> None:
        self.step = step
        refusal = step in ("reason", "note") or (step == "next" and self.reason is not None)
        form_field(self, ChordField.REFUSAL_REASON).display = refusal
        form_field(self, ChordField.REFUSAL_NOTE).display = step == "note" or (
            self.reason is not None and self.reason.code == RefusalReason.OTHER
        )
        callback = form_field(self, ChordField.CALLBACK)
        for widget in (
            callback,
            self.query_one("#chord-callback-note"),
            self.query_one("#chord-personal"),
        ):
            widget.display = step == "next"
        focus = {
            "disposition": "#chord-dispositions",
            "reason": "#chord-reasons",
            "note": "#chord-note",
            "next": "#chord-callback",
        }[step]
        self.set_focus(self.query_one(focus))
        self.query_one("#chord-summary", Static).update(plain(self.summary(), multi_line=True))

    def summary(self) -> str:
        parts = [_(self.chosen.label) if self.chosen else _("Choose the outcome.")]
        if self.reason is not None:
            parts.append(_(self.reason.label))
        return " → ".join(parts)

    def action_digit(self, number: int) -> None:
        if self.step == "disposition":
            found = next((d for d in self.dispositions if d.key == str(number)), None)
            if found is not None:
                self.pick_disposition(found)
        elif self.step == "reason" and number <= len(self.reasons):
            self.pick_reason(self.reasons[number - 1])

    @on(OptionList.OptionSelected, "#chord-dispositions")
    def disposition_selected(self, event: OptionList.OptionSelected) -> None:
        found = next((d for d in self.dispositions if d.code == event.option.id), None)
        if found is not None:
            self.pick_disposition(found)

    @on(OptionList.OptionSelected, "#chord-reasons")
    def reason_selected(self, event: OptionList.OptionSelected) -> None:
        found = next((r for r in self.reasons if r.code == event.option.id), None)
        if found is not None:
            self.pick_reason(found)

    def pick_disposition(self, disposition: DispositionView) -> None:
        self.chosen, self.reason = disposition, None
        if disposition.refusal:
            self.show_step("reason")
        else:
            self.after_reason()

    def pick_reason(self, reason: Choice) -> None:
        self.reason = reason
        if reason.code == RefusalReason.OTHER:
            self.show_step("note")
        else:
            self.after_reason()

    def after_reason(self) -> None:
        assert self.chosen is not None
        if self.chosen.final:
            self.action_save()  # nothing more to ask
        else:
            self.show_step("next")

    @on(Input.Submitted, "#chord-note")
    def note_done(self) -> None:
        self.after_reason()

    @on(Input.Changed, "#chord-callback")
    def callback_typed(self, event: Input.Changed) -> None:
        """Say at once when the typed time is outside the calling hours, and where it goes."""
        if self.hours is None:
            return
        now, zone = self.workstation.clock(), self.workstation.settings.timezone
        try:
            note = moved_note(place_callback(event.value, now, zone, self.hours), now, zone)
        except CallbackTimeError:
            note = ""  # said next to the field when saving
        self.query_one("#chord-callback-note", Static).update(plain(note, multi_line=True))

    @on(Input.Submitted, "#chord-callback")
    def callback_done(self) -> None:
        self.action_save()

    def collect(self) -> Closing:
        base = self.closing()
        return replace(
            base,
            disposition=self.chosen.code if self.chosen else "",
            refusal_reason=self.reason.code if self.reason else "",
            refusal_note=self.query_one("#chord-note", Input).value,
            callback=self.query_one("#chord-callback", Input).value,
            callback_personal=self.query_one("#chord-personal", Checkbox).value,
        )

    def store(self, services: OutboundServices, actor: Actor, values: Closing) -> Closed:
        return services.outbound.close(actor, values)
