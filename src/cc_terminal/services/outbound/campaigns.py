"""Campaigns (team leads set them up): kind, script, calling window, attempt rules, the
product they offer, their disposition set and their questionnaire."""

from __future__ import annotations

import json
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.disposition_flags import FLAGS, DispositionFlags
from cc_terminal.i18n import N_, _
from cc_terminal.models import Campaign, CampaignKind, Disposition, Product
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import config_change, refusals_audited
from cc_terminal.services.common.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cc_terminal.services.common.text_files import UnreadableFile, read_text
from cc_terminal.services.common.validation import FormErrors, control_character, control_problem
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.calling_rules import WindowError, parse_window
from cc_terminal.services.outbound.scripts import SECTION
from cc_terminal.store.database import Database

CODE_CHARACTERS = set(string.ascii_lowercase + string.digits + "_-")
MAX_ATTEMPTS = 50
MAX_MINUTES = 30 * 24 * 60
MAX_COUNTDOWN = 120  # seconds before progressive mode dials
MAX_RING = 120  # seconds a dialled number may ring
SCRIPT_FILE_BYTES = 64 * 1024  # a script's characters, even in UTF-32, with room to spare
# What a script may say, filled in from the lead: {name} is the customer's full name.
SCRIPT_FIELDS = {
    "name",
    "first_name",
    "city",
    "product",
    "price",
    "last_offer",
    "last_refusal",
    "saving",
    "operator",
    "campaign",
}
KIND_LABELS = {
    CampaignKind.SALES: N_("sales"),
    CampaignKind.SURVEY: N_("survey"),
    CampaignKind.INFORMATIONAL: N_("informational"),
    CampaignKind.ORDER_CONFIRMATION: N_("order confirmation"),
}


@dataclass(frozen=True)
class CampaignDraft:
    """A campaign as the form or a file gives it."""

    code: str
    name: str
    kind: str
    script: str = ""
    product_code: str = ""
    weekday_window: str = "09:00-20:00"
    saturday_window: str = "10:00-18:00"
    max_attempts: int = 6
    retry_minutes: int = 120
    callback_release_minutes: int = 60
    active: bool = True
    order_success: bool = True  # an order taken on one of its leads counts for the tally
    progressive: bool = False  # F3 dials the next lead after the wrap-up and a countdown
    countdown_seconds: int = 5
    ring_seconds: int = 30  # unanswered this long, a dialled lead is hung up: no answer


NO_ID = uuid.UUID(int=0)


def read_script(path: Path) -> str:
    """A script file's text, read as the importers read their files (UTF-8, UTF-16 or
    UTF-32 by its mark, else Excel's code pages); what is not text is one clear refusal."""
    try:
        script = read_text(path, SCRIPT_FILE_BYTES)
    except UnreadableFile as error:
        raise ValidationFailed({"script": str(error)}) from error
    for number, line in enumerate(script.split("\n"), start=1):
        bad = control_character(line)
        if bad is not None:
            message = _("Line {n} of the script holds a control character ({code}); remove it.")
            raise ValidationFailed({"script": message.format(n=number, code=bad)})
    return script


@dataclass(frozen=True)
class CampaignView(CampaignDraft):
    id: uuid.UUID = NO_ID
    version: int = 1


@dataclass(kw_only=True)
class DispositionView(DispositionFlags):
    code: str
    label: str
    key: str
    active: bool = True

    @property
    def retries(self) -> bool:
        """Nobody was reached: the lead is tried again after the campaign's gap."""
        return not (self.final or self.callback)


def default_dispositions() -> tuple[DispositionView, ...]:
    text = resources.files("cc_terminal.data").joinpath("dispositions.json").read_text("utf-8")
    return tuple(DispositionView(**item) for item in json.loads(text))


