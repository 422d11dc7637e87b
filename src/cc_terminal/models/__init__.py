"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from cc_terminal.models.account_key import AccountKey
from cc_terminal.models.address import AddressPoint, AddressStreet, AddressTown
from cc_terminal.models.audit import AuditChain, AuditCheck, AuditEvent, LocalSecret
from cc_terminal.models.call import Call, Channel, Direction
from cc_terminal.models.campaign import (
    Campaign,
    CampaignKind,
    Disposition,
    QuestionKind,
    SurveyQuestion,
)
from cc_terminal.models.catalog import Product, ProductKind
from cc_terminal.models.consent import Consent, ConsentSource, Objection
from cc_terminal.models.customer import (
    ERASED_NAME,
    ERASED_VALUES,
    Customer,
    CustomerPhone,
    ErasedPerson,
    customer_column,
)
from cc_terminal.models.dispatch import FieldTeam, VisitBooking
from cc_terminal.models.escalation import Escalation, EscalationStatus, EscalationStep, StepKind
from cc_terminal.models.lead import (
    Lead,
    LeadAttempt,
    LeadList,
    LeadStatus,
    SurveyAnswer,
    Temperature,
)
from cc_terminal.models.offer import Offer
from cc_terminal.models.operator import Operator, Role
from cc_terminal.models.order import (
    CustomerOrder,
    LoanProduct,
    OrderEvent,
    OrderField,
    OrderKind,
    OrderStatus,
)
from cc_terminal.models.outbox import OutboxOp, OutboxRun
from cc_terminal.models.reference import ListKind, ReferenceItem
from cc_terminal.models.request import RequestEvent, RequestStatus, ServiceRequest
from cc_terminal.models.retention import RetentionRule
from cc_terminal.models.roster import (
    DayOffEvent,
    DayOffRequest,
    RequestState,
    Roster,
    RosterCell,
    RosterRules,
    Shift,
    StaffingNeed,
)
from cc_terminal.models.search import CustomerTerm, SearchTerm
from cc_terminal.models.security import LoginThrottle, SecurityPolicy
from cc_terminal.models.sync import (
    AppliedOp,
    ConflictResolution,
    FieldVersion,
    SyncConflict,
    SyncIssue,
    SyncPeer,
    SyncSegment,
    SyncTerminal,
)
from cc_terminal.models.tally import (
    ComplaintSource,
    DisputeDecision,
    OperatorComplaint,
    PauseReason,
    PayLine,
    PayPeriod,
    PayPlan,
    PayScheme,
    QaEvaluation,
    QaForm,
    SuccessKind,
    TallyClaim,
    WorkPause,
    WorkSession,
)

__all__ = [
    "ERASED_NAME",
    "ERASED_VALUES",
    "AccountKey",
    "AddressPoint",
    "AddressStreet",
    "AddressTown",
    "AppliedOp",
    "AuditChain",
    "AuditCheck",
    "AuditEvent",
    "Call",
    "Campaign",
    "CampaignKind",
    "Channel",
    "ComplaintSource",
    "ConflictResolution",
    "Consent",
    "ConsentSource",
    "Customer",
    "CustomerOrder",
    "CustomerPhone",
    "CustomerTerm",
    "DayOffEvent",
    "DayOffRequest",
    "Direction",
    "Disposition",
    "DisputeDecision",
    "ErasedPerson",
    "Escalation",
    "EscalationStatus",
    "EscalationStep",
    "FieldTeam",
    "FieldVersion",
    "Lead",
    "LeadAttempt",
    "LeadList",
    "LeadStatus",
    "ListKind",
    "LoanProduct",
    "LocalSecret",
    "LoginThrottle",
    "Objection",
    "Offer",
    "Operator",
    "OperatorComplaint",
    "OrderEvent",
    "OrderField",
    "OrderKind",
    "OrderStatus",
    "OutboxOp",
    "OutboxRun",
    "PauseReason",
    "PayLine",
    "PayPeriod",
    "PayPlan",
    "PayScheme",
    "Product",
    "ProductKind",
    "QaEvaluation",
    "QaForm",
    "QuestionKind",
    "ReferenceItem",
    "RequestEvent",
    "RequestState",
    "RequestStatus",
    "RetentionRule",
    "Role",
    "Roster",
    "RosterCell",
    "RosterRules",
    "SearchTerm",
    "SecurityPolicy",
    "ServiceRequest",
    "Shift",
    "StaffingNeed",
    "StepKind",
    "SuccessKind",
    "SurveyAnswer",
    "SurveyQuestion",
    "SyncConflict",
    "SyncIssue",
    "SyncPeer",
    "SyncSegment",
    "SyncTerminal",
    "TallyClaim",
    "Temperature",
    "VisitBooking",
    "WorkPause",
    "WorkSession",
    "customer_column",
]
