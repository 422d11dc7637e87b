"""Reading the members of a zip someone handed in, without trusting it: the sizes its
directory declares are checked before anything is unpacked (each member, all of them
together, and how much each grows: a 1 MB zip of one 1 GiB member is a bomb, not a
register), and a member is unpacked in chunks that stop at its declared size (the zip
module never gives more), so the memory never holds more than one member within its cap.
A member damaged in the zip (a bad CRC, broken deflate data, an encryption or a method
the zip module does not know) is one clear ``UnreadableFile`` naming it."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from cc_terminal.i18n import _
from cc_terminal.services.common.text_files import UnreadableFile

MB = 1024 * 1024
CHUNK = MB


@dataclass(frozen=True)
class Caps:
    """How much a zip may unpack to."""

    member: int  # bytes of one member
    total: int  # bytes of every member read, in all the files of one import
    ratio: int  # how many times a member may grow from its packed size ...
    ratio_from: int = MB  # ... once it unpacks to more than this
    members: int = 20_000  # entries in the zip's directory (each costs memory to list)


# What reading a member can raise when the zip is damaged or strange: the zip module's own
# error, the decompressors' (zlib, lzma; bzip2 raises OSError), a member cut short
# (EOFError), an unknown method (NotImplementedError), an encrypted member (RuntimeError)
# and a bad header field (ValueError).
DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)


def is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False  # read as a plain file, which says why it cannot be


def checked_members(path: Path, suffixes: tuple[str, ...], caps: Caps) -> list[zipfile.ZipInfo]:
    """The members named ``*suffix``, sorted, once their declared sizes pass ``caps`` (the
    total is checked by the caller over every file); else one line says what is wrong."""
    wanted = sorted(
        (
            info
            for info in _listed(path, caps)
            if not info.is_dir() and info.filename.lower().endswith(suffixes)
        ),
        key=lambda info: info.filename,
    )
    for info in wanted:
        _check(path, info, caps)
    return wanted


def _listed(path: Path, caps: Caps) -> list[zipfile.ZipInfo]:
    try:
        entries = declared_entries(path)
        if entries <= caps.members:
            with zipfile.ZipFile(path) as archive:
                return archive.infolist()
    except DAMAGE as error:
        message = _("{file}: not a readable zip ({reason}).")
        raise UnreadableFile(message.format(file=path.name, reason=error)) from error
    message = _("{file}: too many entries in the zip ({n}; at most {limit}).")
    raise UnreadableFile(message.format(file=path.name, n=entries, limit=caps.members))


END = b"PK\x05\x06"  # the end of the central directory, 22 bytes and a comment
END64 = b"PK\x06\x06"  # ZIP64's end record, which the locator before END points to


def declared_entries(path: Path) -> int:
    """How many entries the zip's directory declares, read from its end record before the
    zip module lists them all (a directory of millions of empty entries fills memory)."""
    with path.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(0, size - 22 - 65535))
        tail = file.read()
        at = tail.rfind(END)
        if at < 0 or len(tail) < at + 22:
            return 0  # the zip module says what is wrong
        entries = int.from_bytes(tail[at + 10 : at + 12], "little")
        if entries != 0xFFFF or at < 20:
            return entries
        locator = tail[at - 20 : at]
        file.seek(int.from_bytes(locator[8:16], "little"))
        record = file.read(56)
    return int.from_bytes(record[32:40], "little") if record.startswith(END64) else entries


def _check(path: Path, info: zipfile.ZipInfo, caps: Caps) -> None:
    if info.file_size > caps.member:
        message = _("{file}: {member} unpacks to {size} MB, more than {limit} MB.")
        raise UnreadableFile(
            message.format(
                file=path.name,
                member=info.filename,
                size=info.file_size // MB,
                limit=caps.member // MB,
            )
        )
    if info.file_size > caps.ratio_from and info.file_size > caps.ratio * info.compress_size:
        message = _(
            "{file}: {member} unpacks to {times} times its packed size, more than {limit} "
            "(a zip bomb?)."
        )
        raise UnreadableFile(
            message.format(
                file=path.name,
                member=info.filename,
                times=info.file_size // max(info.compress_size, 1),
                limit=caps.ratio,
            )
        )


def member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, caps: Caps) -> bytes:
    """The member unpacked, in chunks and never past its cap; a damaged member raises."""
    data = bytearray()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                data += chunk
                if len(data) > caps.member or len(data) > info.file_size:
                    raise zipfile.BadZipFile(_("it unpacks to more than it declares"))
    except DAMAGE as error:
        message = _("{member}: damaged in the zip ({reason}).")
        raise UnreadableFile(message.format(member=info.filename, reason=error)) from error
    return bytes(data)
