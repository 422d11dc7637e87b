"""What a team lead sets up for the tally: pay plans, quality forms, and the scoring of a
call with a form (y, n or a per question, a note, Ctrl+S)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widget import Widget
from textual.widgets import Select, Static, TextArea

from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models.tally import PayScheme
from cc_terminal.screens.form_base import FormScreen
from cc_terminal.screens.tally.services import TallyServices
from cc_terminal.services.tally.pay import PlanTerms
from cc_terminal.services.tally.pay_plans import RATES, SCHEME_LABELS, TARGETS, PlanDraft, PlanInfo
from cc_terminal.services.tally.quality import FormView, Question, Score
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.form_select import FormSelect
from cc_terminal.widgets.plain_widgets import PlainTextArea
from cc_terminal.widgets.safe_text import plain

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

RATE_LABELS = {
    "hourly": N_("Per paid hour"),
    "per_call": N_("Per valid call"),
    "per_message": N_("Per valid message"),
    "per_chat": N_("Per chat handled"),
    "per_success": N_("Per success"),
    "sales_share": N_("Share of net sales %"),
}
TARGET_LABELS = {
    "calls_per_day": N_("Target: calls a day"),
    "successes_per_day": N_("Target: successes a day"),
    "sales_per_day": N_("Target: sales a day"),
    "aht_seconds": N_("Target: AHT at most (s)"),
    "qa": N_("Target: QA score %"),
}
ANSWER_KEYS = {"yes": "y", "no": "n", "na": "a"}
ANSWER_LABELS = {"yes": N_("yes"), "no": N_("no"), "na": N_("n/a")}


def _input(value: str, name: str, limit: int = 20, *, disabled: bool = False) -> FormInput:
    return FormInput(
        value,
        id=f"plan-{name}",
        max_length=limit,
        enter_moves_focus=True,
        compact=True,
        disabled=disabled,
    )


def _amount(value: object) -> str:
    return "" if value is None else str(value)


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{(value * 100).normalize():f}"


def _plan_head(terms: PlanTerms | None) -> list[Widget]:
    """The plan's code (fixed once made), its name and its scheme."""
    return [
        FormField(
            _("Code"),
            _input(terms.code if terms else "", "code", 40, disabled=bool(terms)),
            name="code",
        ),
        FormField(
            pgettext("item", "Name"), _input(terms.name if terms else "", "name", 120), name="name"
        ),
        FormField(
            _("Scheme"),
            FormSelect(
                [(_(label), scheme.value) for scheme, label in SCHEME_LABELS.items()],
                value=(terms.scheme if terms else PayScheme.MIX).value,
                allow_blank=False,
                id="plan-scheme",
                compact=True,
            ),
            name="scheme",
        ),
    ]


def _rate_values(terms: PlanTerms | None) -> dict[str, str]:
    return {
        "hourly": _amount(terms.hourly) if terms else "",
        "per_call": _amount(terms.per_call) if terms else "",
        "per_message": _amount(terms.per_message) if terms else "",
        "per_chat": _amount(terms.per_chat) if terms else "",
        "per_success": _amount(terms.per_success) if terms else "",
        "sales_share": _percent(terms.sales_share) if terms else "",
    }


def _more_terms(terms: PlanTerms | None) -> dict[str, tuple[str, str]]:
    """The plan's other terms by name: their labels and values (a new plan's defaults)."""
    return {
        "min_talk_seconds": (
            _("Valid call: talk ≥ (s)"),
            str(terms.min_talk_seconds) if terms else "20",
        ),
        "sales_quota": (_("Sales quota for the tier"), _amount(terms.sales_quota) if terms else ""),
        "sales_share_above": (
            _("Share above the quota %"),
            _percent(terms.sales_share_above) if terms else "",
        ),
        "qa_gate": (_("Quality gate: QA at least %"), _percent(terms.qa_gate) if terms else ""),
        "floor_hourly": (_("Hourly floor (top-up)"), _amount(terms.floor_hourly) if terms else ""),
        "hold_days": (_("Pending for (days)"), str(terms.hold_days) if terms else "14"),
    }


