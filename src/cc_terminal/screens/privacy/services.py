"""What the audit trail and the data requests reach of the workstation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from cc_terminal.services.calls.customers import CustomerService
    from cc_terminal.services.calls.search import CustomerSearch
    from cc_terminal.services.privacy.audit_trail import AuditTrail
    from cc_terminal.services.privacy.erasure import DataRequests


class PrivacyServices(Protocol):
    audit: AuditTrail
    data_requests: DataRequests
    # A data request starts from the person: found by number or name like a caller.
    customers: CustomerService
    search: CustomerSearch
