"""The period for payroll: CSV and XLSX with typed cells under a valid title (on SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cc_terminal.services.common.errors import PermissionDenied, ValidationFailed
from cc_terminal.services.tally.periods import day_of, month_of
from tests.tally.tally_records import (
    MORNING,
    TODAY,
    add_call,
    add_sale,
    add_session,
    save_mix_plan,
)


def test_the_period_exports_for_payroll_in_csv_and_xlsx(ws, lead, jana, petr, tmp_path):
    import csv
    import os

    from openpyxl import load_workbook

    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    add_session(ws, jana, MORNING, 2)
    add_call(ws, jana, MORNING, 60, 10)
    add_sale(ws, jana, MORNING, 100000)
    with pytest.raises(PermissionDenied):
        ws.tally_export.export(jana, day_of(TODAY), tmp_path / "pay.csv", "csv")
    with pytest.raises(ValidationFailed):
        ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.pdf", "pdf")
    ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.csv", "csv")
    with (tmp_path / "pay.csv").open(encoding="utf-8-sig") as file:
        rows = {row["username"]: row for row in csv.DictReader(file, delimiter=";")}
    assert set(rows) == {"jana", "petr"}
    assert rows["jana"]["pay"] == "50.25"  # 12 + 0.25 + 8 + 30 and rows["jana"]["successes"] == "1"
    assert rows["petr"]["pay"] == ""  # no plan, no pay
    assert os.stat(tmp_path / "pay.csv").st_mode & 0o777 == 0o600
    result = ws.tally_export.export(lead, day_of(TODAY), tmp_path / "pay.xlsx", "xlsx")
    assert result.operators == 2
    book = load_workbook(tmp_path / "pay.xlsx")
    assert book.sheetnames[1:] == ["jana", "petr"]
    lines = [row for row in book["jana"].iter_rows(values_only=True) if row and row[0]]
    assert ("Total", None, 50.25) in [tuple(row[:3]) for row in lines]


def test_the_months_payroll_xlsx_has_typed_cells_under_a_valid_title(ws, lead, jana, tmp_path):
    from openpyxl import load_workbook

    ws.pay_plans.assign(lead, jana.operator_id, save_mix_plan(ws, lead))
    add_session(ws, jana, MORNING, 2)
    add_call(ws, jana, MORNING, 60, 10)
    add_sale(ws, jana, MORNING, 100000)
    ws.tally_export.export(lead, month_of(TODAY), tmp_path / "pay.xlsx", "xlsx")
    book = load_workbook(tmp_path / "pay.xlsx")
    assert book.sheetnames == ["Pay 11-2026", "jana", "petr"]  # "Pay 11/2026" is no title
    summary = book["Pay 11-2026"]
    names = [cell.value for cell in summary[1]]
    found = next(row for row in summary.iter_rows() if row[0].value == "jana")
    jana_row = dict(zip(names, found, strict=True))
    pay, hours, sales = jana_row["pay"], jana_row["paid_hours"], jana_row["sales"]
    assert (pay.value, pay.data_type, pay.number_format) == (50.25, "n", '#,##0.00 "Kč"')
    assert (hours.value, hours.number_format) == (timedelta(hours=2), "[h]:mm")
    assert sales.value == 1000
    assert jana_row["successes"].value == 1 and jana_row["handled"].data_type == "n"
    items = [row for row in book["jana"].iter_rows() if row[0].is_date]
    assert items and items[0][0].value == datetime(2026, 11, 27, 8, 0)  # local, not UTC
    assert items[0][3].data_type == "n" and items[0][3].value == 1000
