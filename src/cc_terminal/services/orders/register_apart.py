"""A large import's files read in a process of its own (issue 29), on a machine with a
core to spare: reading and checking the country's 3,000,000 points is about 15 s of one
core, and writing them about as much, so the importing process writes one part while the
other process reads the next. On 2 cores it is not done: there the other core is the
floor's (a sign-in, the database server, the operators' terminals on one host), and the
parts' passage costs some 4 s of CPU more in all. Measured (bench/results/register-apart.md):
alone on 2 cores SQLite's import took 28.4-28.6 s against 36 s; beside the bench's
sign-ins on another process 39.9-40.1 s against 35.1 s.

The points come back in the files' order, exactly as register_reading.read_files gives
them in this process. The reading process opens each zip once and sends parts of about
``PART_POINTS`` points through a pipe: it reads the next part while the last one waits
to be taken, and no further, so memory stays bounded. A part goes as ``marshal``'s
version 2 (plain values, no references between them): pickle's bookkeeping of every
string it writes cost the reading process 3 us a point, this about 1 us, and it is read
back as fast; both ends are this program on the same interpreter, as marshal asks.

The process is started fresh (``spawn``: the importing process runs threads, which a
fork would copy mid-step) in the terminal's language, for the rejected rows' lines. If it
dies (even in the middle of a part) the pipe ends and the import stops with one message,
the register as it was; if the import stops first, the process is ended."""

from __future__ import annotations

import contextlib
import marshal
import multiprocessing
import os
import pickle
from collections.abc import Iterator
from multiprocessing.connection import Connection

from cc_terminal.i18n import _, current_language, set_language
from cc_terminal.services.common.errors import ValidationFailed
from cc_terminal.services.orders.register_reading import FileRead, Plan, read_files

APART_BYTES = 64 * 1024 * 1024  # smaller imports are read in the importing process
APART_CORES = 3  # cores this process may run on, at least, to read apart
PART_POINTS = 30_000  # points sent at once (a file's are never split)
MARSHAL_VERSION = 2
PART, FAILED = b"P", b"F"  # what a message holds; an empty one is the end


def read_in_order(plan: Plan, unpacked: int) -> Iterator[FileRead]:
    """The planned files read in order: in another process when they unpack to at least
    ``APART_BYTES`` and this process may run on ``APART_CORES`` cores, else here."""
    if unpacked < APART_BYTES or _cores() < APART_CORES:
        yield from read_files(plan)
        return
    context = multiprocessing.get_context("spawn")
    taking, sending = context.Pipe(duplex=False)
    reader = context.Process(
        target=_send_parts,
        args=(plan, current_language(), sending, PART_POINTS),
        name="register-reader",
    )
    reader.start()
    sending.close()  # the reader's end only: its death ends the pipe
    try:
        while (part := _next_part(taking)) is not None:
            yield from part
    finally:
        taking.close()
        reader.kill()  # gone already when it sent the end
        reader.join()


def _cores() -> int:
    """The cores this process may run on (all of them where the system cannot say)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _send_parts(plan: Plan, language: str, sending: Connection, part_points: int) -> None:
    """The reading process: every file read, sent in parts, then the end; or what stopped
    it (sent, never printed: its error output is the terminal's screen)."""
    try:
        set_language(language)
        part: list[FileRead] = []
        points = 0
        for read in read_files(plan):
            part.append(read)
            points += len(read[1])
            if points >= part_points:
                sending.send_bytes(PART + marshal.dumps(part, MARSHAL_VERSION))
                part, points = [], 0
        if part:
            sending.send_bytes(PART + marshal.dumps(part, MARSHAL_VERSION))
        sending.send_bytes(b"")
    except BaseException as error:  # the importing process raises it
        _send_failure(sending, error)
    finally:
        sending.close()


def _send_failure(sending: Connection, error: BaseException) -> None:
    try:
        sent = pickle.dumps(error)
    except Exception:  # an error that cannot travel is told by its text
        sent = pickle.dumps(RuntimeError(repr(error)))
    with contextlib.suppress(OSError):  # the importing process ended the import first
        sending.send_bytes(FAILED + sent)


def _next_part(taking: Connection) -> list[FileRead] | None:
    """The next part sent, None at the end; what stopped the reader is raised here."""
    try:
        sent = taking.recv_bytes()
    except EOFError:
        message = _(
            "The process reading the register's files stopped before the end; "
            "the register is as it was."
        )
        raise ValidationFailed({"file": message}) from None
    kind, body = sent[:1], sent[1:]
    if kind == FAILED:
        raise pickle.loads(body)
    return marshal.loads(body) if kind == PART else None
