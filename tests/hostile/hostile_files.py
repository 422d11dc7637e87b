"""Hostile files for every importer (issue 20, item 5): a valid file of each kind with one
value (or every value) made hostile, written in one encoding or several, or bytes that are
no text at all; what each importer stored, counted table by table."""

from __future__ import annotations

import codecs
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from cc_terminal.models import ListKind
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.services.common.text_files import UnreadableFile
from cc_terminal.services.common.views import Actor
from cc_terminal.services.outbound.campaigns import CampaignDraft
from cc_terminal.services.outbound.lead_files import GOAUTODIAL, VICIDIAL_CLI, VICIDIAL_WEB
from cc_terminal.services.workstation import Workstation
from tests.orders.order_floor import REGISTER_HEADER
from tests.outbound.outbound_floor import SALES

# What an import may write when it refuses: its audit event, signed into the outbox.
AUDIT_TABLES = {"audit_event", "outbox_run", "login_throttle"}
REFUSALS = (ServiceError, UnreadableFile)  # a lead file's LeadFileError is an UnreadableFile
MEMBER = "CSV/20261101_OB_500011_ADR.csv"
HOSTILE_VALUES = [
    "",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "9" * 200,
    "31.02.",
    "31.02.2026",
    '"unterminated',
    '"',
    "\x00",
    "²",
    "\ufeff",
    "\x1b[2J\x07",
    "[/]",
    "0",
    "0x1F",
    "Žluťoučký kůň",
    "731111222",
    "č.p.",
]


@dataclass(frozen=True)
class Hostile:
    """How to spoil a valid file: ``value`` in one position (``None``: in every one),
    written in ``codec`` ("mixed": the header in UTF-8, the rows in cp1250) after ``bom``;
    or ``raw`` bytes instead of any of it; ``flip`` spoils one byte of a zip; ``width``
    adds columns to the row until it has that many."""

    value: str = ""
    position: int | None = 0
    codec: str = "utf-8"
    bom: bytes = b""
    newline: str = "\n"
    raw: bytes | None = None
    flip: int | None = None
    width: int = 0


@dataclass(frozen=True)
class Kind:
    """One importer: a valid file of its kind (header rows and one data row), and how it is
    imported through the services (returning how many records it stored)."""

    name: str
    header: list[list[str]]
    row: list[str]
    delimiter: str
    run: Callable[[Workstation, Actor, Path], int]
    zipped: bool = False


def import_catalogue(ws: Workstation, lead: Actor, path: Path) -> int:
    return ws.catalog.import_csv(lead, path)


def import_list(ws: Workstation, lead: Actor, path: Path) -> int:
    return ws.reference.import_csv(lead, ListKind.REQUEST_CATEGORY, path)


def import_leads(ws: Workstation, lead: Actor, path: Path) -> int:
    return ws.leads.import_file(lead, ws.leads.read(path), SALES).added


def import_register(ws: Workstation, lead: Actor, path: Path) -> int:
    return ws.register.import_files(lead, [path]).points


def add_campaign(ws: Workstation, lead: Actor, path: Path) -> int:
    from cc_terminal.services.outbound.campaigns import read_script  # not on main before the fix

    code = f"s{uuid.uuid4().hex[:10]}"
    ws.campaigns.create(lead, CampaignDraft(code, "Skript", "survey", read_script(path)))
    return 1


