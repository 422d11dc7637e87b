"""Everything a terminal's front ends (TUI, CLI) need, opened from the settings."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from cc_terminal.config import Settings
from cc_terminal.models.base import utcnow
from cc_terminal.services.calls.calls import CallService
from cc_terminal.services.calls.catalog import CatalogService
from cc_terminal.services.calls.customers import CustomerService
from cc_terminal.services.calls.drafts import DraftStore
from cc_terminal.services.calls.escalations import EscalationService
from cc_terminal.services.calls.offers import OfferService
from cc_terminal.services.calls.request_due import FloorHours
from cc_terminal.services.calls.requests import RequestService
from cc_terminal.services.calls.search import CustomerSearch
from cc_terminal.services.channels.conversations import Conversations
from cc_terminal.services.common.reference import ReferenceService
from cc_terminal.services.common.views import Actor, TodayStats
from cc_terminal.services.floor.conflicts import ConflictService
from cc_terminal.services.leaving import LeaverSteps
from cc_terminal.services.orders.address_register import AddressRegister
from cc_terminal.services.orders.addresses import AddressBook
from cc_terminal.services.orders.dispatch import Dispatch
from cc_terminal.services.orders.export import OrderExport
from cc_terminal.services.orders.orders import OrderDesk
from cc_terminal.services.orders.queries import OrderBook
from cc_terminal.services.orders.setup import OrderSetup
from cc_terminal.services.outbound.campaigns import CampaignService
from cc_terminal.services.outbound.consents import ConsentService
from cc_terminal.services.outbound.export import OutboundExport
from cc_terminal.services.outbound.lead_assignment import LeadAssignment
from cc_terminal.services.outbound.lead_import import LeadImportService
from cc_terminal.services.outbound.lead_pick import ZoneCache
from cc_terminal.services.outbound.lead_staging import discard_left_behind
from cc_terminal.services.outbound.outbound import OutboundService
from cc_terminal.services.outbound.reoffers import ReofferService
from cc_terminal.services.outbound.surveys import SurveyService
from cc_terminal.services.phone.calls import PhoneCalls
from cc_terminal.services.phone.floor_board import FloorBoard
from cc_terminal.services.phone.floor_limits import FloorSettings
from cc_terminal.services.phone.presence import CallPresences
from cc_terminal.services.privacy.account_list import AccountDirectory
from cc_terminal.services.privacy.accounts import AccountAdmin
from cc_terminal.services.privacy.audit_trail import AuditTrail
from cc_terminal.services.privacy.auth import AuthService
from cc_terminal.services.privacy.erasure import DataRequests
from cc_terminal.services.privacy.own_settings import OwnSettings
from cc_terminal.services.privacy.retention import Retention
from cc_terminal.services.privacy.reveal import Privacy
from cc_terminal.services.privacy.sign_in_source import COMMAND_LINE
from cc_terminal.services.rostering.days_off import DaysOff
from cc_terminal.services.rostering.roster import RosterService
from cc_terminal.services.tally.export import TallyExport
from cc_terminal.services.tally.pay_plans import PayPlans
from cc_terminal.services.tally.quality import QualityService
from cc_terminal.services.tally.tally import TallyService
from cc_terminal.services.tally.work_sessions import WorkClock
from cc_terminal.store import schema
from cc_terminal.store.audit_chain import chain_of
from cc_terminal.store.database import Database
from cc_terminal.sync.engine import FloorSync
from cc_terminal.sync.terminal import open_floor, restore_if_missing

if TYPE_CHECKING:
    from cc_terminal.services.channels.mail import MailService


@dataclass
class Workstation:
    settings: Settings
    db: Database
    auth: AuthService
    customers: CustomerService
    calls: CallService
    catalog: CatalogService
    drafts: DraftStore
    reference: ReferenceService
    search: CustomerSearch
    requests: RequestService
    offers: OfferService
    escalations: EscalationService
    campaigns: CampaignService
    consents: ConsentService
    outbound: OutboundService
    leads: LeadImportService
    surveys: SurveyService
    reoffers: ReofferService
    exports: OutboundExport
    addresses: AddressBook
    register: AddressRegister
    dispatch: Dispatch
    orders: OrderDesk
    order_setup: OrderSetup
    order_book: OrderBook
    order_export: OrderExport
    tally: TallyService
    tally_export: TallyExport
    pay_plans: PayPlans
    quality: QualityService
    work_clock: WorkClock
    days_off: DaysOff
    roster: RosterService
    conflicts: ConflictService
    lead_assignment: LeadAssignment
    audit: AuditTrail
    privacy: Privacy
    data_requests: DataRequests
    retention: Retention
    accounts: AccountAdmin
    account_list: AccountDirectory
    own_settings: OwnSettings
    chats: Conversations
    phone: PhoneCalls
    presence: CallPresences  # calls typed on F2, for the floor board
    floor_board: FloorBoard
    floor_settings: FloorSettings  # the board's limits, set by a team lead (F10, F)
    clock: Callable[[], datetime] = utcnow
    floor: FloorSync | None = None
    floor_problem: str = ""

    @cached_property
    def mail(self) -> MailService:
        """The operator's mail, opened when first used (the letters, a chat's transcript,
        the mailboxes): its parsing, sending and sealing modules are about 4 MB that a
        terminal which never opens them does not keep. An attachment may be saved under
        the home or the data folder."""
        from cc_terminal.services.channels.mail import MailService

        roots = (Path.home(), self.settings.data_dir)
        return MailService(
            self.db,
            self.clock,
            region=self.settings.default_region,
            timezone=self.settings.timezone,
            save_roots=roots,
        )

    def today(self, actor: Actor) -> TodayStats:
        """The header's strip: today's calls, and the successes and earnings so far."""
        calls = self.calls.today(actor)
        figures = self.tally.today_figures(actor)
        pay = figures.pay
        return replace(
            calls,
            successes=figures.kpis.successes,
            earned_minor=None if pay is None else int(pay.result.total * 100),
            pending=0 if pay is None else pay.pending,
            currency="CZK" if pay is None else pay.result.currency,
        )

    def warm_reads(self) -> None:
        """Today's figures' statements compiled before anyone signs in (tally.warm_today),
        then the screen pop's (customers.warm_lookup)."""
        self.calls.today(Actor(uuid.uuid4(), "", "", "operator"))
        self.tally.warm_today()
        self.customers.warm_lookup()

    def close(self) -> None:
        self.db.dispose()


