"""``cc-terminal addresses import``: the state's address register (RÚIAN), one
municipality's CSV, many, or the zip of all of them, with a progress line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, open_as_lead, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.orders.address_register import RegisterReport

addresses_cli = CommandLine(help=_("The address register (RÚIAN) for exact addresses."))


@addresses_cli.command(
    "import",
    help=_(
        "Import address points; a municipality imported again is replaced in one transaction, and "
        "every broken row is listed with its file and line. Exit status 1 when nothing was stored:"
        " one line says why (a zip too large or a bomb), or the list does."
    ),
)
def addresses_import(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help=_("YYYYMMDD_OB_<code>_ADR.csv files, or their zip."))
    ],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from rich.console import Console

    settings: Settings = ctx.obj
    console = Console(stderr=True)
    with (
        reported_errors(),
        open_as_lead(settings, as_lead, password_stdin) as (ws, lead),
        console.status(_("Reading the register…")) as status,
    ):

        def progress(points: int, name: str) -> None:
            status.update(_("{n:,} points stored; {file}").format(n=points, file=name))

        report = ws.register.import_files(lead, files, progress)
    said = _(
        "Files: {files}; address points: {points} in municipalities: {towns}; rows rejected: {bad}."
    )
    counts = (report.files, report.points, report.municipalities, len(report.rejected))
    typer.echo(said.format(**dict(zip(("files", "points", "towns", "bad"), counts, strict=True))))
    for line in report.rejected:
        typer.echo("  " + line)
    if not report.points:
        raise typer.Exit(1)


def _summary(report: RegisterReport) -> str:
    said = _(
        "Files: {files}; address points: {points} in municipalities: {towns}; rows rejected: {bad}."
    )
    return said.format(
        files=report.files,
        points=report.points,
        towns=report.municipalities,
        bad=len(report.rejected),
    )
