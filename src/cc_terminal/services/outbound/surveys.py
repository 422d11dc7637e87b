"""Questionnaires: typed questions (choice, scale, number, text, yes/no), required ones, and
simple branching (an answer skips to a later question). Answers are stored per call as data
and counted per answer for the team lead."""

from __future__ import annotations

import json
import string
import uuid
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import Campaign, QuestionKind, SurveyAnswer, SurveyQuestion
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied, ValidationFailed
from cc_terminal.services.common.validation import FormErrors, control_problem
from cc_terminal.services.common.views import Actor
from cc_terminal.store.database import Database

YES, NO = "yes", "no"
CODE_CHARACTERS = set(string.ascii_lowercase + string.digits + "_")
MAX_CHOICES = 9


@dataclass(frozen=True)
class QuestionView:
    code: str
    text: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    skip_to: dict[str, str] = field(default_factory=dict)

    def options(self) -> tuple[str, ...]:
        """The answers a key can pick: the choices, yes/no, or the scale's numbers."""
        if self.kind == QuestionKind.CHOICE:
            return self.choices
        if self.kind == QuestionKind.YES_NO:
            return (YES, NO)
        if self.kind == QuestionKind.SCALE and self.low is not None and self.high is not None:
            return tuple(str(n) for n in range(self.low, self.high + 1))
        return ()


@refusals_audited
class SurveyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def questions(self, campaign_code: str) -> tuple[QuestionView, ...]:
        with self.db.read() as session:
            return questions_of(session, _campaign_id(session, campaign_code))

    @config_change(AuditKind.CONFIG_CAMPAIGNS)
    def save_question(self, actor: Actor, campaign_code: str, question: QuestionView) -> None:
        """Add a question at the end, or change the one with this code."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead writes the questionnaire."))
        with self.db.write(actor.operator_id) as session:
            campaign_id = _campaign_id(session, campaign_code)
            rows = {
                row.code: row
                for row in session.scalars(
                    select(SurveyQuestion).where(col(SurveyQuestion.campaign_id) == campaign_id)
                )
            }
            _checked(question, set(rows) | {question.code}).raise_if_any()
            row = rows.get(question.code)
            if row is None:
                row = SurveyQuestion(
                    campaign_id=campaign_id,
                    code=question.code,
                    text="",
                    kind="",
                    position=len(rows),
                )
                session.add(row)
            row.text = question.text.strip()
            row.kind = question.kind
            row.required = question.required
            row.choices = json.dumps(list(question.choices), ensure_ascii=False)
            row.low, row.high = question.low, question.high
            row.skip_to = json.dumps(question.skip_to, ensure_ascii=False)

    def counts(self, campaign_code: str, question_code: str) -> dict[str, int]:
        """How many calls gave each answer to one question, most given first."""
        with self.db.read() as session:
            campaign_id = _campaign_id(session, campaign_code)
            values = session.scalars(
                select(col(SurveyAnswer.value)).where(
                    col(SurveyAnswer.campaign_id) == campaign_id,
                    col(SurveyAnswer.question_code) == question_code,
                )
            )
            return dict(Counter(values).most_common())

    def report(self, campaign_code: str) -> list[tuple[QuestionView, dict[str, int]]]:
        """Every question of the campaign with its answers counted, most given first (an
        answer offered but never given counts 0, so the table shows every option)."""
        with self.db.read() as session:
            campaign_id = _campaign_id(session, campaign_code)
            questions = questions_of(session, campaign_id)
            given: dict[str, Counter[str]] = {q.code: Counter() for q in questions}
            rows = session.execute(
                select(col(SurveyAnswer.question_code), col(SurveyAnswer.value)).where(
                    col(SurveyAnswer.campaign_id) == campaign_id
                )
            )
            for code, value in rows:
                if code in given:
                    given[code][value] += 1
        report = []
        for question in questions:
            counts = dict.fromkeys(question.options(), 0) | dict(given[question.code])
            report.append((question, dict(sorted(counts.items(), key=lambda kv: -kv[1]))))
        return report


def questions_of(session: Session, campaign_id: uuid.UUID) -> tuple[QuestionView, ...]:
    rows = session.scalars(
        select(SurveyQuestion)
        .where(col(SurveyQuestion.campaign_id) == campaign_id, col(SurveyQuestion.active))
        .order_by(col(SurveyQuestion.position))
    )
    return tuple(
        QuestionView(
            code=row.code,
            text=row.text,
            kind=row.kind,
            required=row.required,
            choices=tuple(json.loads(row.choices)),
            low=row.low,
            high=row.high,
            skip_to=json.loads(row.skip_to),
        )
        for row in rows
    )


def path_answers(questions: tuple[QuestionView, ...], answers: dict[str, str]) -> dict[str, str]:
    """The answers on the path the branching takes, checked; a message per question code
    for a wrong one or a required one left out. Answers off the path are not kept."""
    errors: dict[str, str] = {}
    kept: dict[str, str] = {}
    position = {question.code: index for index, question in enumerate(questions)}
    index = 0
    while index < len(questions):
        question = questions[index]
        value = answers.get(question.code, "").strip()
        if not value:
            if question.required:
                errors[question.code] = _("Required: {text}").format(text=question.text)
            index += 1
            continue
        problem = _answer_problem(question, value)
        if problem:
            errors[question.code] = problem
        kept[question.code] = value
        target = question.skip_to.get(value)
        index = position[target] if target in position else index + 1
    if errors:
        raise ValidationFailed(errors)
    return kept


def _answer_problem(question: QuestionView, value: str) -> str:
    if question.kind == QuestionKind.NUMBER:
        try:
            float(value.replace(",", "."))
        except ValueError:
            return _("A number, please.")
        return ""
    if question.kind == QuestionKind.TEXT:
        if control_problem(value):
            return control_problem(value)
        return "" if len(value) <= limits.SHORT_NOTE else _("Too long.")
    if value not in question.options():
        return _("One of: {options}.").format(options=", ".join(question.options()))
    return ""


def _checked(question: QuestionView, codes: set[str]) -> FormErrors:
    form = FormErrors()
    if not question.code or not set(question.code) <= CODE_CHARACTERS:
        form.add("code", _("Small letters, digits and _."))
    form.text("text", question.text, limits.SHORT_NOTE, required=True)
    for choice in question.choices:
        if control_problem(choice, lines=False):
            form.add("choices", control_problem(choice, lines=False))
    if question.kind not in set(QuestionKind):
        form.add("kind", _("choice, scale, number, text or yes_no."))
    if question.kind == QuestionKind.CHOICE and not 2 <= len(question.choices) <= MAX_CHOICES:
        form.add("choices", _("Two to nine choices."))
    if question.kind == QuestionKind.SCALE and not (
        question.low is not None and question.high is not None and question.low < question.high
    ):
        form.add("scale", _("A scale needs its lowest and highest number."))
    wrong = [target for target in question.skip_to.values() if target not in codes]
    if wrong:
        form.add("skip_to", _("No question {code} to skip to.").format(code=wrong[0]))
    return form


def _campaign_id(session: Session, code: str) -> uuid.UUID:
    found = session.scalar(select(col(Campaign.id)).where(col(Campaign.code) == code))
    if found is None:
        raise NotFound(_("No campaign {code}.").format(code=code))
    return found
