"""The configurable closed lists: call reasons, outcomes, refusal reasons, request
categories (with their service-level target and department) and departments.

The package ships the defaults (data/reference.json, the one current source). The
migrations that first stored them (0002, whose ids 0010 made the same on every terminal)
keep frozen copies; tests/common/test_shipped_lists.py checks that a new database holds
exactly data/reference.json. A team lead changes the lists on the Setup screen or from a
CSV file. Entries are retired,
never deleted: stored records keep pointing at their codes.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from cc_terminal import limits
from cc_terminal.i18n import N_, _
from cc_terminal.models import ListKind, ReferenceItem
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, config_change, refusals_audited
from cc_terminal.services.common.csv_rows import ImportRejected, RejectedRow, read_rows
from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.common.validation import FormErrors
from cc_terminal.services.common.views import Actor, Choice
from cc_terminal.services.common.working_hours import HoursError, check_week, read_week
from cc_terminal.store.database import Database

CODE = re.compile(r"^[a-z0-9_]+$")
MAX_SLA_MINUTES = 365 * 24 * 60

LIST_TITLES = {
    ListKind.CALL_REASON: N_("Call reasons"),
    ListKind.CALL_OUTCOME: N_("Call outcomes"),
    ListKind.REFUSAL_REASON: N_("Refusal reasons"),
    ListKind.REQUEST_CATEGORY: N_("Request categories"),
    ListKind.DEPARTMENT: N_("Departments"),
}


@cache
def default_lists() -> dict[ListKind, tuple[Choice, ...]]:
    """The lists shipped in the package."""
    text = resources.files("cc_terminal.data").joinpath("reference.json").read_text("utf-8")
    raw = json.loads(text)
    return {kind: tuple(Choice(**item) for item in raw[kind.value]) for kind in ListKind}


@dataclass(frozen=True)
class ReferenceLists:
    """A snapshot of every list, retired entries included (old records still name them)."""

    by_kind: dict[ListKind, tuple[Choice, ...]]

    def active(self, kind: ListKind) -> tuple[Choice, ...]:
        return tuple(choice for choice in self.by_kind.get(kind, ()) if choice.active)

    def find(self, kind: ListKind, code: str) -> Choice | None:
        return next((c for c in self.by_kind.get(kind, ()) if c.code == code), None)

    def label(self, kind: ListKind, code: str) -> str:
        choice = self.find(kind, code)
        return _(choice.label) if choice else code

    def is_active(self, kind: ListKind, code: str) -> bool:
        choice = self.find(kind, code)
        return choice is not None and choice.active


@refusals_audited
class ReferenceService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def lists(self) -> ReferenceLists:
        with self.db.read() as session:
            return lists_in(session)

    def save(self, actor: Actor, kind: ListKind, choice: Choice) -> Choice:
        """Add an entry or change the one with this code."""
        return self.save_many(actor, kind, [choice], one_form=True)[0]

    @config_change(AuditKind.CONFIG_LISTS)
    def save_many(
        self, actor: Actor, kind: ListKind, choices: Iterable[Choice], *, one_form: bool = False
    ) -> list[Choice]:
        """Add or change entries in one transaction: all of them, or none if one is wrong.
        With ``one_form`` the errors name the form's fields, else the rows (0-based)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead changes the lists."))
        wanted = list(choices)
        with self.db.write(actor.operator_id) as session:
            stored = {
                item.code: item
                for item in session.scalars(
                    select(ReferenceItem).where(col(ReferenceItem.kind) == kind.value)
                )
            }
            _check_edit(kind, wanted, lists_in(session), one_form)
            _store(session, kind, stored, wanted)
        return [_choice(stored[choice.code]) for choice in wanted]

    def import_csv(self, actor: Actor, kind: ListKind, path: Path) -> int:
        """Add or change entries from a CSV file; a bad row stores nothing and is reported."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead changes the lists."))
        with audited_file(self.db, actor, AuditKind.IMPORT, f"list {kind.value}", path) as read:
            read.rows = self._import_rows(actor, kind, path)
        return read.rows

    def _import_rows(self, actor: Actor, kind: ListKind, path: Path) -> int:
        rows = read_rows(path, {"code", "label"}, unique="code")
        choices, rejected = [], []
        for line, row in rows:
            try:
                choices.append(_choice_from_row(kind, row))
            except ValidationFailed as failed:
                rejected.append(RejectedRow(line, "; ".join(failed.errors.values())))
        if rejected:
            raise ImportRejected(rejected)
        try:
            self.save_many(actor, kind, choices)
        except _RowErrors as failed:
            if -1 in failed.by_row:
                raise ValidationFailed({"file": failed.by_row[-1]}) from failed
            raise ImportRejected(
                [RejectedRow(rows[index][0], reason) for index, reason in failed.by_row.items()]
            ) from failed
        return len(choices)


def lists_in(session: Session) -> ReferenceLists:
    query = select(ReferenceItem).order_by(col(ReferenceItem.position))
    by_kind: dict[ListKind, list[Choice]] = {kind: [] for kind in ListKind}
    for item in session.scalars(query):
        by_kind[ListKind(item.kind)].append(_choice(item))
    return ReferenceLists({kind: tuple(items) for kind, items in by_kind.items()})


class _RowErrors(ValidationFailed):
    """Errors of a list edit, by the row (0-based) they belong to; -1 is the whole list."""

    def __init__(self, by_row: dict[int, str]) -> None:
        self.by_row = by_row
        super().__init__(
            {"list" if row < 0 else f"row {row + 1}": msg for row, msg in by_row.items()}
        )


def _check_edit(
    kind: ListKind, wanted: list[Choice], current: ReferenceLists, one_form: bool
) -> None:
    """Refuse an edit when an entry or the list it makes is wrong: from a form, each
    message next to its field; else by the row (0-based) it belongs to."""
    after = _merged(current.by_kind[kind], wanted)
    problems = _check_list(kind, after, current, [choice.code for choice in wanted])
    fields = {
        index: _validated(kind, choice, in_file=not one_form) for index, choice in enumerate(wanted)
    }
    if one_form and (fields[0] or problems):
        whole = "; ".join(problems.values())
        raise ValidationFailed({**fields[0], **({"form": whole} if whole else {})})
    for index, errors in fields.items():
        if errors:
            problems[index] = "; ".join(errors.values())
    if problems:
        raise _RowErrors(problems)


def _store(
    session: Session, kind: ListKind, stored: dict[str, ReferenceItem], wanted: list[Choice]
) -> None:
    """Set each wanted entry's fields; a new code is added at the end of its list."""
    position = len(stored)
    for choice in wanted:
        item = stored.get(choice.code)
        if item is None:
            item = ReferenceItem(kind=kind.value, code=choice.code, label="", position=position)
            position += 1
            stored[choice.code] = item
            session.add(item)
        item.label = choice.label.strip()
        item.key = choice.key
        item.sla_minutes = choice.sla_minutes
        item.department = choice.department
        item.active = choice.active
        if choice.working_hours is not None:  # checked: stored tidy, the default as ""
            item.working_hours = read_week(choice.working_hours).text()


