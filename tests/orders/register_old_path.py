"""The address register's import as it was before the bulk path (issue 29), kept as the
reference the bulk path is compared with: every file read row by row (the csv reader,
one dict a point) and stored in its own transaction through SQLAlchemy's insert of
dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import col

from cc_terminal.models import AddressPoint, AddressStreet, AddressTown
from cc_terminal.services.common.text_files import decode, records
from cc_terminal.services.common.views import Actor
from cc_terminal.services.orders import register_reading as register
from cc_terminal.services.orders.address_register import RegisterReport
from cc_terminal.services.orders.register_rows import POINT_COLUMNS
from cc_terminal.store.database import Database


def import_row_by_row(db: Database, actor: Actor, paths: list[Path]) -> RegisterReport:
    report = RegisterReport()
    for name, data, problem in register._files(register.planned(paths)):
        report.files += 1
        if problem:
            report.rejected.append(problem)
            continue
        points, rejected = _read(name, data)
        report.rejected += rejected
        _replace(db, actor, points)
        report.municipalities += len({point["municipality_code"] for point in points})
        report.points += len(points)
    return report


def _read(name: str, data: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    found = records(decode(data, (register.ENCODING,)), ";")
    where, missing = register._column_places(next(found, None))
    assert not missing
    points, rejected = register._valid_points(name, found, where)
    return [dict(zip(POINT_COLUMNS, point, strict=True)) for point in points], rejected


def _replace(db: Database, actor: Actor, points: list[dict[str, Any]]) -> None:
    if not points:
        return
    codes = sorted({point["municipality_code"] for point in points})
    with db.write(actor.operator_id) as session:
        connection = session.connection()
        for table in (AddressPoint, AddressStreet, AddressTown):
            connection.execute(delete(table).where(col(table.municipality_code).in_(codes)))
        connection.execute(insert(AddressPoint), points)
        towns: dict[int, dict[str, Any]] = {}
        streets: dict[tuple[int, str], dict[str, Any]] = {}
        for point in points:
            code = point["municipality_code"]
            town = towns.setdefault(
                code,
                {
                    "municipality_code": code,
                    "name": point["municipality"],
                    "town_key": point["town_key"],
                    "points": 0,
                },
            )
            town["points"] += 1
            streets.setdefault(
                (code, point["street_key"]),
                {
                    "municipality_code": code,
                    "street_key": point["street_key"],
                    "name": point["street"] or point["part"],
                    "is_part": not point["street"],
                },
            )
        connection.execute(insert(AddressTown), list(towns.values()))
        connection.execute(insert(AddressStreet), list(streets.values()))
