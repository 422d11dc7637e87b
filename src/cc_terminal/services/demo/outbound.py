"""The demo floor's outbound work: a sales campaign with hot leads (our customers) and cold
ones (a bought list, half of them with a recorded consent), a survey for the pool, a morning
of calls already made (one callback now due), and a re-offer campaign for the cheapest tariff
built from the refusals of dearer ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from faker import Faker
from sqlalchemy import select
from sqlmodel import col

from cc_terminal.data.codes import DispositionCode, RefusalReason
from cc_terminal.i18n import N_, _, pgettext
from cc_terminal.models import Customer, CustomerPhone, QuestionKind, customer_column
from cc_terminal.models.base import new_id
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import is_rest_day
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.lead_import import LeadDraft, LeadImportService
from cc_terminal.services.outbound.outbound import OutboundService
from cc_terminal.services.outbound.surveys import QuestionView
from cc_terminal.services.outbound.views import Closing
from cc_terminal.services.workstation import Workstation

SALES = "zimni-tarify"
SURVEY = "spokojenost"
# The scripts, names and questions are translated when the demo is built, into the
# language it is built in.
SALES_SCRIPT = N_(
    "Good day, {name}, this is {operator} from Telco. I am calling about the {product} "
    "tariff at {price} a month. [Last time we talked about {last_offer} ({last_refusal}). ]"
    "May I activate it for you today?"
)
SURVEY_SCRIPT = N_(
    "Good day, {first_name}, this is {operator} from Telco. Do you have two minutes for "
    "three questions about our services?"
)
# The morning's closings for the first operator: (disposition, refusal reason, callback).
MORNING = (
    (DispositionCode.CALL_BACK, "", "+2h"),
    (DispositionCode.NOT_INTERESTED, RefusalReason.TOO_EXPENSIVE, ""),
    (DispositionCode.NO_ANSWER, "", ""),
    (DispositionCode.SALE, "", ""),
    (DispositionCode.BUSY, "", ""),
)


def build_outbound(
    ws: Workstation,
    lead: Actor,
    operators: list[Actor],
    fake: Faker,
    phone: Callable[[], str],
) -> None:
    """Campaigns, leads, a worked morning and a re-offer on a demo floor with customers."""
    morning = _last_working_morning(ws.settings.timezone, ws.calls.clock())
    imported = LeadImportService(
        ws.db, ws.settings.default_region, stopped_clock(morning - timedelta(days=1))
    )
    _campaigns(ws, lead)
    callers = operators[:2]
    names = tuple(actor.username for actor in callers)
    known = _known_people(ws, 100)
    imported.add_leads(lead, SALES, _("customers-2025"), "hot", known[:40], assign_to=names)
    imported.add_leads(
        lead, SALES, _("bought-list"), "cold", _bought(fake, phone, 30), assign_to=names
    )
    imported.add_leads(lead, SURVEY, _("satisfaction-pool"), "warm", known[40:])
    _work_the_morning(ws, callers[0], morning)
    ws.reoffers.publish(lead, "MOB-S")


def _campaigns(ws: Workstation, lead: Actor) -> None:
    ws.campaigns.create(
        lead,
        CampaignDraft(
            SALES, _("Winter tariffs"), "sales", _(SALES_SCRIPT), "MOB-M", max_attempts=4
        ),
    )
    survey = CampaignDraft(SURVEY, _("Satisfaction"), "survey", _(SURVEY_SCRIPT))
    ws.campaigns.create(lead, survey)
    # The answers' codes are words the operator picks from: a code per language.
    habit = pgettext("survey answer code", "habit")
    reason = QuestionView(
        "duvod",
        _("Why are you with us? (price, coverage, habit)"),
        QuestionKind.CHOICE,
        True,
        (
            pgettext("survey answer code", "price"),
            pgettext("survey answer code", "coverage"),
            habit,
        ),
    )
    for question in (
        reason,
        QuestionView("tarif", _("Which tariff would you like?"), QuestionKind.TEXT, False),
        QuestionView(
            "spokojenost", _("How satisfied are you, 1-5?"), QuestionKind.SCALE, True, (), 1, 5
        ),
    ):
        ws.surveys.save_question(lead, SURVEY, question)
    ws.surveys.save_question(lead, SURVEY, replace(reason, skip_to={habit: "spokojenost"}))


def _known_people(ws: Workstation, count: int) -> list[LeadDraft]:
    """Customers we already have, as a list of ours would name them (hot: no consent needed)."""
    with ws.db.read() as session:
        rows = session.execute(
            select(col(CustomerPhone.e164), col(Customer.full_name), customer_column("city"))
            .join(Customer, col(Customer.id) == col(CustomerPhone.customer_id))
            .order_by(col(Customer.full_name))
            .limit(count)
        ).all()
    return [
        LeadDraft(phone, name, {"city": city}, line=n + 2)
        for n, (phone, name, city) in enumerate(rows)
    ]


def _bought(fake: Faker, phone: Callable[[], str], count: int) -> list[LeadDraft]:
    """A bought list of strangers: half consented to marketing calls, half cannot be called."""
    return [
        LeadDraft(
            phone(),
            f"{fake.first_name()} {fake.last_name()}",
            {"city": fake.city()},
            consent=index % 2 == 0,
            line=index + 2,
        )
        for index in range(count)
    ]


def _work_the_morning(ws: Workstation, operator: Actor, morning: datetime) -> None:
    """A few calls at 10:00 of the last working day: an attempt history, refusals, a sale,
    and a callback promised for noon, due by now."""
    outbound = OutboundService(ws.db, stopped_clock(morning), ws.settings.timezone)
    for disposition, reason, callback in MORNING:
        lead_id = outbound.claim_next(operator)
        if lead_id is None:
            return
        outbound.close(
            operator,
            Closing(
                lead_id,
                new_id(),
                morning - timedelta(minutes=3),
                disposition,
                refusal_reason=reason,
                callback=callback,
            ),
        )


def _last_working_morning(timezone: str, now: datetime) -> datetime:
    """10:00 local time on the last day before today that is not a Sunday or a holiday."""
    zone = ZoneInfo(timezone)
    day = now.astimezone(zone).date() - timedelta(days=1)
    while is_rest_day(day) or day.weekday() == 5:
        day -= timedelta(days=1)
    return datetime.combine(day, time(10), zone)


def stopped_clock(moment: datetime) -> Callable[[], datetime]:
    """A clock stopped at ``moment``: the services stamp demo history in the past."""
    return lambda: moment
