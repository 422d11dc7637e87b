"""``cc-terminal orders`` with the real command on the demo floor: the field teams' CSV and
XLSX, the 80-column day sheet, a loan product, and bad input reported in one line."""

import csv
import shutil
import sqlite3

import pytest
from openpyxl import load_workbook

from tests.cli_run import cli, cli_process


@pytest.fixture(scope="module")
def demo(demo_build, tmp_path_factory):
    """A copy of the demo floor built once for the test process (conftest's demo_build)."""
    built, passwords = demo_build
    folder = tmp_path_factory.mktemp("orders-demo")
    shutil.copytree(built, folder, dirs_exist_ok=True)
    return folder, passwords["vedouci"]


AS_LEAD = ("--as", "vedouci", "--password-stdin")


def run(demo, *args):
    folder, password = demo
    return cli(folder, "--db", demo_db(folder), *args, *AS_LEAD, stdin=password + "\n")


def demo_db(folder):
    return f"sqlite:///{folder / 'demo.sqlite3'}"


def visits(folder):
    with sqlite3.connect(folder / "demo.sqlite3") as connection:
        return connection.execute(
            "SELECT o.number, t.code, o.visit_day FROM customer_order o "
            "JOIN field_team t ON t.id = o.team_id WHERE o.visit_day IS NOT NULL"
        ).fetchall()


def test_the_field_teams_export_and_day_sheet(demo, tmp_path):
    folder, password = demo
    booked = visits(folder)
    assert len(booked) == 2
    first = min(day for _n, _t, day in booked)
    last = max(day for _n, _t, day in booked)
    out = tmp_path / "orders.csv"
    done = cli_process(
        folder,
        "--db",
        demo_db(folder),
        "orders",
        "export",
        str(out),
        "--from",
        first,
        "--to",
        last,
        *AS_LEAD,
        stdin=password + "\n",
    )
    assert done.returncode == 0, done.stderr
    with out.open(encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    assert {row["number"] for row in rows} >= {number for number, _t, _d in booked}
    assert all(row["address_code"] for row in rows if row["kind"] == "equipment")
    xlsx = tmp_path / "orders.xlsx"
    assert run(demo, "orders", "export", str(xlsx), "--from", first, "--to", last).returncode == 0
    sheet = load_workbook(xlsx).active
    assert sheet.max_row == len(rows) + 1
    number, team, day = booked[0]
    printed = cli_process(
        folder, "--db", demo_db(folder), "orders", "day-sheet", team, day, *AS_LEAD,
        stdin=password + "\n",
    )  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.splitlines()
    assert number in printed.stdout and "cash to the technician" in printed.stdout
    assert max(len(line) for line in lines) <= 80


def test_a_loan_product_and_bad_input(demo):
    folder, password = demo
    saved = cli_process(
        folder,
        "--db",
        demo_db(folder),
        "orders",
        "loan-product",
        "AUTO",
        "Auto loan",
        "--amounts",
        "50000-900000",
        "--months",
        "12-84",
        "--rate",
        "6,9",
        *AS_LEAD,
        stdin=password + "\n",
    )
    assert saved.returncode == 0, saved.stderr
    bad = run(
        demo,
        "orders",
        "loan-product",
        "X",
        "X",
        "--amounts",
        "9-1",
        "--months",
        "12-84",
        "--rate",
        "5",
    )
    assert bad.returncode == 1 and bad.stderr.startswith("cc-terminal: ")
    assert len(bad.stderr.strip().splitlines()) == 1
    wrong_day = run(demo, "orders", "day-sheet", "sever", "31.2.2026")
    assert wrong_day.returncode == 1 and "not a date" in wrong_day.stderr
    no_team = run(demo, "orders", "day-sheet", "nobody")
    assert no_team.returncode == 1 and "No field team nobody" in no_team.stderr
