"""``cc-terminal floor …`` and ``cc-terminal sync``: setting up a floor folder and syncing
from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, fail, read_password, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.floor.trust import FloorMade
    from cc_terminal.services.workstation import Workstation
    from cc_terminal.sync.engine import FloorSync, SyncState

floor_cli = CommandLine(
    help=_("Floor folder sync: create, join, upgrade, recover, snapshot, status.")
)

FolderArgument = Annotated[Path, typer.Argument(help=_("The floor folder on the share."))]


def _with_floor(settings: Settings, folder: Path | None) -> Settings:
    from dataclasses import replace

    folder = folder or settings.sync_dir
    if folder is None:
        raise fail(_("no floor folder: give --sync-dir PATH or set CC_TERMINAL_SYNC_DIR"))
    return replace(settings, sync_dir=folder)


@contextmanager
def _on_floor(settings: Settings) -> Iterator[tuple[Workstation, FloorSync]]:
    """The workstation and its floor sync, closed afterwards; one line when it has none."""
    from cc_terminal.services.workstation import open_workstation

    ws = open_workstation(settings)
    try:
        if ws.floor is None:
            raise fail(ws.floor_problem or _("this terminal is not on a floor"))
        yield ws, ws.floor
    finally:
        ws.close()


@contextmanager
def _as_lead(
    settings: Settings, username: str, password_stdin: bool
) -> Iterator[tuple[Workstation, Actor, str]]:
    """The workstation with the team lead signed in, and the password typed (it seals the
    lead's key when the lead has none yet)."""
    from cc_terminal.services.workstation import open_workstation

    ws = open_workstation(settings)
    try:
        password = read_password(_("Password of {u}").format(u=username), password_stdin)
        yield ws, ws.auth.login(username, password), password
    finally:
        ws.close()


@floor_cli.command(
    "create",
    help=_(
        "Make a new floor folder whose root of trust is this team lead's key; prints the floor key"
        " the other terminals join with, and the recovery key (once)."
    ),
)
def floor_create(
    ctx: typer.Context,
    folder: FolderArgument,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    from dataclasses import replace

    from cc_terminal.services.floor import trust as floor_trust

    settings = replace(ctx.obj, sync_dir=None)  # this terminal is not on the floor yet
    with reported_errors(), _as_lead(settings, as_lead, password_stdin) as (ws, lead, password):
        made = floor_trust.create(ws, lead, password, folder)
    typer.echo(_("Created the floor folder {path}.").format(path=folder))
    typer.echo(_("Floor key (give it only to the terminals of this floor):"))
    typer.echo(f"  {made.key.as_text()}")
    typer.echo(
        _("On each other terminal: cc-terminal floor join {path} --key-stdin").format(path=folder)
    )
    _echo_made(made)


def _echo_made(made: FloorMade) -> None:
    typer.echo(_("Recovery key (print it and keep it in a safe; it is shown only now):"))
    typer.echo(f"  {made.recovery}")
    for name in made.keyless:
        typer.echo(
            _("{u} has no signing key yet: reset the password (cc-terminal user reset {u})").format(
                u=name
            )
        )
    if made.handed:
        typer.echo(_("Temporary passwords (each is changed at its first sign-in):"))
    for handed in made.handed:
        typer.echo(f"  {handed.username:<12} {handed.password}")


@floor_cli.command(
    "upgrade",
    help=_(
        "Start the signed, sealed epoch of a floor from before signing. Every terminal syncs "
        "first; afterwards each joins again with the new floor key, and every other account signs "
        "in with the temporary password printed here."
    ),
)
def floor_upgrade(
    ctx: typer.Context, as_lead: AsLead = "lead", password_stdin: PasswordStdin = False
) -> None:
    from cc_terminal.services.floor import trust as floor_trust

    settings = _with_floor(ctx.obj, None)
    with reported_errors():
        with _on_floor(settings) as (_ws, floor):
            pending = floor.round().pending
        if pending:
            raise fail(
                _("{n} changes of this terminal are not shared yet; sync until none are").format(
                    n=pending
                )
            )
        with _as_lead(settings, as_lead, password_stdin) as (ws, lead, password):
            made = floor_trust.upgrade(ws, lead, password)
        with _on_floor(settings) as (_ws, floor):
            floor.round()
    typer.echo(_("The floor in {path} is signed and sealed now.").format(path=settings.sync_dir))
    typer.echo(_("New floor key (every other terminal runs 'floor join' with it):"))
    typer.echo(f"  {made.key.as_text()}")
    _echo_made(made)


@floor_cli.command(
    "recover",
    help=_(
        "A team lead's lost or stolen password: with the floor's recovery key, a new password "
        "(changed at the next sign-in) and a new signing key; the old key is revoked."
    ),
)
def floor_recover(
    ctx: typer.Context,
    as_lead: AsLead = "lead",
    recovery_stdin: Annotated[
        bool,
        typer.Option(help=_("Read the recovery key, then the new password, from stdin.")),
    ] = False,
) -> None:
    from cc_terminal.services.floor import trust as floor_trust

    settings = _with_floor(ctx.obj, None)
    if recovery_stdin:
        recovery, password = sys.stdin.readline(), read_password("", True)
    else:
        recovery = typer.prompt(_("Recovery key"), hide_input=True)
        password = read_password(_("New password for {u}").format(u=as_lead), False, True)
    with reported_errors(), _on_floor(settings) as (ws, floor):
        floor_trust.recover(ws, as_lead, recovery, password)
        floor.round()
    typer.echo(
        _("{u} has a new password and key; the old key is revoked on the floor.").format(u=as_lead)
    )


@floor_cli.command(
    "join",
    help=_(
        "Keep the floor's key on this terminal; a terminal without a store starts from the floor's"
        " newest snapshot. Then run one sync round."
    ),
)
def floor_join(
    ctx: typer.Context,
    folder: FolderArgument,
    key_stdin: Annotated[bool, typer.Option(help=_("Read the floor key from stdin."))] = False,
) -> None:
    from cc_terminal.sync.floor import FloorKey
    from cc_terminal.sync.floor_record import join_floor

    settings = _with_floor(ctx.obj, folder)
    text = sys.stdin.readline() if key_stdin else typer.prompt(_("Floor key"), hide_input=True)
    with reported_errors():
        join_floor(folder, settings.data_dir, FloorKey.from_text(text))
        with _on_floor(settings) as (_ws, floor):
            state = floor.round()
    typer.echo(
        _("Joined the floor in {path} as terminal {id}.").format(path=folder, id=state.terminal)
    )
    _echo_state(state, settings)


@floor_cli.command(
    "rejoin",
    help=_(
        "After 'another terminal is publishing with this terminal's id': take a new id and share "
        "every change of this terminal again under it."
    ),
)
def floor_rejoin(ctx: typer.Context) -> None:
    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (_ws, floor):
        new_id = floor.rejoin()
    typer.echo(_("This terminal is now {id} on the floor.").format(id=new_id))


@floor_cli.command(
    "snapshot", help=_("Publish a snapshot of this terminal's store for terminals that join later.")
)
def floor_snapshot(ctx: typer.Context) -> None:
    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (_ws, floor):
        floor.round()
        info = floor.snapshot()
    typer.echo(_("Published {name}.").format(name=info.path.name))


@floor_cli.command(
    "status",
    help=_("This terminal's state on the floor, the other terminals and what was set aside."),
)
def floor_status(ctx: typer.Context) -> None:
    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (_ws, floor):
        state = floor.state()
        report = floor.report()
    typer.echo(_("Terminal {id}").format(id=state.terminal))
    _echo_state(state, settings)
    for line in report:
        typer.echo(f"  {line}")


def sync_command(ctx: typer.Context) -> None:
    """Run one sync round with the floor folder (publish, then read the others)."""
    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (_ws, floor):
        state = floor.round()
    _echo_state(state, settings)
    if state.problem or state.stopped:
        raise typer.Exit(1)


def _echo_state(state: SyncState, settings: Settings) -> None:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.timezone)
    summary = state.summary(lambda moment: moment.astimezone(zone).strftime("%H:%M"))
    typer.echo(
        _("Shared {p} changes, applied {a}; {summary}.").format(
            p=state.published, a=state.applied, summary=summary
        )
    )
    for message in (state.problem, state.stopped):
        if message:
            typer.echo(f"cc-terminal: {message}", err=True)
