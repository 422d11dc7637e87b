"""The kinds of audit event, by name: every writer and every reader of ``AuditEvent.kind``
uses a member here, so a misspelt kind fails in lint instead of vanishing from the team
lead's filter. The values are what is stored (and hashed into the audit chain): never
change one; a new kind is a new member (and its label in services/privacy/audit_trail.py)."""

from __future__ import annotations

from enum import StrEnum


class AuditKind(StrEnum):
    """An event's kind; the word before the dot is its group on the team lead's screen."""

    LOGIN_OK = "login.ok"
    LOGIN_FAILED = "login.failed"
    LOGIN_THROTTLED = "login.throttled"
    LOGIN_LOCKED = "login.locked"
    LOGOUT = "logout"
    SESSION_LOCKED = "session.locked"
    SESSION_UNLOCKED = "session.unlocked"
    ACCOUNT_CREATED = "account.created"
    ACCOUNT_UNLOCKED = "account.unlocked"
    ACCOUNT_PASSWORD = "account.password"
    ACCOUNT_PASSWORD_RESET = "account.password_reset"
    ACCOUNT_ROLE = "account.role"
    ACCOUNT_DEACTIVATED = "account.deactivated"
    ACCOUNT_RECOVERED = "account.recovered"
    ACCOUNT_DEPARTMENT = "account.department"
    ACCOUNT_TEAM = "account.team"
    SERVICE_ADDED = "service.added"
    SERVICE_REVOKED = "service.revoked"
    CONFIG_SECURITY_POLICY = "config.security_policy"
    CONFIG_CATALOGUE = "config.catalogue"
    CONFIG_LISTS = "config.lists"
    CONFIG_CAMPAIGNS = "config.campaigns"
    CONFIG_TEAMS = "config.teams"
    CONFIG_ORDERS = "config.orders"
    CONFIG_PAY = "config.pay"
    CONFIG_PLANNING = "config.planning"
    CONFIG_QUALITY = "config.quality"
    CONFIG_RETENTION = "config.retention"
    CONFIG_MAILBOXES = "config.mailboxes"
    CUSTOMER_VIEWED = "customer.viewed"
    CUSTOMER_LOOKED_UP = "customer.looked_up"
    CUSTOMER_SEARCHED = "customer.searched"
    CUSTOMER_REVEALED = "customer.revealed"
    CUSTOMER_EXPORTED = "customer.exported"
    CUSTOMER_ERASED = "customer.erased"
    CUSTOMER_PURGED = "customer.purged"
    MAIL_ATTACHMENT_SAVED = "customer.attachment_saved"
    PERMISSION_REFUSED = "permission.refused"
    EXPORT = "export"
    IMPORT = "import"
    AUDIT_VIEWED = "audit.viewed"
    AUDIT_CUT = "audit.cut"
    SYNC_REFUSED = "sync.refused"
    SYNC_QUARANTINED = "sync.quarantined"
