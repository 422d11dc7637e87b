"""A small outbound floor for the tests: a sales campaign offering Mobil M, a survey
campaign with a questionnaire, and helpers to put leads in them through the services."""

from __future__ import annotations

from dataclasses import replace

from cc_terminal.models import QuestionKind
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.lead_import import LeadDraft
from cc_terminal.services.outbound.surveys import QuestionView
from cc_terminal.services.outbound.views import Closed, Closing, LeadCard
from cc_terminal.services.workstation import Workstation

SALES = "tarif-zima"
SURVEY = "pruzkum"
SCRIPT = (
    "Dobrý den, {name}, volám z Telco kvůli tarifu {product} za {price}. "
    "Minule: {last_offer}, {last_refusal}."
)


def set_up_campaigns(ws: Workstation, lead: Actor) -> None:
    ws.campaigns.create(
        lead,
        CampaignDraft(SALES, "Zimní tarify", "sales", SCRIPT, "MOB-M", max_attempts=3),
    )
    ws.campaigns.create(
        lead, CampaignDraft(SURVEY, "Spokojenost", "survey", "Dobrý den, {first_name}.")
    )
    provider = QuestionView(
        "provider",
        "Why your current provider?",
        QuestionKind.CHOICE,
        True,
        ("price", "coverage", "habit"),
    )
    for question in (
        provider,
        QuestionView("tariff", "Which tariff?", QuestionKind.TEXT, True),
        QuestionView("score", "How happy, 1-5?", QuestionKind.SCALE, True, (), 1, 5),
    ):
        ws.surveys.save_question(lead, SURVEY, question)
    # A skip points at a question that exists: "habit" skips the tariff question.
    ws.surveys.save_question(lead, SURVEY, replace(provider, skip_to={"habit": "score"}))


def add(
    ws: Workstation,
    lead: Actor,
    campaign: str,
    people: list[tuple[str, str]],
    temperature: str = "hot",
    assign_to: tuple[str, ...] = (),
    **draft: object,
):
    drafts = [
        LeadDraft(phone, name, {"city": "Praha"}, line=index + 2, **draft)  # type: ignore[arg-type]
        for index, (phone, name) in enumerate(people)
    ]
    return ws.leads.add_leads(
        lead, campaign, f"{campaign}-{temperature}", temperature, drafts, assign_to=assign_to
    )


def answered(ws: Workstation, lead: Actor, operator: Actor, answers: list[dict[str, str]]):
    """Survey calls made and closed as done with these answers, one new lead each."""
    people = [(f"+42077730{n:04d}", f"Respondent {n}") for n in range(len(answers))]
    add(ws, lead, SURVEY, people, "cold", assign_to=(operator.username,))
    for given in answers:
        card = ws.outbound.next_lead(operator)
        assert card is not None
        closing = Closing(card.lead_id, card.call_id, card.opened_at, "SALE", answers=given)
        ws.outbound.close(operator, closing)


def close(ws: Workstation, actor: Actor, card: LeadCard, disposition: str, **fields) -> Closed:
    """Close the lead of ``card`` as the operator would with the chord."""
    closing = Closing(card.lead_id, card.call_id, card.opened_at, disposition, **fields)
    return ws.outbound.close(actor, closing)