def _target_fields(targets: dict[str, int]) -> list[Widget]:
    """The targets, sales in currency and QA in per cent as they are typed."""
    typed = {
        "sales_per_day": _amount(targets.get("sales_per_day", 0) / 100)
        if targets.get("sales_per_day")
        else "",
        "qa": _percent(Decimal(targets["qa"]) / 10000) if targets.get("qa") else "",
    }
    return [
        FormField(
            _(TARGET_LABELS[t]),
            _input(typed.get(t, str(targets.get(t) or "")), f"target-{t}"),
            name=t,
        )
        for t in TARGETS
    ]


class PlanForm(FormScreen[TallyServices, uuid.UUID]):
    """A pay plan: the scheme decides which rates it needs; empty is not part of it."""

    FORM_ID = "plan-form"

    def __init__(self, plan: PlanInfo | None = None) -> None:
        super().__init__()
        self.plan = plan

    def title_text(self) -> str:
        return _("Pay plan: change") if self.plan else _("Pay plan: new")

    def compose_fields(self) -> Iterable[Widget]:
        terms = self.plan.terms if self.plan else None
        rates = _rate_values(terms)
        fields = [
            *_plan_head(terms),
            *(FormField(_(RATE_LABELS[r]), _input(rates[r], r), name=r) for r in RATES),
            *(
                FormField(label, _input(value, name), name=name)
                for name, (label, value) in _more_terms(terms).items()
            ),
            *_target_fields(self.plan.targets if self.plan else {}),
        ]
        yield VerticalScroll(Grid(*fields, id="plan-grid"), id="plan-scroll")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#plan-name" if self.plan else "#plan-code"))

    def collect(self) -> PlanDraft:
        def value(name: str) -> str:
            return self.query_one(f"#plan-{name}", FormInput).value

        return PlanDraft(
            code=value("code"),
            name=value("name"),
            scheme=str(self.query_one("#plan-scheme", Select).value),
            rates={rate: value(rate) for rate in RATES},
            min_talk_seconds=value("min_talk_seconds"),
            sales_quota=value("sales_quota"),
            sales_share_above=value("sales_share_above"),
            qa_gate=value("qa_gate"),
            floor_hourly=value("floor_hourly"),
            hold_days=value("hold_days"),
            targets={target: value(f"target-{target}") for target in TARGETS},
        )

    def store(self, services: TallyServices, actor: Actor, values: Any) -> uuid.UUID:
        return services.pay_plans.save(actor, values)


class QaFormEditor(FormScreen[TallyServices, uuid.UUID]):
    """A quality form: one question a line, its weight first, ! when a no fails the call."""

    FORM_ID = "qa-form-editor"

    def __init__(self, form: FormView | None = None) -> None:
        super().__init__()
        self.form = form

    def title_text(self) -> str:
        return _("Quality form: change") if self.form else _("Quality form: new")

    def compose_fields(self) -> Iterable[Widget]:
        form = self.form
        yield FormField(
            _("Code"),
            _input(form.code if form else "", "qa-code", 40, disabled=bool(form)),
            name="code",
        )
        yield FormField(
            pgettext("item", "Name"), _input(form.name if form else "", "qa-name", 120), name="name"
        )
        example = _("2 Greeted by name\n5! Verified identity\n3 Offered the right tariff")
        area = PlainTextArea(form.as_text() if form else example, id="qa-questions", soft_wrap=True)
        yield FormField(_("Questions: weight, ! if critical, the question"), area, name="questions")

    def collect(self) -> tuple[str, str, str]:
        return (
            self.query_one("#plan-qa-code", FormInput).value,
            self.query_one("#plan-qa-name", FormInput).value,
            self.query_one("#qa-questions", TextArea).text,
        )

    def store(self, services: TallyServices, actor: Actor, values: Any) -> uuid.UUID:
        code, name, questions = values
        return services.quality.save_form(actor, code, name, questions)


