"""``cc-terminal floor …`` and ``cc-terminal sync``: setting up a floor folder and syncing
from the command line."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli_common import fail, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.workstation import Workstation
    from cc_terminal.sync.engine import FloorSync, SyncState

floor_cli = typer.Typer(help=_("Floor folder sync: create, join, snapshot, status."))

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


@floor_cli.command("create")
def floor_create(ctx: typer.Context, folder: FolderArgument) -> None:
    """Make a new floor folder; prints the floor key the other terminals join with."""
    from cc_terminal.sync.floor import create_floor

    settings: Settings = ctx.obj
    with reported_errors():
        key = create_floor(folder, settings.data_dir)
    typer.echo(_("Created the floor folder {path}.").format(path=folder))
    typer.echo(_("Floor key (give it only to the terminals of this floor):"))
    typer.echo(f"  {key.as_text()}")
    typer.echo(
        _("On each other terminal: cc-terminal floor join {path} --key-stdin").format(path=folder)
    )


@floor_cli.command("join")
def floor_join(
    ctx: typer.Context,
    folder: FolderArgument,
    key_stdin: Annotated[bool, typer.Option(help=_("Read the floor key from stdin."))] = False,
) -> None:
    """Keep the floor's key on this terminal; a terminal without a store starts from the
    floor's newest snapshot. Then run one sync round."""
    from cc_terminal.sync.floor import FloorKey, join_floor

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


@floor_cli.command("rejoin")
def floor_rejoin(ctx: typer.Context) -> None:
    """After 'another terminal is publishing with this terminal's id': take a new id and
    share every change of this terminal again under it."""
    from cc_terminal.sync.terminal import rejoin

    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (ws, _floor):
        new_id = rejoin(ws.db)
    typer.echo(_("This terminal is now {id} on the floor.").format(id=new_id))


@floor_cli.command("snapshot")
def floor_snapshot(ctx: typer.Context) -> None:
    """Publish a snapshot of this terminal's store for terminals that join later."""
    settings = _with_floor(ctx.obj, None)
    with reported_errors(), _on_floor(settings) as (_ws, floor):
        floor.round()
        info = floor.snapshot()
    typer.echo(_("Published {name}.").format(name=info.path.name))


@floor_cli.command("status")
def floor_status(ctx: typer.Context) -> None:
    """This terminal's state on the floor, the other terminals and what was set aside."""
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
