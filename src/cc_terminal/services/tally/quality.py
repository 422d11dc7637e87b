"""Quality: weighted forms, team leads' evaluations of calls, and justified complaints
against an operator. Scores are weighted points earned over points possible; a
not-applicable answer leaves its weight out; a "no" to a critical question fails the
whole evaluation (0)."""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import _
from cc_terminal.models import (
    Call,
    Operator,
    OperatorComplaint,
    PayPeriod,
    QaEvaluation,
    QaForm,
)
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import NotFound, PermissionDenied
from cc_terminal.services.common.validation import FormErrors, control_character
from cc_terminal.services.common.views import Actor
from cc_terminal.services.tally.complaints import complaint_fields, complaint_request
from cc_terminal.services.tally.periods import Period
from cc_terminal.services.tally.tally import one_visible
from cc_terminal.store.database import Database

QUESTION_LINE = re.compile(r"^(\d{1,3})(!?)\s+(\S.*)$")
ANSWERS = ("yes", "no", "na")
CALLS_TO_PICK = 200


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    weight: int
    critical: bool


@dataclass(frozen=True)
class FormView:
    id: uuid.UUID
    code: str
    name: str
    questions: tuple[Question, ...]
    active: bool

    def as_text(self) -> str:
        return "\n".join(f"{q.weight}{'!' if q.critical else ''} {q.text}" for q in self.questions)


@dataclass(frozen=True)
class CallRef:
    id: uuid.UUID
    started_at: datetime
    direction: str
    reason: str
    outcome: str
    talk_seconds: int
    evaluated: bool


@dataclass(frozen=True)
class EvaluationView:
    id: uuid.UUID
    at: datetime
    call_started_at: datetime
    form_name: str
    score: float  # 0 to 1
    auto_failed: bool
    note: str
    evaluator: str
    answers: tuple[tuple[Question, str], ...]


@dataclass(frozen=True)
class Score:
    earned: int
    possible: int
    auto_failed: bool

    @property
    def ratio(self) -> float:
        return self.earned / self.possible if self.possible else 0.0


def parse_questions(text: str) -> tuple[tuple[Question, ...], dict[str, str]]:
    """One question a line: its weight, ``!`` when critical, then the question."""
    questions: list[Question] = []
    errors: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = QUESTION_LINE.match(line.strip())
        bad = control_character(line, lines=False)
        if bad is not None:
            message = _("Line {n}: a control character ({code}) cannot be stored; remove it.")
            errors.setdefault("questions", message.format(n=number, code=bad))
            continue
        if match is None:
            message = _(
                "Line {n}: a weight, ! if critical, then the question (5! Verified identity)."
            )
            errors.setdefault("questions", message.format(n=number))
            continue
        weight, critical, question = match.groups()
        if len(question) > limits.SHORT_NOTE:
            errors.setdefault("questions", _("Line {n}: too long.").format(n=number))
        questions.append(Question(f"q{len(questions) + 1}", question, int(weight), bool(critical)))
    if not questions:
        errors.setdefault("questions", _("At least one question."))
    elif sum(q.weight for q in questions) == 0:
        errors.setdefault("questions", _("The weights sum to zero: nothing could be scored."))
    return tuple(questions), errors


def score(questions: tuple[Question, ...], answers: dict[str, str]) -> Score:
    earned = possible = 0
    failed = False
    for question in questions:
        answer = answers.get(question.code, "na")
        if answer == "na":
            continue
        possible += question.weight
        if answer == "yes":
            earned += question.weight
        elif question.critical:
            failed = True
    return Score(0 if failed else earned, possible, failed)


