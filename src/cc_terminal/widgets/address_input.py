"""An exact address from the register, typed as the caller says it: the town, then the street
(fuzzy and diacritics-blind; a village without streets takes its part), then the house
number, popisné or orientační. Up and Down move through the suggestions, Enter takes one.
An address the register does not know (a new building) is kept as typed when a reason is
given."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from cc_terminal.i18n import N_, _, ngettext
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.orders.addresses import Address, AddressBook, Street, Town
from cc_terminal.services.orders.values import ChosenAddress
from cc_terminal.widgets.form_field import FormField, form_field
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.in_place_text import InPlaceText
from cc_terminal.widgets.safe_text import plain
from cc_terminal.widgets.worker_failures import ReportsWorkerFailures

STAGES = ("town", "street", "number")


@dataclass
class _Picked:
    town: Town | None = None
    street: Street | None = None
    point: Address | None = None


class AddressInput(ReportsWorkerFailures, Vertical):
    """Three inputs and one suggestion list; ``chosen`` is the settled address or None."""

    DEFAULT_CSS = """
    AddressInput { height: auto; }
    AddressInput > Horizontal { height: auto; }
    AddressInput .address-part { width: 1fr; }
    AddressInput .address-number { width: 22; }
    AddressInput OptionList { height: auto; max-height: 6; display: none; }
    AddressInput OptionList.-shown { display: block; }
    AddressInput .address-found { color: $success; height: 1; }
    """
    BINDINGS = [
        Binding("down", "suggestion(1)", N_("Next suggestion"), show=False),
        Binding("up", "suggestion(-1)", N_("Previous suggestion"), show=False),
    ]

    class Chosen(Message):
        """The address was settled (or unsettled: ``address`` is None)."""

        def __init__(self, field: AddressInput, address: ChosenAddress | None) -> None:
            super().__init__()
            self.field = field
            self.address = address

        @property
        def control(self) -> AddressInput:
            return self.field

    def __init__(
        self, label: str, book: AddressBook, *, name: str, start: ChosenAddress | None = None
    ) -> None:
        super().__init__(name=name, id=f"{name}-address")
        self.field_name = name
        self.label = label
        self.book = book
        self.picked = _Picked()
        self.start = start
        # What this widget put in each input: its Changed message arrives later and is no edit.
        self._put: dict[str, str] = {}
        self.number_problem = ""
        self._options: list[Town | Street | Address] = []
        # The house number goes with its street: typed after which edit of the street.
        self._street_edits = 0
        self._number_edit = 0

    def compose(self) -> ComposeResult:
        name = self.field_name
        parts = (
            (self.label + " · " + _("town"), "town", "", name),
            (_("street or village part"), "street", "", f"{name}-street"),
            (_("house number"), "number", "9, 10a, 9/10a", f"{name}-number"),
        )
        with Horizontal():
            for label, part, placeholder, field_name in parts:
                field = FormField(
                    label,
                    AddressPart(
                        self,
                        part,
                        id=f"{name}-{part}",
                        classes="address-input",
                        placeholder=placeholder,
                    ),
                    name=field_name,
                )
                field.add_class("address-number" if part == "number" else "address-part")
                yield field
        yield OptionList(id=f"{name}-suggestions")
        found = InPlaceText("", id=f"{name}-found")
        found.add_class("address-found")
        yield found
        yield FormField(
            _("Not in the register? Why (a new building, say):"),
            FormInput(id=f"{name}-override", compact=True),
            name=f"{name}-override",
        )

    def on_mount(self) -> None:
        if self.start is not None:
            self.show(self.start)

    def offer(self, address: ChosenAddress) -> bool:
        """An address found for the form (the caller's card), unless something is typed."""
        if any(self._typed(part) for part in (*STAGES, "override")):
            return False
        self.show(address)
        self.post_message(self.Chosen(self, self.chosen))
        return True

    def show(self, start: ChosenAddress) -> None:
        point = self.book.point(start.code) if start.code is not None else None
        if point is not None:
            self.picked.point = point
            values = (
                point.district or point.municipality,
                point.street or point.part,
                point.number,
            )
            self.query_one(f"#{self.field_name}-found", InPlaceText).text = "✓ " + point.text()
        else:
            values = (start.text, "", "")
            self.query_one(f"#{self.field_name}-override", Input).value = start.override_reason
        for part, value in zip(STAGES, values, strict=True):
            self._set(part, value)

    # -- what the form reads ----------------------------------------------------------

    @property
    def chosen(self) -> ChosenAddress | None:
        point = self.picked.point
        if point is not None:
            return ChosenAddress(point.code, point.text())
        reason = self._typed("override")
        typed = [self._typed(part) for part in STAGES]
        town, street, number = typed
        if not any(typed):
            return None
        text = ", ".join(part for part in (f"{street} {number}".strip(), town) if part)
        return ChosenAddress(None, text, reason)

    def _set(self, part: str, value: str) -> None:
        field = self.query_one(f"#{self.field_name}-{part}", Input)
        if field.value != value:
            self._put[field.id or ""] = value
            field.value = value

    def _typed(self, part: str) -> str:
        return self.query_one(f"#{self.field_name}-{part}", Input).value.strip()

    # -- typing -----------------------------------------------------------------------

    @on(Input.Changed, ".address-input")
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._put.pop(event.input.id or "", None) == event.value:
            return
        stage = (event.input.id or "").rsplit("-", 1)[-1]
        if stage == "town":
            self.picked = _Picked()
        elif stage == "street":
            self.picked.street = None
            self.picked.point = None
            self._street_edits += 1
        else:
            self.picked.point = None
            self._number_edit = self._street_edits
        self.number_problem = ""
        self.query_one(f"#{self.field_name}-found", InPlaceText).text = ""
        self.post_message(self.Chosen(self, None))
        if stage == "number":
            self._show([])
            return
        self.suggest(stage, event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="address-suggest")
    def suggest(self, stage: str, typed: str) -> None:
        found = self._lookup(stage, typed)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._suggested, stage, typed, found)

    def _lookup(self, stage: str, typed: str) -> list[Town | Street | Address]:
        if stage == "town":
            return list(self.book.towns(typed)) if len(typed.strip()) >= 2 else []
        if self.picked.town is not None and typed.strip():
            return list(self.book.streets(self.picked.town.code, typed))
        return []

    def _suggested(self, stage: str, typed: str, found: list[Town | Street | Address]) -> None:
        """Show what was found, unless the operator has typed on or taken one meanwhile."""
        settled = self.picked.town if stage == "town" else self.picked.street
        if settled is None and self._typed(stage) == typed.strip():
            self._show(found)

    @work(thread=True, exclusive=True, exit_on_error=False, group="address-suggest")
    def take_best(self, stage: str, typed: str) -> None:
        """Enter before the suggestions showed (a fast typist): take the best match."""
        found = self._lookup(stage, typed)
        self.app.call_from_thread(self._take_best, stage, typed, found)

    def _take_best(self, stage: str, typed: str, found: list[Town | Street | Address]) -> None:
        if self._typed(stage) != typed.strip():
            return
        if found:
            self._take(found[0], late=True)
            return
        field = self.field_name if stage == "town" else f"{self.field_name}-{stage}"
        message = _("No town like {typed}.") if stage == "town" else _("No street like {typed}.")
        form_field(self, field).error = message.format(typed=typed.strip())

    def _show(self, found: list[Town | Street | Address]) -> None:
        self._options = found
        suggestions = self.query_one(OptionList)
        suggestions.set_options([Option(plain(_label(item))) for item in found])
        suggestions.set_class(bool(found), "-shown")
        if found:
            suggestions.highlighted = 0

    def action_suggestion(self, step: int) -> None:
        suggestions = self.query_one(OptionList)
        if self._options:
            current = suggestions.highlighted or 0
            suggestions.highlighted = max(0, min(len(self._options) - 1, current + step))

    def enter(self, stage: str, value: str) -> None:
        """Enter in a part, handled in order with the keys typed after it (see AddressPart):
        the focus moves on before those keys are read, so none lands in the wrong field."""
        highlighted = self.query_one(OptionList).highlighted
        kind = {"town": Town, "street": Street, "number": Address}[stage]
        if self._options and highlighted is not None and isinstance(self._options[0], kind):
            self._take(self._options[highlighted])
        elif value.strip() and self._unsettled(stage):
            # Enter before the suggestions showed: move on now, take the best match when
            # the lookup answers (the next part's typing is kept).
            if stage == "street":
                self._drop_stale_number()
            self._next_part(stage)
            self.take_best(stage, value)
        elif stage == "number" and self.picked.street is not None:
            self.check_number(value)
        else:
            self.screen.focus_next()

    def _unsettled(self, stage: str) -> bool:
        """A town or street typed but not yet taken (its town taken, for a street)."""
        if stage == "town":
            return self.picked.town is None
        return stage == "street" and self.picked.town is not None and self.picked.street is None

    def _next_part(self, stage: str) -> None:
        following = {"town": "street", "street": "number"}[stage]
        self.screen.set_focus(self.query_one(f"#{self.field_name}-{following}"))

    @on(OptionList.OptionSelected)
    def clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(self._options[event.option_index])

    def _take(self, item: Town | Street | Address, *, late: bool = False) -> None:
        """Take a suggestion; ``late`` when the lookup answered after the operator moved on:
        what they typed in the next part stays, and its suggestions are looked up now."""
        self._show([])
        if isinstance(item, Town):
            self.picked = _Picked(town=item)
            self._set("town", item.name)
            if late and self._typed("street"):
                self.suggest("street", self._typed("street"))
                return
            self._set("street", "")
            self._set("number", "")
            self._next_part("town")
        elif isinstance(item, Street):
            self.picked.street, self.picked.point = item, None
            self._set("street", item.name)
            self._drop_stale_number()
            if late and self._typed("number"):
                return
            self._next_part("street")
        else:
            self._settle(item)

    def _drop_stale_number(self) -> None:
        """A new street: the house number typed for the one before goes (88b must not
        become 788b); one typed since the street changed stays."""
        if self._number_edit != self._street_edits:
            self._set("number", "")
            self._number_edit = self._street_edits

    @work(thread=True, exclusive=True, exit_on_error=False, group="address-number")
    def check_number(self, said: str) -> None:
        town, street = self.picked.town, self.picked.street
        if town is None or street is None:
            return
        book = self.book
        try:
            check = book.check_number(town.code, street.key, said)
        except ValidationFailed as failed:
            self.app.call_from_thread(self._number_error, failed.errors.get("number", ""))
            return
        if len(check.points) == 1 and not check.other_series:
            self.app.call_from_thread(self._settle, check.points[0])
        elif check.points:  # several, or ev. 12 for 12: the operator takes one
            self.app.call_from_thread(self._show, list(check.points))
        else:
            nearest = ", ".join(check.nearest)
            message = _("No {said} on {street}.").format(said=said.strip(), street=street.name)
            if nearest:
                message += " " + _("Nearest: {numbers}.").format(numbers=nearest)
            self.app.call_from_thread(self._number_error, message)

    def _number_error(self, message: str) -> None:
        self.number_problem = message
        self.show_number_problem()

    def show_number_problem(self) -> None:
        """The house number's own message (no such number, the nearest ones), shown again
        after the form cleared its fields' messages."""
        if self.picked.point is None:
            number = form_field(self, f"{self.field_name}-number")
            number.error = self.number_problem

    def _settle(self, point: Address) -> None:
        self.picked.point = point
        self._set("number", point.number)
        self._number_edit = self._street_edits
        self.number_problem = ""
        form_field(self, f"{self.field_name}-number").error = ""
        self.query_one(f"#{self.field_name}-found", InPlaceText).text = "✓ " + point.text()
        self._show([])
        self.post_message(self.Chosen(self, self.chosen))
        self.screen.set_focus(self.query_one(f"#{self.field_name}-override"))
        self.screen.focus_next()


class AddressPart(FormInput):
    """A part of the address (town, street, number) whose Enter is handled at once, in order
    with the keys after it, instead of through a Submitted message that arrives later."""

    def __init__(
        self, address: AddressInput, stage: str, *, id: str, classes: str, placeholder: str
    ) -> None:
        super().__init__(id=id, classes=classes, placeholder=placeholder)
        self.address = address
        self.stage = stage

    async def on_key(self, event: events.Key) -> None:
        if self.screen.focused is self and event.key == "enter":
            event.prevent_default()
            event.stop()
            self.address.enter(self.stage, self.value)
        # Any other key: FormInput's own on_key runs next (Textual calls each class's).


def _label(item: Town | Street | Address) -> str:
    if isinstance(item, Town):
        town = (
            _("{town}, {area}").format(town=item.name, area=item.area) if item.area else item.name
        )
        counted = ngettext("{town}  ({count} address)", "{town}  ({count} addresses)", item.points)
        return counted.format(town=town, count=item.points)
    if isinstance(item, Street):
        return item.name + ("  " + _("(part of the village)") if item.is_part else "")
    return item.text()
