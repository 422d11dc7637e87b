"""The demo floor's tally: a mix pay plan (CZK) for every operator, their work sessions on
the days they took calls, a quality form with a few calls scored, claims (some matching
the records, one with no record) and a justified complaint."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlmodel import col

from cc_terminal.data.codes import Department
from cc_terminal.i18n import N_, _
from cc_terminal.models import Call, Offer, PauseReason, WorkPause, WorkSession
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.views import Actor
from cc_terminal.services.demo.outbound import stopped_clock
from cc_terminal.services.tally.pay_plans import PlanDraft
from cc_terminal.services.tally.quality import QualityService
from cc_terminal.services.tally.tally import ClaimDraft, TallyService
from cc_terminal.services.workstation import Workstation

DEMO_PLAN = PlanDraft(
    code="MIX",
    name=N_("Mix with a quality gate"),
    scheme="mix",
    rates={
        "hourly": "140",
        "per_call": "5",
        "per_message": "2",
        "per_success": "150",
        "sales_share": "3",
    },
    min_talk_seconds="20",
    qa_gate="80",
    floor_hourly="125",
    hold_days="7",
    targets={"calls_per_day": "12", "successes_per_day": "2", "aht_seconds": "420", "qa": "85"},
)
QA_FORM = (  # (weight, the question), written in the language the demo is built in
    ("2", N_("Greeted the caller and gave their name")),
    ("5!", N_("Verified identity before account details")),
    ("3", N_("Found the real reason for the call")),
    ("3", N_("Offered the right tariff or solution")),
    ("2", N_("Summarised and closed politely")),
)


def build_tally(ws: Workstation, lead: Actor, operators: list[Actor], rng: random.Random) -> None:
    plan = ws.pay_plans.save(lead, replace(DEMO_PLAN, name=_(DEMO_PLAN.name)))
    for operator in operators:
        ws.pay_plans.assign(lead, operator.operator_id, plan)
    form = "\n".join(f"{weight} {_(question)}" for weight, question in QA_FORM)
    ws.quality.save_form(lead, "CALL", _("Call review"), form)
    zone = ZoneInfo(ws.settings.timezone)
    _sessions(ws, lead, operators, zone)
    _scores(ws, lead, operators, rng)
    _claims(ws, operators)
    ws.quality.record_complaint(
        lead,
        operators[-1].operator_id,
        "department",
        _("Routed a billing complaint to the technicians."),
        department=Department.BILLING,
    )


def _sessions(ws: Workstation, lead: Actor, operators: list[Actor], zone: ZoneInfo) -> None:
    """A shift from 8:00 to 16:30 with half an hour for lunch on each day with calls."""
    with ws.db.write(lead.operator_id) as session:
        for operator in operators:
            days = {
                started.astimezone(zone).date()
                for started in session.scalars(
                    select(col(Call.started_at)).where(
                        col(Call.operator_id) == operator.operator_id
                    )
                )
            }
            for day in sorted(days):
                start = datetime.combine(day, time(8), zone)
                shift = WorkSession(
                    operator_id=operator.operator_id,
                    started_at=start,
                    ended_at=start + timedelta(hours=8, minutes=30),
                )
                session.add(shift)
                session.flush()
                lunch = datetime.combine(day, time(12), zone)
                session.add(
                    WorkPause(
                        session_id=shift.id,
                        operator_id=operator.operator_id,
                        reason=PauseReason.LUNCH.value,
                        started_at=lunch,
                        ended_at=lunch + timedelta(minutes=30),
                    )
                )


def _scores(ws: Workstation, lead: Actor, operators: list[Actor], rng: random.Random) -> None:
    form = ws.quality.forms()[0]
    for operator in operators:
        with ws.db.read() as session:
            calls = list(
                session.scalars(
                    select(Call)
                    .where(col(Call.operator_id) == operator.operator_id)
                    .order_by(col(Call.started_at).desc())
                    .limit(20)
                )
            )
        for call in rng.sample(calls, min(3, len(calls))):
            answers = {
                q.code: rng.choice(("yes", "yes", "yes", "no", "na")) for q in form.questions
            }
            answers["q2"] = "yes" if rng.random() < 0.9 else "no"
            scored_at = stopped_clock(call.ended_at + timedelta(hours=2))
            scorer = QualityService(ws.db, ws.settings.timezone, scored_at)
            scorer.evaluate(lead, form.id, call.id, answers, "")


def _claims(ws: Workstation, operators: list[Actor]) -> None:
    """Each operator claims most of their accepted offers; the first also claims a sale
    nobody recorded, which waits for the team lead."""
    for number, operator in enumerate(operators):
        with ws.db.read() as session:
            offers = list(
                session.scalars(
                    select(Offer).where(
                        col(Offer.operator_id) == operator.operator_id, col(Offer.accepted)
                    )
                )
            )
        for offer in offers[: max(0, len(offers) - 1)]:
            at = offer.offered_at + timedelta(minutes=2)
            tally = TallyService(ws.db, ws.settings.timezone, stopped_clock(at))
            amount = f"{offer.price_minor / 100:.2f}"
            tally.add_claim(operator, ClaimDraft("sale", amount, call_id=offer.call_id))
        if number == 0:
            tally = TallyService(
                ws.db, ws.settings.timezone, stopped_clock(utcnow() - timedelta(hours=1))
            )
            tally.add_claim(operator, ClaimDraft("sale", "599", note=_("Mobil M on the phone")))