CLI_ROW = ["3857822", "31022", "105", "420", "731111501", "MRS", "Božena", "", "Burtonová"]
CLI_ROW += ["Mundonova 249", "", "", "Most", "", "", "43401", "CZ", "", "", "", "", ""]
CLI_ROW += ["COMMENTS", "2", "B", "2026-10-09 00:00:00", "731111599_420_work"]
WEB_ROW = ["V001", "src1", "105", "420", "731111401", "", "Marek", "", "Holub", "Lipová 12"]
WEB_ROW += ["", "", "Kolín", "", "", "28002", "CZ", "", "", "", "marek@example.cz", ""]
GO_ROW = ["731111601", "G1", "420", "", "Petra", "", "Horáková", "Husova 5", "", "", "Jihlava"]
GO_ROW += ["", "", "58601", "CZ", "F", "", "", "petra@example.cz", "", "web order", "MOB-M"]
REGISTER_ROW = "45678901;500011;Lhota;;;;;1;Lhota;;;č.p.;1;2;a;25001;741272.24;1040840.65;"
CATALOGUE = ["code", "name", "kind", "price", "valid_from", "valid_to", "description"]
CATEGORIES = ["code", "label", "sla_minutes", "department", "active"]
KINDS = [
    Kind(
        "catalogue",
        [CATALOGUE],
        ["HOST-1", "Tarif", "tariff", "399,00", "1.1.2026", "31.12.2026", "popis"],
        ";",
        import_catalogue,
    ),
    Kind(
        "list",
        [CATEGORIES],
        ["hostile", "Stížnost", "1440", "contact_centre", "yes"],
        ",",
        import_list,
    ),
    Kind(
        "leads-csv",
        [["jméno", "telefon", "město", "narozen", "poznámka"]],
        ["Jan Novák", "731 111 222", "Brno", "1.2.1980", "volat"],
        ";",
        import_leads,
    ),
    Kind("leads-vicidial-cli", [], CLI_ROW + [""] * (len(VICIDIAL_CLI) - 27), "|", import_leads),
    Kind("leads-vicidial-web", [], WEB_ROW, "\t", import_leads),
    Kind("leads-goautodial", [[*GOAUTODIAL, "Tarif"]], GO_ROW, ",", import_leads),
    Kind("register", [REGISTER_HEADER.split(";")], REGISTER_ROW.split(";"), ";", import_register),
    Kind(
        "register-zip",
        [REGISTER_HEADER.split(";")],
        REGISTER_ROW.split(";"),
        ";",
        import_register,
        zipped=True,
    ),
    Kind("script", [], ["Dobrý den, {name}. ", "Tarif {product}."], "", add_campaign),
]
assert len(VICIDIAL_WEB) >= len(WEB_ROW) > 10


def render(kind: Kind, spoil: Hostile) -> bytes:
    """The file ``kind`` imports, spoiled as ``spoil`` says."""
    if spoil.raw is not None:
        data = spoil.raw
    else:
        row = list(kind.row)
        if spoil.position is None:
            row = [spoil.value] * len(row)
        else:
            row[spoil.position % len(row)] = spoil.value
        row += ["a"] * (spoil.width - len(row))
        lines = [kind.delimiter.join(cells) for cells in [*kind.header, row]]
        data = spoil.bom + _encoded(lines, spoil)
    if not kind.zipped:
        return data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MEMBER, data)
    zipped = bytearray(buffer.getvalue())
    if spoil.flip is not None:
        zipped[spoil.flip % len(zipped)] ^= 0xFF
    return bytes(zipped)


def _encoded(lines: list[str], spoil: Hostile) -> bytes:
    if spoil.codec != "mixed":
        return spoil.newline.join(lines).encode(spoil.codec, errors="replace")
    head, *rest = lines
    body = spoil.newline.join(rest).encode("cp1250", errors="replace")
    return head.encode("utf-8") + spoil.newline.encode() + body


def write(folder: Path, kind: Kind, data: bytes) -> Path:
    path = folder / (f"{kind.name}.zip" if kind.zipped else f"{kind.name}.csv")
    path.write_bytes(data)
    return path


def stored(engine: Engine) -> dict[str, int]:
    """Rows in every table but the audit trail's (an import that refuses is audited), and
    the outbox's ops by the table they change (the audit event's ops left out)."""
    with engine.connect() as connection:
        counts = {
            table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in inspect(connection).get_table_names()
            if table not in AUDIT_TABLES | {"outbox_op"}
        }
        by_entity = connection.execute(
            text("SELECT entity, count(*) FROM outbox_op GROUP BY entity")
        ).all()
    counts.update({f"outbox_op {entity}": n for entity, n in by_entity if entity != "audit_event"})
    return counts


def register_zip(folder: Path, data: bytes) -> Path:
    path = folder / "20261101_OB_ADR_csv.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MEMBER, data)
    return path


def patched(path: Path, offset: int, value: bytes) -> Path:
    """The zip with ``value`` written at ``offset`` of its first member's local header,
    and at the same field of its entry in the central directory (two bytes further)."""
    data = bytearray(path.read_bytes())
    for signature, skip in ((b"PK\x03\x04", 0), (b"PK\x01\x02", 2)):
        start = data.find(signature) + skip + offset
        data[start : start + len(value)] = value
    path.write_bytes(bytes(data))
    return path


REGISTER_CSV = (REGISTER_HEADER + "\n" + REGISTER_ROW + "\n").encode("cp1250")
ZEROS = bytes(16 * 1024 * 1024)  # deflates to some 16 kB
CRC = 14  # where a local header holds the member's CRC-32 (then its sizes)


BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE]