@refusals_audited
class QualityService:
    def __init__(self, db: Database, timezone: str, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.zone = ZoneInfo(timezone)
        self.clock = clock

    # -- forms -----------------------------------------------------------------------

    def forms(self, *, active_only: bool = True) -> list[FormView]:
        query = select(QaForm).order_by(col(QaForm.code))
        if active_only:
            query = query.where(col(QaForm.active))
        with self.db.read() as session:
            return [_form_view(row) for row in session.scalars(query)]

    @config_change(AuditKind.CONFIG_QUALITY)
    def save_form(
        self, actor: Actor, code: str, name: str, questions: str, active: bool = True
    ) -> uuid.UUID:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets up quality forms."))
        form = FormErrors()
        code = form.text("code", code, limits.CODE, required=True).upper()
        name = form.text("name", name, limits.LABEL, required=True)
        parsed, errors = parse_questions(questions)
        for field, message in errors.items():
            form.add(field, message)
        with self.db.write(actor.operator_id) as session:
            form.raise_if_any()
            row = session.scalars(select(QaForm).where(col(QaForm.code) == code)).first()
            if row is None:
                row = QaForm(code=code, name=name, questions="[]", created_at=self.clock())
                session.add(row)
            else:
                row.version += 1
            row.name, row.active = name, active
            row.questions = json.dumps([q.__dict__ for q in parsed], ensure_ascii=False)
        return row.id

    # -- calls to score ------------------------------------------------------------

    def calls(self, actor: Actor, operator_id: uuid.UUID, period: Period) -> list[CallRef]:
        """The operator's calls in the period, newest first, to pick one to score."""
        self._lead_over(actor, operator_id)
        start, end = period.bounds(self.zone)
        query = (
            select(Call)
            .where(
                col(Call.operator_id) == operator_id,
                col(Call.started_at) >= start,
                col(Call.started_at) < end,
            )
            .order_by(col(Call.started_at).desc())
            .limit(CALLS_TO_PICK)
        )
        with self.db.read() as session:
            rows = list(session.scalars(query))
            scored = set(
                session.scalars(
                    select(col(QaEvaluation.call_id)).where(
                        col(QaEvaluation.call_id).in_([row.id for row in rows])
                    )
                )
            )
        return [
            CallRef(
                row.id,
                row.started_at,
                row.direction,
                row.reason,
                row.outcome,
                row.talk_seconds,
                row.id in scored,
            )
            for row in rows
        ]

    def sample(
        self, actor: Actor, operator_id: uuid.UUID, period: Period, size: int, rng: random.Random
    ) -> list[CallRef]:
        """A random sample of the calls not scored yet."""
        waiting = [call for call in self.calls(actor, operator_id, period) if not call.evaluated]
        return rng.sample(waiting, min(size, len(waiting)))

    # -- evaluations -----------------------------------------------------------------

    def evaluate(
        self,
        actor: Actor,
        form_id: uuid.UUID,
        call_id: uuid.UUID,
        answers: dict[str, str],
        note: str,
    ) -> Score:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead scores calls."))
        errors = FormErrors()
        note = errors.text("note", note, limits.SHORT_NOTE)
        with self.db.write(actor.operator_id) as session:
            form_row = session.get(QaForm, form_id)
            call = session.get(Call, call_id)
            if form_row is None or call is None:
                raise NotFound(_("No such form or call."))
            one_visible(session, actor, call.operator_id)
            result = _checked_score(errors, _form_view(form_row).questions, answers)
            if _in_closed_period(session, call.started_at.astimezone(self.zone).date()):
                message = _("The call's pay period is closed; its score cannot change.")
                errors.add("answers", message)
            errors.raise_if_any()
            session.add(
                QaEvaluation(
                    form_id=form_id,
                    call_id=call_id,
                    call_started_at=call.started_at,
                    operator_id=call.operator_id,
                    evaluator_id=actor.operator_id,
                    at=self.clock(),
                    answers=json.dumps(answers),
                    earned=result.earned,
                    possible=result.possible,
                    auto_failed=result.auto_failed,
                    note=note,
                )
            )
        return result

    def evaluations(
        self, actor: Actor, operator_id: uuid.UUID, period: Period
    ) -> list[EvaluationView]:
        """An operator's evaluations (their own, or their team's for a lead)."""
        start, end = period.bounds(self.zone)
        with self.db.read() as session:
            one_visible(session, actor, operator_id)
            query = (
                select(QaEvaluation, QaForm, col(Operator.full_name))
                .join(QaForm, col(QaForm.id) == col(QaEvaluation.form_id))
                .join(Operator, col(Operator.id) == col(QaEvaluation.evaluator_id))
                .where(
                    col(QaEvaluation.operator_id) == operator_id,
                    col(QaEvaluation.call_started_at) >= start,
                    col(QaEvaluation.call_started_at) < end,
                )
                .order_by(col(QaEvaluation.at).desc())
            )
            rows = session.execute(query).all()
        views = []
        for evaluation, form_row, evaluator in rows:
            answers = json.loads(evaluation.answers)
            questions = _form_view(form_row).questions
            views.append(
                EvaluationView(
                    id=evaluation.id,
                    at=evaluation.at,
                    call_started_at=evaluation.call_started_at,
                    form_name=form_row.name,
                    score=Score(
                        evaluation.earned, evaluation.possible, evaluation.auto_failed
                    ).ratio,
                    auto_failed=evaluation.auto_failed,
                    note=evaluation.note,
                    evaluator=evaluator,
                    answers=tuple((q, answers.get(q.code, "na")) for q in questions),
                )
            )
        return views

    # -- complaints ------------------------------------------------------------------

    def record_complaint(
        self,
        actor: Actor,
        operator_id: uuid.UUID,
        source: str,
        note: str,
        *,
        department: str = "",
        call_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """A justified complaint from a client or a department, linked to the call (and
        the request taken in it) when known."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead records complaints against an operator."))
        form = FormErrors()
        department, note = complaint_fields(form, source, department, note)
        with self.db.write(actor.operator_id) as session:
            one_visible(session, actor, operator_id)
            request_id = complaint_request(session, form, operator_id, call_id)
            form.raise_if_any()
            row = OperatorComplaint(
                operator_id=operator_id,
                at=self.clock(),
                source=source,
                department=department,
                call_id=call_id,
                request_id=request_id,
                note=note,
                recorded_by=actor.operator_id,
            )
            session.add(row)
        return row.id

    def complaint_count(self, actor: Actor, operator_id: uuid.UUID) -> int:
        with self.db.read() as session:
            one_visible(session, actor, operator_id)
            query = select(func.count()).where(col(OperatorComplaint.operator_id) == operator_id)
            return int(session.scalar(query) or 0)

    def _lead_over(self, actor: Actor, operator_id: uuid.UUID) -> None:
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead scores calls."))
        with self.db.read() as session:
            one_visible(session, actor, operator_id)


def _form_view(row: QaForm) -> FormView:
    questions = tuple(Question(**item) for item in json.loads(row.questions))
    return FormView(row.id, row.code, row.name, questions, row.active)


def _checked_score(
    errors: FormErrors, questions: tuple[Question, ...], answers: dict[str, str]
) -> Score:
    """The answers' score; an answer that is not yes, no or not applicable, or nothing to
    score at all, goes into ``errors``."""
    for question in questions:
        if answers.get(question.code) not in ANSWERS:
            errors.add(question.code, _("Answer yes, no or not applicable."))
    result = score(questions, answers)
    if not errors.errors and result.possible == 0:
        errors.add("answers", _("Every answer is not applicable: nothing to score."))
    return result


def _in_closed_period(session: Session, day: date) -> bool:
    closed = select(PayPeriod).where(col(PayPeriod.starts_on) <= day, col(PayPeriod.ends_on) >= day)
    return session.scalars(closed).first() is not None
