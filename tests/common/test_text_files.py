"""The importers' one text reader (services.text_files): any bytes give records or the
importer's own refusal, never another exception; records come back as they were written,
each with the physical line it starts on."""

from __future__ import annotations

import codecs
import csv
import io
import re
import tempfile
from contextlib import suppress
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cc_terminal.services.common.csv_rows import ImportRejected, read_rows
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.common.text_files import UnreadableFile, decode, records
from cc_terminal.services.orders.register_reading import read_points
from cc_terminal.services.outbound.lead_files import GOAUTODIAL, LeadFileError, read_lead_file
from cc_terminal.services.outbound.lead_rows import draft_of

BREAK = re.compile(r"\r\n|\r|\n")
UTF = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
]
TRICKY = list('ab1 é,;\t|"\r\n\x00\x1b\u2028\ufffd')
HEADERS = [b"", b"name;phone\n", b"code,label,name,kind,price,valid_from\n", b"K\xf3d ADM;"]
HEADERS.append(",".join(GOAUTODIAL).encode() + b"\n")

any_bytes = st.one_of(
    st.binary(max_size=400),
    st.builds(bytes.__add__, st.sampled_from([bom for bom, _codec in UTF]), st.binary()),
    st.builds(
        lambda header, text, codec: header + text.encode(codec, errors="replace"),
        st.sampled_from(HEADERS),
        st.text(alphabet=st.sampled_from(TRICKY), max_size=300),
        st.sampled_from(["utf-8", "cp1250", "utf-16"]),
    ),
)


def physical_lines(text: str) -> int:
    return len(BREAK.findall(text)) + (0 if BREAK.fullmatch(text[-2:] or "\n") else 1)


@given(any_bytes, st.sampled_from(",;\t|"))
def test_any_bytes_are_records_or_the_readers_refusal(data: bytes, delimiter: str) -> None:
    try:
        decoded = decode(data)
    except UnreadableFile:
        return
    lines = [record.line for record in records(decoded, delimiter)]
    assert lines == sorted(set(lines))
    assert all(1 <= line <= physical_lines(decoded.text) for line in lines)


cells = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufeff"))
written_rows = st.lists(
    st.lists(cells.map(lambda cell: cell[:30]), min_size=1, max_size=5).filter(
        lambda row: any(cell.strip() for cell in row)
    ),
    min_size=1,
    max_size=8,
)


@given(written_rows, st.sampled_from(",;\t|"), st.sampled_from(UTF))
def test_records_come_back_as_written_with_their_physical_lines(
    rows: list[list[str]], delimiter: str, encoding: tuple[bytes, str]
) -> None:
    bom, codec = encoding
    chunks, starts, line = [], [], 1
    for row in rows:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(row)
        chunks.append(out.getvalue())
        starts.append(line)
        line += len(BREAK.findall(out.getvalue()))
    found = list(records(decode(bom + "".join(chunks).encode(codec)), delimiter))
    assert [(r.line, r.values, r.problem) for r in found] == [
        (start, row, "") for start, row in zip(starts, rows, strict=True)
    ]


@settings(max_examples=60, deadline=None)
@given(any_bytes)
def test_arbitrary_bytes_never_break_an_importer(data: bytes) -> None:
    """Each importer answers with its own refusal (or rejected rows), never a traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        path.write_bytes(data)
        with suppress(LeadFileError):
            lead_file = read_lead_file(path)
            for row in lead_file.rows():
                with suppress(ValidationFailed):
                    if not row.problem:
                        draft_of(lead_file, row, "CZ")
        with suppress(ValidationFailed, ImportRejected):
            read_rows(path, {"code"}, unique="code")
    read_points("file.csv", data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00", "zip or an Excel workbook"),
        (bytes(range(32)) * 10, "not a text file"),
        ("名前;電話\n山田太郎;731111999\n".encode("shift_jis"), "Unknown encoding"),
    ],
)
def test_what_is_not_text_is_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        decode(data)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_mark_is_still_read(codec: str) -> None:
    decoded = decode("jméno\ttelefon\r\nJiří Dvořák\t731111111\r\n".encode(codec))
    assert decoded.encoding == codec
    assert [r.values for r in records(decoded, "\t")] == [
        ["jméno", "telefon"],
        ["Jiří Dvořák", "731111111"],
    ]


def test_bytes_outside_the_encoding_reject_only_their_row() -> None:
    decoded = decode(codecs.BOM_UTF8 + b"a,b\nc\xff,d\ne,f\n")
    assert decoded.damaged
    assert [(r.line, r.problem) for r in records(decoded, ",")] == [
        (1, ""),
        (2, "bytes in this row that are not utf-8-sig text"),
        (3, ""),
    ]
