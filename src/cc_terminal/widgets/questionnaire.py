"""A campaign's questions, each with its own field: a list to choose from (choice, yes/no,
scale) or a typed answer (number, text). Required ones are marked; a skip is shown beside
the answer that makes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Select

from cc_terminal.i18n import N_, _
from cc_terminal.models import QuestionKind
from cc_terminal.services.outbound.surveys import YES, QuestionView
from cc_terminal.widgets.form_field import FormField
from cc_terminal.widgets.form_input import FormInput
from cc_terminal.widgets.plain_widgets import PlainSelect
from cc_terminal.widgets.words import label as word

ANSWER_LABELS = {YES: N_("yes"), "no": N_("no")}


class Questionnaire(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    Questionnaire { height: auto; max-height: 12; display: none; }
    Questionnaire.-asking { display: block; }
    Questionnaire FormField { height: auto; }
    """

    questions: reactive[tuple[QuestionView, ...]] = reactive((), recompose=True)

    def compose(self) -> ComposeResult:
        for number, question in enumerate(self.questions, start=1):
            mark = " *" if question.required else ""
            label = f"{number}. {question.text}{mark}"
            yield FormField(
                label,
                self._field(question),
                name=f"answer:{question.code}",  # as the service names its errors
            )

    def watch_questions(self, questions: tuple[QuestionView, ...]) -> None:
        self.set_class(bool(questions), "-asking")

    def _field(self, question: QuestionView) -> Select[str] | Input:
        field_id = f"answer-{question.code}"
        if question.kind in (QuestionKind.TEXT, QuestionKind.NUMBER):
            return FormInput(id=field_id, max_length=500, enter_moves_focus=True)
        options = []
        for option in question.options():
            skip = question.skip_to.get(option)
            label = word(ANSWER_LABELS, option)
            options.append((f"{label}  → {skip}" if skip else label, option))
        return PlainSelect(options, prompt=_("Choose"), id=field_id)

    def answers(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for question in self.questions:
            widget = self.query_one(f"#answer-{question.code}")
            if isinstance(widget, Select):
                found[question.code] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                found[question.code] = widget.value
        return found

    def focus_first(self) -> None:
        if self.questions:
            self.screen.set_focus(self.query_one(f"#answer-{self.questions[0].code}"))
