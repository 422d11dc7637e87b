"""Where a live call can be handed on: the terminal's transfer targets ("Team lead=200,
Billing=301" in its settings: a name and an extension or a whole SIP URI, in order,
digits 1-9) and the SIP URI an extension is reached at. Blind transfer only: baresip
1.0's ctrl_tcp has ``transfer URI`` (a REFER; the customer's phone calls the target
itself) and no attended transfer (no consultation call joined by Replaces). No I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

_EXTENSION = re.compile(r"[0-9A-Za-z_.+*#-]{1,16}")
_URI = re.compile(r"sips?:[0-9A-Za-z_.+*#-]{1,64}@[0-9A-Za-z.:\[\]-]{1,200}")
MAX_TARGETS = 9
MAX_NAME = 40


@dataclass(frozen=True)
class TransferTarget:
    name: str
    extension: str
    key: str  # its digit in the picker


def read_targets(text: str) -> tuple[tuple[TransferTarget, ...], tuple[str, ...]]:
    """Every target of ``Name=extension`` pairs separated by commas or semicolons, and
    the parts that are not one (no ``=``, no name, a bad extension), as typed."""
    found: list[TransferTarget] = []
    bad: list[str] = []
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        name, sign, extension = part.partition("=")
        name, extension = name.strip()[:MAX_NAME], extension.strip()
        if sign and name and (_EXTENSION.fullmatch(extension) or _URI.fullmatch(extension)):
            found.append(TransferTarget(name, extension, str(len(found) + 1)))
        else:
            bad.append(part.strip())
    return tuple(found), tuple(bad)


def transfer_targets(text: str) -> tuple[TransferTarget, ...]:
    """The first nine targets of ``text`` (a digit each); a part that is not one is left
    out (F10's phone form refuses it by name; the environment's is read as it is)."""
    return read_targets(text)[0][:MAX_TARGETS]


def extension_uri(extension: str, gateway: str, softphone: str) -> str:
    """``sip:EXT@GATEWAY`` (a target given as a URI stays as it is); with no gateway, at
    the softphone's host."""
    if _URI.fullmatch(extension):
        return extension
    host = gateway.strip() or softphone.rpartition(":")[0] or "127.0.0.1"
    return f"sip:{extension}@{host}"
