"""Retention: personal data is kept only as long as the floor needs it. A team lead sets
how many days each kind is kept; a daily run erases what is past it the way a data
protection erasure does (the text goes, the figures stay), through ORM writes, so the
erasure is ops that sync carries to every terminal, and audited.

``PURGERS`` is the plug-in point: each kind lists the purgers that erase it. Call notes
and chat transcripts have theirs (services/privacy/retention_notes.py); letters with their
attachments, and recordings get theirs from the features that store them, by
``register_purger``. Until then their days are set and kept, and nothing is held to erase.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlmodel import col

from cc_terminal.i18n import N_, _
from cc_terminal.models import AuditEvent, RetentionRule
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.models.base import utcnow
from cc_terminal.services.common.audit import add_event, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor
from cc_terminal.services.privacy.retention_notes import CHAT_PURGERS, NOTE_PURGERS, Purger
from cc_terminal.store.database import Database

NOTES, CHAT, LETTERS, RECORDINGS = "notes", "chat", "letters", "recordings"
KINDS = (NOTES, CHAT, LETTERS, RECORDINGS)
KIND_LABELS = {
    NOTES: N_("Call notes"),
    CHAT: N_("Chat transcripts"),
    LETTERS: N_("Letters and attachments"),
    RECORDINGS: N_("Call recordings"),
}
DEFAULT_DAYS = {NOTES: 365, CHAT: 180, LETTERS: 365, RECORDINGS: 90}
MIN_DAYS, MAX_DAYS = 30, 3650
BATCH = 500  # records erased per transaction: a first run on years of notes stays light

PURGERS: dict[str, list[Purger]] = {
    NOTES: list(NOTE_PURGERS),
    CHAT: list(CHAT_PURGERS),
    LETTERS: [],
    RECORDINGS: [],
}


def register_purger(kind: str, purger: Purger) -> None:
    """A feature that stores a kind of personal data adds how to erase it."""
    PURGERS[kind].append(purger)


@dataclass(frozen=True)
class RetentionSetting:
    kind: str
    label: str
    days: int
    default_days: int
    held: bool  # something of this kind is stored (it has purgers)


@dataclass(frozen=True)
class RetentionRun:
    at: datetime
    erased: dict[str, int]  # records per kind that has purgers

    def summary(self) -> str:
        """The audit line: records erased per kind (stored in English, like every detail)."""
        return "; ".join(
            f"{kind}: {self.erased[kind]}" if kind in self.erased else f"{kind}: not held"
            for kind in KINDS
        )


@refusals_audited
class Retention:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    def settings(self) -> list[RetentionSetting]:
        with self.db.read() as session:
            rules = {rule.kind: rule.days for rule in session.scalars(select(RetentionRule))}
        return [
            RetentionSetting(
                kind,
                _(KIND_LABELS[kind]),
                rules.get(kind, DEFAULT_DAYS[kind]),
                DEFAULT_DAYS[kind],
                bool(PURGERS[kind]),
            )
            for kind in KINDS
        ]

    def set_days(self, actor: Actor, typed: Mapping[str, str | int]) -> list[RetentionSetting]:
        """Change the days of the kinds given (the text as typed, or a number); audited.
        Nothing is stored when one of them is wrong."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead sets how long personal data is kept."))
        wanted = _parse_days(typed)
        current = {setting.kind: setting.days for setting in self.settings()}
        changed = {kind: days for kind, days in wanted.items() if current[kind] != days}
        if changed:
            now = self.clock()
            with self.db.write(actor.operator_id) as session:
                for kind, days in changed.items():
                    rule = session.get(RetentionRule, kind)
                    if rule is None:
                        rule = RetentionRule(
                            kind=kind, days=days, set_by=actor.operator_id, set_at=now
                        )
                        session.add(rule)
                    rule.days, rule.set_by, rule.set_at = days, actor.operator_id, now
                detail = " ".join(f"{kind}={days}" for kind, days in changed.items())
                add_event(
                    session, actor.operator_id, AuditKind.CONFIG_RETENTION, "retention", detail, now
                )
        return self.settings()

    def last_run(self) -> datetime | None:
        """When any terminal of the floor last ran the erasure (its audit event)."""
        with self.db.read() as session:
            query = select(col(AuditEvent.at)).where(
                col(AuditEvent.kind) == AuditKind.CUSTOMER_PURGED
            )
            return session.scalars(query.order_by(col(AuditEvent.at).desc()).limit(1)).first()

    def due(self) -> bool:
        """Not run yet today (UTC): the daily job's once a day for the whole floor."""
        last = self.last_run()
        return last is None or last.astimezone(UTC).date() < self.clock().astimezone(UTC).date()

    def run_if_due(self, actor: Actor) -> RetentionRun | None:
        return self.run(actor) if self.due() else None

    def run(self, actor: Actor) -> RetentionRun:
        """Erase, for every kind, what is older than its days; idempotent (erased text is
        not erased twice). Whoever is signed in runs it: the lead's days decide what goes."""
        now = self.clock()
        erased: dict[str, int] = {}
        for setting in self.settings():
            if setting.held:
                cutoff = now - timedelta(days=setting.days)
                erased[setting.kind] = self._purge(actor, PURGERS[setting.kind], cutoff)
        done = RetentionRun(now, erased)
        with self.db.write(actor.operator_id) as session:
            add_event(
                session,
                actor.operator_id,
                AuditKind.CUSTOMER_PURGED,
                "retention",
                done.summary(),
                now,
            )
        return done

    def _purge(self, actor: Actor, purgers: list[Purger], cutoff: datetime) -> int:
        total = 0
        for purger in purgers:
            while True:
                with self.db.write(actor.operator_id) as session:
                    count = purger(session, cutoff, BATCH)
                total += count
                if count < BATCH:
                    break
        return total


def _parse_days(typed: Mapping[str, str | int]) -> dict[str, int]:
    form = FormErrors()
    wanted: dict[str, int] = {}
    for kind, value in typed.items():
        if kind not in KINDS:
            form.add(
                kind, _("No such kind of data; one of: {kinds}.").format(kinds=", ".join(KINDS))
            )
            continue
        text = str(value).strip()
        if not text.isdigit() or not MIN_DAYS <= int(text) <= MAX_DAYS:
            form.add(kind, _("Days, from {low} to {high}.").format(low=MIN_DAYS, high=MAX_DAYS))
            continue
        wanted[kind] = int(text)
    form.raise_if_any()
    return wanted
