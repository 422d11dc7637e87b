"""What a service call can refuse with; every message is fit to show an operator."""

from __future__ import annotations

from datetime import datetime

from cc_terminal.i18n import _


class ServiceError(Exception):
    """A refusal with a message for the person at the keyboard."""


class ValidationFailed(ServiceError):
    """Input was wrong; ``errors`` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in errors.items()))


class PermissionDenied(ServiceError):
    pass


class ExportFailed(ServiceError):
    """The file could not be written (nothing was exported)."""

    def __init__(self, path: object, error: OSError) -> None:
        reason = error.strerror or str(error)
        super().__init__(_("Cannot write {path}: {reason}.").format(path=path, reason=reason))


class NotFound(ServiceError):
    pass


class ConflictError(ServiceError):
    """The record changed since it was read (optimistic versioning)."""


class InvalidCredentials(ServiceError):
    def __init__(self) -> None:
        super().__init__(_("Wrong user name or password."))


class AccountLocked(ServiceError):
    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(_("Too many wrong passwords at this terminal; wait before trying again."))
