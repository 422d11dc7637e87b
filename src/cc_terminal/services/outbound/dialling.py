"""Dialling a lead through the softphone: the SIP URI its number is dialled at, and how
the SIP result of a call nobody talked on closes its attempt with one of the campaign's
dispositions (busy, no answer, the number flagged invalid, refused), with no key typed.

486/600 are busy; 408/480 no answer, and so is our own ring timeout (we hang up: the
wire says 487, baresip says "Connection reset by user"); 404/484/604 an invalid number
(the campaign's unworkable disposition: the lead is closed as a wrong number); 603 the
callee declined: refused the call (the campaign's refusal, reason "other" with the code).
Any other ending (a 5xx, no code) is left to the operator: the card says it, Ctrl+E
closes it by hand."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from cc_terminal.data.codes import RefusalReason
from cc_terminal.i18n import N_, _
from cc_terminal.models.lead import LeadStatus
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.outbound.campaigns import DispositionView
from cc_terminal.services.outbound.views import Closing, LeadCard

MAX_GATEWAY = 200


class DialOutcome(StrEnum):
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    INVALID = "invalid"
    REFUSED = "refused"


OUTCOME_LABELS = {
    DialOutcome.BUSY: N_("busy"),
    DialOutcome.NO_ANSWER: N_("no answer"),
    DialOutcome.INVALID: N_("invalid number"),
    DialOutcome.REFUSED: N_("refused the call"),
}
_CODES = {
    DialOutcome.BUSY: frozenset({486, 600}),
    DialOutcome.NO_ANSWER: frozenset({408, 480, 487}),
    DialOutcome.INVALID: frozenset({404, 484, 604}),
    DialOutcome.REFUSED: frozenset({603}),
}
# The default dispositions' codes (data/dispositions.json); a campaign that renamed them
# is matched by the flags instead.
_DEFAULT_CODES = {
    DialOutcome.BUSY: "B",
    DialOutcome.NO_ANSWER: "N",
    DialOutcome.INVALID: "DC",
    DialOutcome.REFUSED: "NI",
}


def why_not_dialled(card: LeadCard) -> str:
    """Why the softphone must not dial this lead now ("" when it may): N's lead and one
    opened from the list alike. Its legal basis and calling window, as read when it was
    opened, and that it is held for this operator (a closed or someone else's lead is
    not claimed when opened)."""
    if not card.legal.allowed:
        return card.legal.reason
    if card.status != LeadStatus.CALLING:
        return _("The lead is not held for you to call (closed, or not due).")
    return ""


def dial_uri(phone_e164: str, gateway: str) -> str:
    """``sip:+420601123456@GATEWAY``; without a gateway the bare number, which baresip
    completes with its account's own domain (the registrar it uses)."""
    gateway = gateway.strip()
    if not gateway:
        return phone_e164
    return f"sip:{phone_e164}@{gateway}"


def gateway_problem(gateway: str) -> str:
    """Why ``gateway`` cannot be dialled at ("" when it can)."""
    if len(gateway) > MAX_GATEWAY or any(c.isspace() or ord(c) < 32 for c in gateway):
        return _("A host or host:port, no spaces.")
    if "@" in gateway or gateway.lower().startswith("sip:"):
        return _("Only the host (pbx.example.cz or 127.0.0.1:5070), not a URI.")
    return ""


def outcome_of(sip_code: int | None, cancelled: bool) -> DialOutcome | None:
    """What a call that ended without an answer means for its lead; None: the operator
    decides (an unknown code, or none)."""
    if cancelled:
        return DialOutcome.NO_ANSWER
    return next((outcome for outcome, codes in _CODES.items() if sip_code in codes), None)


def disposition_for(
    dispositions: Iterable[DispositionView], outcome: DialOutcome
) -> DispositionView | None:
    """The campaign's disposition for ``outcome``: its default code, else by its flags."""
    items = [d for d in dispositions if d.active]
    by_code = next((d for d in items if d.code == _DEFAULT_CODES[outcome]), None)
    if by_code is not None:
        return by_code
    if outcome is DialOutcome.INVALID:
        return next((d for d in items if d.unworkable), None)
    if outcome is DialOutcome.REFUSED:
        return next((d for d in items if d.refusal), None)
    return None


def phone_closing(
    closing: Closing,
    outcome: DialOutcome,
    sip_code: int | None,
    dispositions: Iterable[DispositionView],
) -> Closing:
    """``closing`` with the disposition the phone's result stands for (and, for a
    declined call, the refusal's reason); ValidationFailed when the campaign has none."""
    disposition = disposition_for(dispositions, outcome)
    words = _(OUTCOME_LABELS[outcome])
    if disposition is None:
        message = _("The campaign has no disposition for '{outcome}': close it with Ctrl+E.")
        raise ValidationFailed({"disposition": message.format(outcome=words)})
    said = _("The phone said: {outcome}").format(outcome=words)
    if sip_code is not None:
        said += f" (SIP {sip_code})"
    notes = "\n".join(part for part in (closing.notes.strip(), said) if part)
    changed = replace(closing, disposition=disposition.code, notes=notes, callback="")
    if disposition.refusal:
        reason, note = RefusalReason.OTHER.value, said
        changed = replace(changed, refusal_reason=reason, refusal_note=note)
    return changed
