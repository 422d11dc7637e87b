"""Importing the RÚIAN address points (docs/domain/ADDRESSES.md): one municipality's
CSV, many, or the zip of all of them, read by register_reading.py (in a process of its own
for a large import: register_apart.py). A municipality's points are replaced in one
transaction, so a re-import never leaves half a town; every broken row is reported with its
file, line and reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from cc_terminal.i18n import _
from cc_terminal.models.audit_kinds import AuditKind
from cc_terminal.services.common.audit import audited_file, refusals_audited
from cc_terminal.services.common.errors import PermissionDenied
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders.register_apart import read_in_order
from cc_terminal.services.orders.register_reading import (
    FileRead,
    planned,
    unpacked,
)
from cc_terminal.services.orders.register_staging import (
    StagedWriter,
    discard_leftovers,
    worth_staging,
)
from cc_terminal.services.orders.register_store import RegisterWriter
from cc_terminal.store.bulk_gc import fewer_collections
from cc_terminal.store.database import Database

Progress = Callable[[int, str], None]  # points stored so far, the file being read


@dataclass
class RegisterReport:
    files: int = 0
    municipalities: int = 0
    points: int = 0
    rejected: list[str] = field(default_factory=list)


@refusals_audited
class AddressRegister:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.on_imported: Callable[[], object] | None = None  # the address book forgets

    def import_files(
        self, actor: Actor, paths: Sequence[Path], progress: Progress | None = None
    ) -> RegisterReport:
        """Import every municipality file in ``paths`` (CSV files or zips of them)."""
        if not actor.is_lead:
            raise PermissionDenied(_("Only a team lead imports the address register."))
        report = RegisterReport()
        where = paths[0] if paths else Path("-")
        with (
            audited_file(self.db, actor, AuditKind.IMPORT, "address register", where) as read,
            fewer_collections(),  # millions of points read, few kept: store/bulk_gc.py
        ):
            self._import(actor, paths, report, progress)
            read.rows = report.points
        if self.on_imported is not None:
            self.on_imported()
        return report

    def _import(
        self,
        actor: Actor,
        paths: Sequence[Path],
        report: RegisterReport,
        progress: Progress | None,
    ) -> None:
        """A large import staged beside the register and shown at once (register_staging);
        one the database refuses there, or a smaller one, replaced group by group."""
        plan = planned(paths)
        size = unpacked(plan)
        if worth_staging(self.db, size):
            try:
                writer = StagedWriter(self.db, actor.operator_id)
                _read_into(writer, read_in_order(plan, size), report, progress)
                return
            except IntegrityError:
                report.files = report.municipalities = report.points = 0
                report.rejected.clear()  # the files are read again by the grouped path
            finally:
                discard_leftovers(self.db, actor.operator_id)
        _read_into(
            RegisterWriter(self.db, actor.operator_id), read_in_order(plan, size), report, progress
        )


def _read_into(
    writer: RegisterWriter | StagedWriter,
    files: Iterator[FileRead],
    report: RegisterReport,
    progress: Progress | None,
) -> None:
    name = ""
    for name, points, rejected in files:
        report.files += 1
        report.rejected += rejected
        if writer.add(points) and progress is not None:
            progress(writer.stored, name)
        report.municipalities += len(set(map(itemgetter(1), points)))
        report.points += len(points)
    if writer.finish() and progress is not None:
        progress(writer.stored, name)
