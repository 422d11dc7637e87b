"""The importer holes a security review found, each refused in one line per bad row and
nothing imported: absurd prices, a 1 MB field, extra unquoted columns, control characters
(NUL, ESC, U+2028), duplicate codes; and a quoted line break kept, not lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from cc_terminal.models import ListKind
from cc_terminal.services.common.csv_rows import ImportRejected
from tests.conftest import login
from tests.helpers import rows

HEADER = "code,name,kind,price,valid_from,description\n"


def _catalog(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize("price", ["Infinity", "sNaN", "NaN", "1e30", "1e17", "21474836.48"])
def test_an_absurd_price_is_one_line_not_a_traceback(ws, tmp_path: Path, price: str) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    path = _catalog(tmp_path, f"X-1,Tariff,tariff,{price},2026-01-01,\n")
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    assert [r.line for r in rejected.value.rejected] == [2]
    assert "is not an amount" in rejected.value.rejected[0].reason


def test_the_largest_price_fits(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    ws.catalog.import_csv(lead, _catalog(tmp_path, "X-1,Tariff,tariff,21474836.47,2026-01-01,\n"))
    assert rows(ws, "SELECT price_minor FROM product WHERE code = 'X-1'") == [(2147483647,)]


def test_bad_rows_are_each_reported_and_nothing_is_imported(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    big = "x" * 1_000_000
    path = _catalog(
        tmp_path,
        "X-1,Tariff,tariff,399,2026-01-01,3 GB, unlimited calls\n"
        "X-2,Tariff,tariff,399,2026-01-01,\n"
        "X-2,Again,tariff,399,2026-01-01,\n"
        f'X-3,Big,tariff,399,2026-01-01,"{big}"\n',
    )
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    reasons = {r.line: r.reason for r in rejected.value.rejected}
    assert "7 values for 6 columns" in reasons[2]
    assert "code X-2 is already on line 3" in reasons[4]
    assert "a value in this row is longer than 131072 characters" in reasons[5]
    assert all("\n" not in reason for reason in reasons.values())
    assert rows(ws, "SELECT count(*) FROM product WHERE code LIKE 'X-%'") == [(0,)]


@pytest.mark.parametrize("hostile", ["a\x00b", "Eva \x1b]0;OWNED\x07", "one\u2028two"])
def test_control_characters_in_an_import_are_refused(ws, tmp_path: Path, hostile: str) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    path = _catalog(tmp_path, f'X-1,"{hostile}",tariff,399,2026-01-01,\n')
    with pytest.raises(ImportRejected) as rejected:
        ws.catalog.import_csv(lead, path)
    reason = rejected.value.rejected[0].reason
    assert ("NUL byte" if "\x00" in hostile else "control character") in reason


def test_a_quoted_line_break_is_kept(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    path = _catalog(tmp_path, 'X-1,Tariff,tariff,399,2026-01-01,"3 GB,\nunlimited calls"\n')
    ws.catalog.import_csv(lead, path)
    assert rows(ws, "SELECT description FROM product WHERE code = 'X-1'") == [
        ("3 GB,\nunlimited calls",)
    ]


def test_duplicate_codes_in_a_lists_file_are_refused(ws, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lead = login(ws, "lead")
    path = tmp_path / "reasons.csv"
    path.write_text("code,label\nbilling,Billing\nbilling,Billing again\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        ws.reference.import_csv(lead, ListKind.CALL_REASON, path)
    assert [r.line for r in rejected.value.rejected] == [3]
