"""The team lead's campaign forms on Setup: a campaign (kind, product, script, windows,
attempt rules) and a question of its questionnaire."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.containers import Grid
from textual.widget import Widget
from textual.widgets import Checkbox, Select, TextArea

from cc_terminal import limits
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models import CampaignKind, QuestionKind
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.outbound.services import OutboundServices
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.campaigns import (
    KIND_LABELS,
    SCRIPT_FIELDS,
    CampaignDraft,
    CampaignView,
)
from cc_terminal.services.outbound.surveys import QuestionView
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect, PlainTextArea
from cc_terminal.widgets.words import labelled

NUMBERS = (
    "max_attempts",
    "retry_minutes",
    "callback_release_minutes",
    "ring_seconds",
    "countdown_seconds",
)
QUESTION_KIND_LABELS = {
    QuestionKind.CHOICE: N_("choice"),
    QuestionKind.SCALE: N_("scale"),
    QuestionKind.NUMBER: N_("number"),
    QuestionKind.TEXT: N_("text"),
    QuestionKind.YES_NO: N_("yes or no"),
}


def _input(value: object, name: str, limit: int = 120, **options: object) -> FormInput:
    return FormInput(
        str(value), id=f"campaign-{name}", max_length=limit, enter_moves_focus=True, **options
    )


def _typed_fields() -> tuple[tuple[str, str, int], ...]:
    """The campaign's fields typed after its kind: label, name, longest value."""
    return (
        (_("Product (catalogue code)"), "product_code", 32),
        (_("Calls Mon-Fri (09:00-20:00)"), "weekday_window", 11),
        (_("Calls on Saturday (empty: none)"), "saturday_window", 11),
        (_("Attempts per lead"), "max_attempts", 3),
        (_("Minutes before trying again"), "retry_minutes", 6),
        (_("Own callback to pool after (min)"), "callback_release_minutes", 6),
        (_("Seconds a dialled lead rings"), "ring_seconds", 3),
        (_("Progressive: seconds before dialling"), "countdown_seconds", 3),
    )


class CampaignForm(FormScreen[OutboundServices, CampaignView]):
    """A new campaign, or a change to one (its code and kind stay)."""

    FORM_ID = "campaign-form"

    def __init__(self, campaign: CampaignView | None = None) -> None:
        super().__init__()
        self.campaign = campaign

    def title_text(self) -> str:
        if self.campaign is None:
            return _("New campaign")
        return _("Campaign {code}").format(code=self.campaign.code)

    def compose_fields(self) -> Iterable[Widget]:
        now = self.campaign or CampaignDraft("", "", CampaignKind.SALES)
        editing = self.campaign is not None
        kinds = labelled(KIND_LABELS)
        with Grid(id="campaign-grid"):
            yield FormField(_("Code"), _input(now.code, "code", 40, disabled=editing), name="code")
            yield FormField(pgettext("item", "Name"), _input(now.name, "name"), name="name")
            kind = PlainSelect(
                kinds, value=now.kind, allow_blank=False, id="campaign-kind", disabled=editing
            )
            yield FormField(_("Kind"), kind, name="kind")
            for label, name, longest in _typed_fields():
                yield FormField(label, _input(getattr(now, name), name, longest), name=name)
            yield Checkbox(_("In use"), now.active, id="campaign-active")
            yield Checkbox(
                _("Orders are successes"), now.order_success, id="campaign-order-success"
            )
            yield Checkbox(_("Progressive dialling"), now.progressive, id="campaign-progressive")
        fields = " ".join("{" + name + "}" for name in sorted(SCRIPT_FIELDS))
        yield FormField(
            _("Script: {fields}").format(fields=fields),
            PlainTextArea(now.script, id="campaign-script", soft_wrap=True),
            name="script",
        )

    def on_mount(self) -> None:
        first = "#campaign-name" if self.campaign else "#campaign-code"
        self.set_focus(self.query_one(first))

    def collect(self) -> CampaignDraft:
        def text(name: str) -> str:
            return self.query_one(f"#campaign-{name}", FormInput).value

        numbers, errors = {}, {}
        for name in NUMBERS:
            try:
                numbers[name] = int(text(name).strip())
            except ValueError:
                errors[name] = _("A whole number.")
        if errors:
            raise ValidationFailed(errors)
        kind = self.query_one("#campaign-kind", Select).value
        return CampaignDraft(
            code=text("code"),
            name=text("name"),
            kind=str(kind),
            script=self.query_one("#campaign-script", TextArea).text,
            product_code=text("product_code"),
            weekday_window=text("weekday_window"),
            saturday_window=text("saturday_window"),
            active=self.query_one("#campaign-active", Checkbox).value,
            order_success=self.query_one("#campaign-order-success", Checkbox).value,
            progressive=self.query_one("#campaign-progressive", Checkbox).value,
            **numbers,
        )

    def store(
        self, services: OutboundServices, actor: Actor, values: CampaignDraft
    ) -> CampaignView:
        if self.campaign is None:
            return services.campaigns.create(actor, values)
        return services.campaigns.update(actor, values, self.campaign.version)


