"""The demo floor from the command line: where its database is, and building it (the
accounts printed and kept in a 0600 file beside the database, with callers to try)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from cc_terminal.config import DEMO_ACCOUNTS, Settings, demo_accounts_file
from cc_terminal.i18n import ENGLISH, LANGUAGE_NAMES, _, ngettext, pgettext


def demo_url(settings: Settings, reset: bool) -> str:
    path = settings.data_dir / "demo.sqlite3"
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.with_name(DEMO_ACCOUNTS).unlink(missing_ok=True)
    return f"sqlite:///{path}"


def build_demo(ws: object, customers: int, seed: int, settings: Settings) -> None:
    from cc_terminal.services.demo.callers import callers_to_try
    from cc_terminal.services.demo.floor import build_demo_floor

    typer.echo(
        ngettext(
            "Building the demo floor with {n} customer…",
            "Building the demo floor with {n} customers…",
            customers,
        ).format(n=customers)
    )
    accounts = build_demo_floor(ws, customers=customers, seed=seed)  # type: ignore[arg-type]
    typer.echo(_("Demo accounts:"))
    lines = [
        f"  {_role_word(account.role):<9} {account.username:<10} {account.password}"
        for account in accounts
    ]
    lines += ["", _("Callers to try (type the number on F2, then Enter):")]
    lines += [caller.line for caller in callers_to_try(ws, seed)]  # type: ignore[arg-type]
    for line in lines:
        typer.echo(line)
    path = demo_accounts_file(settings)
    if path is not None:
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write("\n".join(lines) + "\n")
        os.chmod(path, 0o600)


def language_line(language: str) -> str:
    """What the demo speaks and how to switch it: a newcomer may not share the system's."""
    other = ENGLISH if language != ENGLISH else "cs"
    return _(
        "Language: {language}. For {other_name}: cc-terminal --lang {other} demo (or "
        "CC_TERMINAL_LANG={other}); each person picks their own with F10 (a team lead: J "
        "on Setup)."
    ).format(
        language=LANGUAGE_NAMES.get(language, language),
        other_name=LANGUAGE_NAMES[other],
        other=other,
    )


def _role_word(role: str) -> str:
    """The role in one word: the accounts file is read a line at a time, the password third."""
    return (
        pgettext("role, one word", "lead")
        if role == "lead"
        else pgettext("role, one word", "operator")
    )