def _choice(item: ReferenceItem) -> Choice:
    return Choice(
        code=item.code,
        label=item.label,
        key=item.key,
        sla_minutes=item.sla_minutes,
        department=item.department,
        active=item.active,
        working_hours=item.working_hours,
    )


def _merged(existing: tuple[Choice, ...], wanted: list[Choice]) -> list[Choice]:
    by_code = {choice.code: choice for choice in existing}
    by_code.update((choice.code, choice) for choice in wanted)
    return list(by_code.values())


def _validated(kind: ListKind, choice: Choice, *, in_file: bool = False) -> dict[str, str]:
    form = FormErrors(in_file=in_file)
    if not CODE.match(choice.code) or len(choice.code) > limits.CODE:
        message = _("Code: lower-case letters, digits and _ only, at most {n}.")
        form.add("code", message.format(n=limits.CODE))
    form.text("label", choice.label, limits.LABEL, required=True)
    if kind is ListKind.CALL_OUTCOME and not (len(choice.key) == 1 and choice.key in "123456789"):
        form.add("key", _("An outcome needs a key from 1 to 9."))
    sla = choice.sla_minutes
    if kind is ListKind.REQUEST_CATEGORY and (sla is None or not 0 < sla <= MAX_SLA_MINUTES):
        form.add("sla_minutes", _("The target must be 1 minute to 1 year."))
    if kind is ListKind.DEPARTMENT and choice.working_hours is not None:
        _check_hours(form, choice.working_hours)
    return form.errors