@refusals_audited
class CampaignService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def campaigns(self, *, active_only: bool = False) -> tuple[CampaignView, ...]:
        query = select(Campaign).order_by(col(Campaign.name))
        if active_only:
            query = query.where(col(Campaign.active))
        with self.db.read() as session:
            return tuple(campaign_view(row) for row in session.scalars(query))

    def get(self, code: str) -> CampaignView:
        with self.db.read() as session:
            return campaign_view(_by_code(session, code))

    @config_change(AuditKind.CONFIG_CAMPAIGNS)
    def create(self, actor: Actor, draft: CampaignDraft) -> CampaignView:
        _require_lead(actor)
        with self.db.write(actor.operator_id) as session:
            form = _validated(session, draft)
            if session.scalar(select(col(Campaign.id)).where(col(Campaign.code) == draft.code)):
                form.add("code", _("A campaign with this code exists."))
            form.raise_if_any()
            campaign = Campaign(**_values(draft), created_at=self.clock())
            session.add(campaign)
            session.flush()
            for position, item in enumerate(default_dispositions()):
                session.add(disposition_row(campaign.id, item, position))
            return campaign_view(campaign)

    @config_change(AuditKind.CONFIG_CAMPAIGNS)
    def update(self, actor: Actor, draft: CampaignDraft, expected_version: int) -> CampaignView:
        _require_lead(actor)
        with self.db.write(actor.operator_id) as session:
            campaign = _by_code(session, draft.code)
            if campaign.version != expected_version:
                raise ConflictError(_("Someone else changed this campaign; reload and re-apply."))
            _validated(session, draft).raise_if_any()
            for name, value in _values(draft).items():
                setattr(campaign, name, value)
            campaign.version += 1
            return campaign_view(campaign)

    def dispositions(self, code: str, *, active_only: bool = True) -> tuple[DispositionView, ...]:
        with self.db.read() as session:
            return dispositions_of(session, _by_code(session, code).id, active_only=active_only)

    @config_change(AuditKind.CONFIG_CAMPAIGNS)
    def save_disposition(self, actor: Actor, code: str, item: DispositionView) -> DispositionView:
        """Add a disposition to a campaign's set or change the one with this code."""
        _require_lead(actor)
        with self.db.write(actor.operator_id) as session:
            campaign = _by_code(session, code)
            rows = {
                row.code: row
                for row in session.scalars(
                    select(Disposition).where(col(Disposition.campaign_id) == campaign.id)
                )
            }
            _check_disposition(item, rows).raise_if_any()
            row = rows.get(item.code)
            if row is None:
                row = disposition_row(campaign.id, item, len(rows))
                session.add(row)
            for name in ("label", "key", "active", *FLAGS):
                setattr(row, name, getattr(item, name))
            return _disposition_view(row)


def campaign_view(campaign: Campaign) -> CampaignView:
    names = [field.name for field in fields(CampaignView)]
    return CampaignView(**{name: getattr(campaign, name) for name in names})


def dispositions_of(
    session: Session, campaign_id: uuid.UUID, *, active_only: bool = True
) -> tuple[DispositionView, ...]:
    query = (
        select(Disposition)
        .where(col(Disposition.campaign_id) == campaign_id)
        .order_by(col(Disposition.key), col(Disposition.position))
    )
    rows = session.scalars(query)
    return tuple(_disposition_view(row) for row in rows if row.active or not active_only)


def _by_code(session: Session, code: str) -> Campaign:
    campaign = session.scalars(select(Campaign).where(col(Campaign.code) == code)).first()
    if campaign is None:
        raise NotFound(_("No campaign {code}.").format(code=code))
    return campaign


def _require_lead(actor: Actor) -> None:
    if not actor.is_lead:
        raise PermissionDenied(_("Only a team lead sets up campaigns."))


def _values(draft: CampaignDraft) -> dict[str, Any]:
    values = {field.name: getattr(draft, field.name) for field in fields(CampaignDraft)}
    values["code"] = draft.code.strip().lower()
    for name in ("name", "script", "product_code", "weekday_window", "saturday_window"):
        values[name] = str(values[name]).strip()
    return values


