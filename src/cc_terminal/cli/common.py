"""What every command shares: one line per failure, passwords, signing in as a team lead.
Nothing heavy is imported here."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation


def fail(message: str) -> typer.Exit:
    typer.echo(f"cc-terminal: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn every expected failure into one clear line on stderr and exit status 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from cc_terminal.services.common.errors import ServiceError
    from cc_terminal.store.errors import StoreError

    try:
        yield
    except (StoreError, ServiceError) as error:
        raise fail(str(error)) from None
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise fail(_("database error: {detail}").format(detail=detail)) from None
    except OSError as error:
        raise fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": ")) from None


def parse_day(text: str | None) -> date | None:
    """A day as typed (1.12.2026 or 2026-12-01), None when left out; else one clear line."""
    if not text:
        return None
    from cc_terminal.services.common.typed_dates import parse_date

    try:
        return parse_date(text)
    except ValueError:
        raise fail(
            _("{text} is not a date: write 1.12.2026 or 2026-12-01.").format(text=text)
        ) from None


def read_password(prompt: str, from_stdin: bool, confirm: bool = False) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise fail(_("expected a password on standard input"))
        return line.rstrip("\r\n")
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)


PasswordStdin = Annotated[
    bool,
    typer.Option("--password-stdin", help=_("Read password(s) from standard input, one a line.")),
]


AsLead = Annotated[str, typer.Option("--as", help=_("User name of the lead doing it."))]


@contextmanager
def open_as_lead(
    settings: Settings, username: str, password_stdin: bool
) -> Iterator[tuple[Workstation, Actor]]:
    """The services, with the team lead who authorises the command signed in."""
    from cc_terminal.services.workstation import open_workstation

    ws = open_workstation(settings)
    try:
        password = read_password(_("Password of {u}").format(u=username), password_stdin)
        yield ws, ws.auth.login(username, password)
    finally:
        ws.close()
