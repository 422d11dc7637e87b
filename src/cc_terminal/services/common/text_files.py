"""The one reader of delimited text files behind every importer (lead files, the
catalogue, the lists, the address register), so a file Excel or a dialer writes is read
the same way everywhere.

- Encoding: a byte-order mark decides (UTF-8, UTF-16 and UTF-32: Excel's "Unicode text"
  is UTF-16 LE with a BOM); then UTF-16 without a mark (every other byte NUL), then UTF-8,
  then the importer's 8-bit code pages (several are told apart by the letters they decode
  to). A zip (an .xlsx workbook) or a file of mostly control bytes is refused as not text.
- Records: split by the csv module, so a quoted value keeps its delimiters and line
  breaks; each record carries the physical line it starts on. A record the file damaged
  (a NUL byte, bytes that are not in the encoding, a value over the field limit) comes
  back with the problem and its line, and reading goes on with the next record.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from cc_terminal.i18n import _

GUESSED = ("cp1250", "iso8859_2", "cp1251")  # Czech, Slovak, Russian files
BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
SAMPLE = 4096
CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13}))
FIELD_LIMIT = csv.field_size_limit()  # the csv module's bound: a value of 10 MB is a bad row
MAX_RECORD = 1024 * 1024  # characters of one record: split further, it would fill memory
MAX_VALUES = 1000  # values in one record (a dialer's list has a few dozen columns)
ECHOED = 40  # at most this much of a bad value is quoted in a message
_BREAK = re.compile(r"\r\n|\r|\n")
_QUOTE_OR_BREAK = re.compile(r'["\r\n]')


class UnreadableFile(ValueError):
    """The file cannot be read as text at all; the message says why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as a user would name it: utf-8-sig, utf-16, cp1250 ...
    damaged: bool = False  # some bytes were not in the encoding (each became U+FFFD)