def _check_hours(form: FormErrors, text: str) -> None:
    """A department's week: readable, one line, and some working time in it."""
    if len(text) > limits.WORKING_HOURS:
        form.add("working_hours", _("The working hours are too long to store."))
        return
    try:
        week = read_week(text)
    except HoursError as error:
        form.add("working_hours", str(error))
        return
    for field, message in check_week(week).items():
        form.add(field, message)


def _check_list(
    kind: ListKind, after: list[Choice], current: ReferenceLists, wanted: list[str]
) -> dict[int, str]:
    """Rules across the list: something stays active, outcome keys unique, departments known.
    A problem belongs to the wanted entry that causes it (-1 when it is the list's)."""
    problems: dict[int, str] = {}

    def row(code: str) -> int:
        return wanted.index(code) if code in wanted else -1

    if not any(choice.active for choice in after):
        problems[-1] = _("At least one entry must stay in use.")
    if kind is ListKind.CALL_OUTCOME:
        keys = [choice.key for choice in after if choice.active]
        for choice in after:
            if choice.active and keys.count(choice.key) > 1:
                message = _("Two outcomes in use share the key {key}.")
                problems[row(choice.code)] = message.format(key=choice.key)
    departments = {
        c.code
        for c in (after if kind is ListKind.DEPARTMENT else current.active(ListKind.DEPARTMENT))
        if c.active
    }
    categories = (
        after
        if kind is ListKind.REQUEST_CATEGORY
        else list(current.active(ListKind.REQUEST_CATEGORY))
    )
    for category in categories:
        if category.active and category.department not in departments:
            problems[row(category.code)] = _(
                "Category {code} routes to {department}, which is not a department in use."
            ).format(code=category.code, department=category.department or "—")
    return problems


def _choice_from_row(kind: ListKind, row: dict[str, str]) -> Choice:
    form = FormErrors(in_file=True)
    sla: int | None = None
    if kind is ListKind.REQUEST_CATEGORY:
        try:
            sla = int(row.get("sla_minutes", ""))
        except ValueError:
            form.add("sla_minutes", _("sla_minutes must be a whole number of minutes."))
    active_text = row.get("active", "yes").lower() or "yes"
    if active_text not in {"yes", "no", "1", "0", "true", "false"}:
        form.add("active", _("active must be yes or no."))
    form.raise_if_any()
    return Choice(
        code=row["code"],
        label=row["label"],
        key=row.get("key", ""),
        sla_minutes=sla,
        department=row.get("department", ""),
        active=active_text in {"yes", "1", "true"},
        working_hours=row.get("working_hours") if kind is ListKind.DEPARTMENT else None,
    )


# The shipped defaults have the same ids on every terminal, so a floor's terminals agree
# on them without syncing rows that each made for itself.
SHIPPED_NAMESPACE = uuid.UUID("6f0c1a52-2d47-4e0b-9a51-5b1e7c3d9a10")


def shipped_id(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(SHIPPED_NAMESPACE, f"{kind}:{code}")
