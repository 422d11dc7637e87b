"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from cc_terminal.models.audit import AuditEvent
from cc_terminal.models.call import Call, Channel, Direction
from cc_terminal.models.catalog import Product, ProductKind
from cc_terminal.models.customer import Customer, CustomerPhone
from cc_terminal.models.operator import Operator, Role
from cc_terminal.models.outbox import OutboxOp

__all__ = [
    "AuditEvent",
    "Call",
    "Channel",
    "Customer",
    "CustomerPhone",
    "Direction",
    "Operator",
    "OutboxOp",
    "Product",
    "ProductKind",
    "Role",
]