class ScoreForm(FormScreen[TallyServices, Score]):
    """Score one call: the highlighted question takes y, n or a; Ctrl+S stores."""

    FORM_ID = "score-form"
    AUTO_FOCUS = None  # the keys answer the questions; Tab goes to the note
    BINDINGS = [
        Binding("y", "answer('yes')", N_("Yes"), id="score.yes"),
        Binding("n", "answer('no')", N_("No"), id="score.no"),
        Binding("a", "answer('na')", N_("Not applicable"), id="score.na"),
        Binding("down,j", "move(1)", N_("Next question"), id="score.next", show=False),
        Binding("up,k", "move(-1)", N_("Previous question"), id="score.previous", show=False),
        Binding("tab", "note", N_("Note / questions"), id="score.note", priority=True),
    ]

    def __init__(self, form: FormView, call_id: uuid.UUID, about: str) -> None:
        super().__init__()
        self.form, self.call_id, self.about = form, call_id, about
        self.answers: dict[str, str] = {}
        self.position = 0

    def title_text(self) -> str:
        return _("{form}: {about}").format(form=self.form.name, about=self.about)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(plain(self._questions(), multi_line=True), id="score-questions")
        yield FormField(
            _("Note (Tab)"), FormInput("", id="score-note", max_length=500), name="note"
        )
        yield Static("", id="score-total", classes="hint")

    def on_mount(self) -> None:
        # The note takes the focus only with Tab: the letters answer the questions.
        self.query_one("#score-note").can_focus = False
        self.set_focus(None)
        self._show()

    def action_answer(self, answer: str) -> None:
        question = self.form.questions[self.position]
        self.answers[question.code] = answer
        self.position = min(self.position + 1, len(self.form.questions) - 1)
        self._show()

    def action_move(self, step: int) -> None:
        self.position = max(0, min(self.position + step, len(self.form.questions) - 1))
        self._show()

    def action_note(self) -> None:
        """Tab goes to the note and back to the questions."""
        note = self.query_one("#score-note")
        to_note = self.focused is not note
        note.can_focus = to_note
        self.set_focus(note if to_note else None)

    def _show(self) -> None:
        self.query_one("#score-questions", Static).update(plain(self._questions(), multi_line=True))
        from cc_terminal.services.tally.quality import score

        result = score(self.form.questions, self.answers)
        line = _("So far {earned} of {possible} points").format(
            earned=result.earned, possible=result.possible
        )
        if result.auto_failed:
            line += " · " + _("a critical question failed: the call scores 0")
        self.query_one("#score-total", Static).update(plain(line, multi_line=True))

    def _questions(self) -> Text:
        text = Text()
        for index, question in enumerate(self.form.questions):
            answer = self.answers.get(question.code)
            marker = "▶ " if index == self.position else "  "
            text.append(marker, style="bold")
            text.append(f"{_question_line(question)}  ")
            shown = _(ANSWER_LABELS[answer]) if answer in ANSWER_LABELS else "·"
            style = {"yes": "green", "no": "bold red", "na": "dim"}.get(answer or "", "dim")
            text.append(f"[{shown}]\n", style=style)
        text.append(_("y yes · n no · a not applicable · ↑↓ move"), style="dim")
        return text

    def collect(self) -> tuple[dict[str, str], str]:
        return dict(self.answers), self.query_one("#score-note", FormInput).value

    def store(self, services: TallyServices, actor: Actor, values: Any) -> Score:
        answers, note = values
        return services.quality.evaluate(actor, self.form.id, self.call_id, answers, note)

    def show_errors(self, errors: dict[str, str]) -> None:
        by_question = {q.code: _question_line(q) for q in self.form.questions}
        unanswered = [by_question[code] for code in errors if code in by_question]
        rest = {key: message for key, message in errors.items() if key not in by_question}
        if unanswered:
            rest["answers"] = _("Not answered: {questions}").format(questions="; ".join(unanswered))
        super().show_errors(rest)
        if rest:
            self.set_focus(None)


def _question_line(question: Question) -> str:
    critical = "!" if question.critical else ""
    return f"{question.weight}{critical} {question.text}"