class _CallServices(TypedDict):
    customers: CustomerService
    calls: CallService
    catalog: CatalogService
    drafts: DraftStore
    reference: ReferenceService
    search: CustomerSearch
    requests: RequestService
    offers: OfferService
    escalations: EscalationService


class _OutboundServices(TypedDict):
    campaigns: CampaignService
    consents: ConsentService
    outbound: OutboundService
    leads: LeadImportService
    surveys: SurveyService
    reoffers: ReofferService
    exports: OutboundExport
    lead_assignment: LeadAssignment


class _OrderServices(TypedDict):
    addresses: AddressBook
    register: AddressRegister
    dispatch: Dispatch
    orders: OrderDesk
    order_setup: OrderSetup
    order_book: OrderBook
    order_export: OrderExport


class _StaffServices(TypedDict):
    tally: TallyService
    tally_export: TallyExport
    pay_plans: PayPlans
    quality: QualityService
    work_clock: WorkClock
    days_off: DaysOff
    roster: RosterService


class _PhoneServices(TypedDict):
    phone: PhoneCalls
    presence: CallPresences
    floor_board: FloorBoard
    floor_settings: FloorSettings


class _PrivacyServices(TypedDict):
    conflicts: ConflictService
    audit: AuditTrail
    privacy: Privacy
    data_requests: DataRequests
    retention: Retention
    accounts: AccountAdmin
    account_list: AccountDirectory
    own_settings: OwnSettings


def open_workstation(
    settings: Settings,
    *,
    migrate: bool = True,
    clock: Callable[[], datetime] = utcnow,
    channel: str = COMMAND_LINE,
) -> Workstation:
    """Open the database (migrating it when asked) and wire the services to it. A floor
    terminal without a store starts from the floor's newest snapshot."""
    restore_if_missing(settings)
    db = _open_database(settings, migrate)
    outbound = _outbound_services(db, settings, clock)
    calls = _call_services(db, settings, clock)
    calls["catalog"].on_cheaper = outbound["reoffers"].publish_all
    orders = _order_services(db, settings, clock, calls["search"])
    staff = _staff_services(db, settings, clock)
    chats = Conversations(db, clock, settings.timezone)
    staff["work_clock"].on_present = chats.present_again
    floor, floor_problem = open_floor(settings, db) if migrate else (None, "")
    make_keys = settings.storage_mode != "floor"
    auth = AuthService(db, clock, settings.terminal_name, make_keys=make_keys, channel=channel)
    return Workstation(
        settings=settings,
        db=db,
        auth=auth,
        **calls,
        **outbound,
        **orders,
        **staff,
        **_privacy_services(db, settings, clock),
        chats=chats,
        clock=clock,
        **_phone_services(db, settings, clock),
        floor=floor,
        floor_problem=floor_problem,
    )


