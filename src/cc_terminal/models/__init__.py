"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from cc_terminal.models.audit import AuditEvent
from cc_terminal.models.call import Call, Channel, Direction
from cc_terminal.models.catalog import Product, ProductKind
from cc_terminal.models.customer import Customer, CustomerPhone
from cc_terminal.models.escalation import Escalation, EscalationStatus
from cc_terminal.models.offer import Offer
from cc_terminal.models.operator import Operator, Role
from cc_terminal.models.outbox import OutboxOp
from cc_terminal.models.reference import ListKind, ReferenceItem
from cc_terminal.models.request import RequestEvent, RequestStatus, ServiceRequest
from cc_terminal.models.search import CustomerTerm, SearchTerm

__all__ = [
    "AuditEvent",
    "Call",
    "Channel",
    "Customer",
    "CustomerPhone",
    "CustomerTerm",
    "Direction",
    "Escalation",
    "EscalationStatus",
    "ListKind",
    "Offer",
    "Operator",
    "OutboxOp",
    "Product",
    "ProductKind",
    "ReferenceItem",
    "RequestEvent",
    "RequestStatus",
    "Role",
    "SearchTerm",
    "ServiceRequest",
]