class Record(NamedTuple):
    """One record of the file: the physical line it starts on, its values, and why it
    cannot be used when the file damaged it (then ``values`` may be empty)."""

    line: int
    values: list[str]
    problem: str = ""


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, at most ``max_bytes`` of them: never more is read, also from a
    file whose size says nothing (a pipe, a device, a file still growing)."""
    try:
        with path.open("rb") as file:
            if os.fstat(file.fileno()).st_size > max_bytes:
                raise _too_large(max_bytes)
            data = file.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableFile(
            _("Cannot read {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _too_large(max_bytes: int) -> UnreadableFile:
    if max_bytes < 1024 * 1024:
        return UnreadableFile(_("The file is larger than {n} kB.").format(n=max_bytes // 1024))
    return UnreadableFile(_("The file is larger than {n} MB.").format(n=max_bytes // 1024 // 1024))


def read_text(path: Path, max_bytes: int) -> str:
    """A whole file as one text (a script, say), decoded as the importers' files are, its
    line breaks made \\n; a file with a NUL byte or bytes not in its encoding is refused,
    never half-read."""
    decoded = decode(read_bytes(path, max_bytes))
    if "\x00" in decoded.text:
        raise UnreadableFile(_("The file holds a NUL byte: it is not a text file."))
    if decoded.damaged:
        raise UnreadableFile(
            _("The file holds bytes that are not {encoding} text.").format(
                encoding=decoded.encoding
            )
        )
    return _BREAK.sub("\n", decoded.text)


def echoed(value: str, limit: int = ECHOED) -> str:
    """As much of a bad value as a message quotes (a row's 10 MB value is not echoed)."""
    return value if len(value) <= limit else value[:limit] + "…"


def decode(data: bytes, code_pages: Sequence[str] = GUESSED) -> Decoded:
    """The text of ``data``; ``code_pages`` are tried when it is not UTF (the first one
    alone, or the one whose decoding looks most like words)."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            return _decoded(data[len(bom) :], codec, name)
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(
            _("This is a zip or an Excel workbook: save it as CSV or Unicode text.")
        )
    bare = _utf16_without_bom(data[:SAMPLE])
    if bare:
        return _decoded(data, bare, bare)
    sample = data[:SAMPLE]
    if (len(sample) - len(sample.translate(None, CONTROL_BYTES))) * 10 > len(sample):
        raise UnreadableFile(_("This is not a text file (it is mostly control bytes)."))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    encoding = code_pages[0] if len(code_pages) == 1 else _guess(data, code_pages)
    return _decoded(data, encoding, encoding)


def _decoded(data: bytes, codec: str, name: str) -> Decoded:
    try:
        return Decoded(data.decode(codec), name)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, errors="replace"), name, damaged=True)


def _utf16_without_bom(sample: bytes) -> str:
    """UTF-16 of Latin text: NUL in most of every other byte (not under č, ř ...), and
    hardly any in the others."""
    half = len(sample) // 2
    if half < 2:
        return ""
    even, odd = sample[0 : 2 * half : 2].count(0), sample[1 : 2 * half : 2].count(0)
    if odd * 10 >= half * 7 and even * 20 <= half:
        return "utf-16-le"
    if even * 10 >= half * 7 and odd * 20 <= half:
        return "utf-16-be"
    return ""


def records(decoded: Decoded, delimiter: str) -> Iterator[Record]:
    """Every record that has a value (blank lines are skipped), with its physical line. A
    record longer than ``MAX_RECORD`` characters or of more than ``MAX_VALUES`` values
    comes back as a problem without being split (its pieces would fill the memory)."""
    text = decoded.text
    marks = [mark for mark in ("\x00", "\ufffd") if mark in text]
    if not decoded.damaged and "\ufffd" in marks:
        marks.remove("\ufffd")  # the file's own character, not a decoding's stand-in
    where = [0, 0]  # the offset the lines have reached, where the record being read starts
    reader = csv.reader(_lines(text, where), delimiter=delimiter)
    done = 0  # lines before the reader's first
    while True:
        start, line = where[0], done + reader.line_num + 1
        where[1] = start
        try:
            values = next(reader)
        except StopIteration:
            return
        except (csv.Error, _TooLong) as error:
            # The reader gave up inside the record: a fresh one starts after its end.
            where[0] = _record_end(text, start, delimiter)
            done = line - 1 + _breaks(text, start, where[0])
            reader = csv.reader(_lines(text, where), delimiter=delimiter)
            problem = _read_error(error, text, (start, where[0]), delimiter)
            yield Record(line, [], problem)
            continue
        if len(values) > MAX_VALUES:
            problem = _("{n} values in this row, at most {limit}")
            yield Record(line, [], problem.format(n=len(values), limit=MAX_VALUES))
            continue
        problem = _marked(text[start : where[0]], marks, decoded.encoding) if marks else ""
        if problem or "".join(values).strip():
            yield Record(line, values, problem)


class _TooLong(Exception):
    """The record goes on past ``MAX_RECORD`` characters."""


def _marked(record: str, marks: list[str], encoding: str) -> str:
    if "\x00" in marks and "\x00" in record:
        return _("a NUL byte in this row (the file is damaged here)")
    if "\ufffd" in marks and "\ufffd" in record:
        return _("bytes in this row that are not {encoding} text").format(encoding=encoding)
    return ""


def _read_error(error: Exception, text: str, record: tuple[int, int], delimiter: str) -> str:
    if "field limit" in str(error) or (
        isinstance(error, _TooLong) and _long_value(delimiter).search(text, *record)
    ):
        return _("a value in this row is longer than {n} characters").format(n=FIELD_LIMIT)
    if isinstance(error, _TooLong):
        return _("this row is longer than {n} characters").format(n=MAX_RECORD)
    return _("this row cannot be read: {reason}").format(reason=error)


def _long_value(delimiter: str) -> re.Pattern[str]:
    """A value longer than the field limit: a run without a delimiter or a line break that
    starts after one (so each run is scanned once)."""
    stops = re.escape(delimiter) + r"\r\n"
    return re.compile(f"(?<![^{stops}])[^{stops}]{{{FIELD_LIMIT + 1}}}")


def _lines(text: str, where: list[int]) -> Iterator[str]:
    """The text's physical lines from ``where[0]`` on, each ending at \\r\\n, \\r or \\n
    (as the csv module wants them); ``where[0]`` follows the lines handed out. A line that
    takes the record begun at ``where[1]`` past ``MAX_RECORD`` raises ``_TooLong``."""
    find, size, pos = text.find, len(text), where[0]
    while pos < size:
        newline = find("\n", pos)
        end = size if newline < 0 else newline + 1
        alone = find("\r", pos, end - 2 if newline >= 0 else size)  # a \r not before \n
        if alone >= 0:
            end = alone + 1
        if end - where[1] > MAX_RECORD:
            raise _TooLong
        where[0] = end
        yield text[pos:end]
        pos = end


def _breaks(text: str, start: int, end: int) -> int:
    breaks = text.count("\n", start, end) + text.count("\r", start, end)
    return breaks - text.count("\r\n", start, end)


def _record_end(text: str, pos: int, delimiter: str) -> int:
    """Where the record beginning at ``pos`` ends, by the csv module's rules: a value is
    quoted when its first character is a quote, and then holds delimiters and line breaks
    up to its closing quote (a doubled quote is a quote)."""
    start = pos
    while True:
        stop = _QUOTE_OR_BREAK.search(text, pos)
        if stop is None:
            return len(text)
        at = stop.start()
        if text[at] != '"':
            return _BREAK.match(text, at).end()  # type: ignore[union-attr]
        opens = at == start or text[at - 1] == delimiter  # else a quote inside a value
        pos = _closing_quote(text, at + 1) if opens else at + 1


def _closing_quote(text: str, pos: int) -> int:
    """The position after the quote that closes a quoted value (the end when none does)."""
    while True:
        quote = text.find('"', pos)
        if quote < 0:
            return len(text)
        if text.startswith('""', quote):
            pos = quote + 2
            continue
        return quote + 1


# -- telling 8-bit code pages apart ---------------------------------------------------

CZECH_SLOVAK = set("áčďéěíňóřšťúůýžäĺľôŕÁČĎÉĚÍŇÓŘŠŤÚŮÝŽÄĹĽÔŔ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
WORD = re.compile(r"[^\W\d_]+")
NON_ASCII_LINE = re.compile(rb"[^\n]*[\x80-\xff][^\n]*")


def _guess(data: bytes, code_pages: Sequence[str]) -> str:
    # charset-normalizer reads ISO-8859-2 Slovak (Ť, Ľ, Ž at 0xAB, 0xA5, 0xAE) as cp1250
    # symbols; with a few candidates, counting the letters each decodes to is surer.
    # The lines with non-ASCII bytes decide (the first few thousand are plenty).
    sample = b"\n".join(match.group() for match in islice(NON_ASCII_LINE.finditer(data), 4000))
    scored = [(_score(sample.decode(page, errors="replace")), page) for page in code_pages]
    score, encoding = max(scored, key=lambda item: item[0])
    if score < 0:
        names = ", ".join(code_pages)
        raise UnreadableFile(
            _("Unknown encoding: not UTF-8, UTF-16 or {names}.").format(names=names)
        )
    return encoding


def _score(text: str) -> int:
    """How much a decoding looks like Czech, Slovak or Russian words: a word of Cyrillic
    letters, or of Latin letters with Czech or Slovak accents among plain ones, counts for
    it; Cyrillic inside a Latin word, a word of accented letters only, control characters
    and stray symbols count against it (what the wrong code page makes of the right one)."""
    good = bad = 0
    for word in WORD.findall(text):
        plain = sum(char.isascii() for char in word)
        if plain == len(word):
            continue
        cyrillic = len(CYRILLIC.findall(word))
        if cyrillic == len(word):
            good += 1
        elif cyrillic or (plain == 0 and len(word) >= 3):
            bad += 1
        elif all(char.isascii() or char in CZECH_SLOVAK for char in word):
            good += 1
        else:
            bad += 1
    noise = sum(1 for char in text if "\x80" <= char <= "\x9f" or char in "\ufffd©®«»¤¦§¨")
    return good - 2 * bad - 3 * noise
