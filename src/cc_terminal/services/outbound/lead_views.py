"""What a lead import takes and tells: one person to call, a rejected line, the report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from cc_terminal.i18n import _


@dataclass(frozen=True)
class LeadDraft:
    """One person to call, as a file or the app gives them; ``line`` for the report."""

    phone: str
    full_name: str
    fields: dict[str, str] = field(default_factory=dict)  # other declared customer fields
    consent: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    line: int = 0
    priority: int = 0
    origin_offer_id: uuid.UUID | None = None
    assigned_to: uuid.UUID | None = None


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str


@dataclass
class ImportReport:
    campaign: str
    list_name: str
    rows: int = 0
    added: int = 0
    new_customers: int = 0
    already_in_campaign: int = 0
    consents: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    name_differs: list[Rejected] = field(default_factory=list)
    warnings: list[Rejected] = field(default_factory=list)  # rows stored with changes
    no_list: bool = False  # nothing was stored, so no list was made
    file_format: str = ""
    encoding: str = ""

    def lines(self, most: int | None = None) -> list[str]:
        """The counts, then each rejected, differing or changed line and why (the first
        ``most``)."""
        summary = _(
            "Rows: {rows}; leads added: {added} (new customers: {new}, consents: {consents}); "
            "already in the campaign: {already}; rejected: {rejected}."
        ).format(
            rows=self.rows,
            added=self.added,
            new=self.new_customers,
            consents=self.consents,
            already=self.already_in_campaign,
            rejected=len(self.rejected),
        )
        if self.warnings:
            summary += " " + _("Stored with changes: {n} (warnings below).").format(
                n=len(self.warnings)
            )
        if self.no_list:
            summary += " " + _("No list was made: no row could be added.")
        noted = [*self.rejected, *self.name_differs, *self.warnings][:most]
        return [
            summary,
            *(_("line {line}: {reason}").format(line=r.line, reason=r.reason) for r in noted),
        ]