def _phone_services(
    db: Database, settings: Settings, clock: Callable[[], datetime]
) -> _PhoneServices:
    """The phone's calls and the team lead's floor board with its limits."""
    return _PhoneServices(
        phone=PhoneCalls(db, clock, settings.default_region),
        presence=CallPresences(db, clock),
        floor_board=FloorBoard(db, clock, settings.timezone),
        floor_settings=FloorSettings(db, clock),
    )


def _open_database(settings: Settings, migrate: bool) -> Database:
    """The store, checked for the storage mode and migrated (or checked compatible)."""
    db = Database(settings.database_url)
    if db.engine.dialect.name == "postgresql":
        db.audit_chain = chain_of(settings.terminal_name)
    try:
        if settings.storage_mode == "server":
            schema.check_server(db.engine)
        if migrate:
            schema.upgrade_on_start(db.engine)
        else:
            schema.check_compatible(db.engine)
    except Exception:
        db.dispose()
        raise
    return db


def _outbound_services(
    db: Database, settings: Settings, clock: Callable[[], datetime]
) -> _OutboundServices:
    discard_left_behind(db)  # what a crash left of a staged import
    campaigns = CampaignService(db, clock)
    zones = ZoneCache()
    leads = LeadImportService(db, settings.default_region, clock, zones)
    return _OutboundServices(
        campaigns=campaigns,
        consents=ConsentService(db, settings.default_region, clock),
        outbound=OutboundService(db, clock, settings.timezone, zones),
        leads=leads,
        surveys=SurveyService(db),
        reoffers=ReofferService(db, campaigns, leads, clock),
        exports=OutboundExport(db, settings.timezone),
        lead_assignment=LeadAssignment(db),
    )


def _call_services(
    db: Database, settings: Settings, clock: Callable[[], datetime]
) -> _CallServices:
    return _CallServices(
        customers=CustomerService(db, settings.default_region),
        calls=CallService(db, settings.timezone, clock),
        catalog=CatalogService(db, clock),
        drafts=DraftStore(settings.data_dir),
        reference=ReferenceService(db),
        search=CustomerSearch(db),
        requests=RequestService(db, clock, FloorHours(settings.timezone, settings.default_region)),
        offers=OfferService(db, clock),
        escalations=EscalationService(db, clock),
    )


def _order_services(
    db: Database, settings: Settings, clock: Callable[[], datetime], search: CustomerSearch
) -> _OrderServices:
    addresses, register = AddressBook(db), AddressRegister(db)
    register.on_imported = addresses.forget
    dispatch = Dispatch(db, clock, settings.timezone)
    return _OrderServices(
        addresses=addresses,
        register=register,
        dispatch=dispatch,
        orders=OrderDesk(db, clock, settings.timezone, settings.default_region, dispatch),
        order_setup=OrderSetup(db),
        order_book=OrderBook(db, search),
        order_export=OrderExport(db, settings.timezone, settings.default_region),
    )


def _staff_services(
    db: Database, settings: Settings, clock: Callable[[], datetime]
) -> _StaffServices:
    tally = TallyService(db, settings.timezone, clock)
    return _StaffServices(
        tally=tally,
        tally_export=TallyExport(tally),
        pay_plans=PayPlans(db, clock),
        quality=QualityService(db, settings.timezone, clock),
        work_clock=WorkClock(db, clock),
        days_off=DaysOff(db, settings.timezone, clock),
        roster=RosterService(db, settings.timezone, clock),
    )


def _privacy_services(
    db: Database, settings: Settings, clock: Callable[[], datetime]
) -> _PrivacyServices:
    return _PrivacyServices(
        conflicts=ConflictService(db),
        audit=AuditTrail(db, settings.timezone, clock),
        privacy=Privacy(db, clock),
        data_requests=DataRequests(db, clock),
        retention=Retention(db, clock),
        accounts=AccountAdmin(db, clock, LeaverSteps()),
        account_list=AccountDirectory(db, clock),
        own_settings=OwnSettings(db),
    )