class QuestionForm(FormScreen[OutboundServices, QuestionView]):
    """A question of a campaign's questionnaire: kind, whether it is required, its choices
    (one per line) or scale, and skips as "answer=question code", one per line."""

    FORM_ID = "question-form"

    def __init__(self, campaign: CampaignView, question: QuestionView | None = None) -> None:
        super().__init__()
        self.campaign = campaign
        self.question = question

    def title_text(self) -> str:
        return _("{campaign}: a question").format(campaign=self.campaign.name)

    def compose_fields(self) -> Iterable[Widget]:
        now = self.question or QuestionView("", "", QuestionKind.CHOICE)
        kinds = labelled(QUESTION_KIND_LABELS)
        yield FormField(_("Code"), _input(now.code, "q-code", 40), name="code")
        yield FormField(
            pgettext("survey", "Question"),
            _input(now.text, "q-text", limits.SHORT_NOTE),
            name="text",
        )
        yield FormField(
            _("Kind"),
            PlainSelect(kinds, value=now.kind, allow_blank=False, id="campaign-q-kind"),
            name="kind",
        )
        yield Checkbox(_("Required"), now.required, id="campaign-q-required")
        yield FormField(
            _("Choices, one per line (choice); or lowest and highest (scale)"),
            PlainTextArea("\n".join(now.choices), id="campaign-q-choices"),
            name="choices",
        )
        skips = "\n".join(f"{answer}={target}" for answer, target in now.skip_to.items())
        yield FormField(
            _("Skips: answer=question code, one per line"),
            PlainTextArea(skips, id="campaign-q-skips"),
            name="skip_to",
        )

    def collect(self) -> QuestionView:
        kind = str(self.query_one("#campaign-q-kind", Select).value)
        lines = [
            line.strip()
            for line in self.query_one("#campaign-q-choices", TextArea).text.splitlines()
            if line.strip()
        ]
        skips = {}
        for line in self.query_one("#campaign-q-skips", TextArea).text.splitlines():
            answer, sep, target = line.partition("=")
            if line.strip() and not sep:
                raise ValidationFailed({"skip_to": _("Write each skip as answer=question code.")})
            if sep:
                skips[answer.strip()] = target.strip()
        question = QuestionView(
            code=self.query_one("#campaign-q-code", FormInput).value.strip(),
            text=self.query_one("#campaign-q-text", FormInput).value,
            kind=kind,
            required=self.query_one("#campaign-q-required", Checkbox).value,
            skip_to=skips,
        )
        if kind == QuestionKind.SCALE:
            try:
                low, high = (int(value) for value in lines)
            except ValueError as error:
                message = _("Two whole numbers: the lowest and the highest.")
                raise ValidationFailed({"choices": message}) from error
            return replace(question, low=low, high=high)
        return replace(question, choices=tuple(lines))

    def store(self, services: OutboundServices, actor: Actor, values: QuestionView) -> QuestionView:
        services.surveys.save_question(actor, self.campaign.code, values)
        return values