def _validated(session: Session, draft: CampaignDraft) -> FormErrors:
    form = FormErrors()
    code = draft.code.strip().lower()
    if not code or not set(code) <= CODE_CHARACTERS or len(code) > limits.CODE:
        form.add("code", _("1 to 40 small letters, digits, - or _."))
    form.text("name", draft.name, limits.LABEL, required=True)
    if draft.kind not in set(CampaignKind):
        form.add("kind", _("Kind must be sales, survey, informational or order_confirmation."))
    for name in ("weekday_window", "saturday_window"):
        try:
            parse_window(getattr(draft, name))
        except WindowError as error:
            form.add(name, str(error))
    _check_number(form, "max_attempts", draft.max_attempts, 1, MAX_ATTEMPTS)
    _check_number(form, "retry_minutes", draft.retry_minutes, 1, MAX_MINUTES)
    _check_number(form, "callback_release_minutes", draft.callback_release_minutes, 1, MAX_MINUTES)
    _check_number(form, "countdown_seconds", draft.countdown_seconds, 0, MAX_COUNTDOWN)
    _check_number(form, "ring_seconds", draft.ring_seconds, 3, MAX_RING)
    _check_script(form, draft.script)
    product = draft.product_code.strip()
    known = select(col(Product.id)).where(col(Product.code) == product)
    if product and session.scalar(known) is None:
        message = _("No such product in the catalogue: {code}.")
        form.add("product_code", message.format(code=product))
    if draft.kind == CampaignKind.SALES and not product:
        form.add("product_code", _("A sales campaign offers a product from the catalogue."))
    return form


def _check_number(form: FormErrors, field: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        form.add(field, _("Between {low} and {high}.").format(low=low, high=high))


def _check_script(form: FormErrors, script: str) -> None:
    bad = control_problem(script)
    if bad:
        form.add("script", bad)
        return
    if len(script) > limits.NOTES:
        form.add("script", _("Too long: at most {n} characters.").format(n=limits.NOTES))
        return
    try:
        named = {name for _text, name, _spec, _conv in string.Formatter().parse(script) if name}
    except ValueError:
        form.add("script", _("An unclosed { or }: write {{ or }} for the character itself."))
        return
    outside_sections = SECTION.sub("", script)
    if "[" in outside_sections or "]" in outside_sections:
        form.add("script", _("A [ without its ] (or one inside another): sections do not nest."))
        return
    unknown = sorted(named - SCRIPT_FIELDS)
    if unknown:
        known = ", ".join("{" + name + "}" for name in sorted(SCRIPT_FIELDS))
        form.add(
            "script",
            _("Unknown field {fields}; a script may use {known}.").format(
                fields=", ".join("{" + name + "}" for name in unknown), known=known
            ),
        )


def _check_disposition(item: DispositionView, rows: dict[str, Disposition]) -> FormErrors:
    form = FormErrors()
    if not item.code or not set(item.code.lower()) <= CODE_CHARACTERS:
        form.add("code", _("Letters, digits, - or _."))
    form.text("label", item.label, limits.LABEL, required=True)
    if not (len(item.key) == 1 and item.key.isdigit() and item.key != "0"):
        form.add("key", _("One digit, 1 to 9."))
    same_key = [row for row in rows.values() if row.active and row.key == item.key]
    clash = next((row for row in same_key if row.code != item.code), None)
    if clash is not None and item.active:
        form.add("key", _("{code} has that digit already.").format(code=clash.code))
    if item.callback and item.final:
        form.add("final", _("A callback keeps the lead open: it cannot be final."))
    if item.refusal and item.success:
        form.add("refusal", _("A refusal is not a success."))
    return form


def disposition_row(campaign_id: uuid.UUID, item: DispositionView, position: int) -> Disposition:
    return Disposition(
        campaign_id=campaign_id,
        code=item.code,
        label=item.label,
        key=item.key,
        position=position,
        active=item.active,
        **{flag: getattr(item, flag) for flag in FLAGS},
    )


def _disposition_view(row: Disposition) -> DispositionView:
    return DispositionView(
        code=row.code,
        label=row.label,
        key=row.key,
        active=row.active,
        **{flag: getattr(row, flag) for flag in FLAGS},
    )
