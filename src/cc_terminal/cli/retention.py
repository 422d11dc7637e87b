"""``cc-terminal retention``: how long the floor keeps each kind of personal data, and
the erasure of what is older, for cron (the workstation also runs it once a day)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import AsLead, PasswordStdin, fail, open_as_lead, reported_errors
from cc_terminal.config import Settings
from cc_terminal.i18n import _

if TYPE_CHECKING:
    from cc_terminal.services.privacy.retention import RetentionSetting

retention_cli = CommandLine(help=_("How long personal data is kept (team leads)."))

DaysOption = Annotated[int | None, typer.Option(help=_("Days to keep it."))]


def _echo_settings(settings: list[RetentionSetting]) -> None:
    for setting in settings:
        held = _("erased daily") if setting.held else _("nothing held yet")
        typer.echo(
            _("  {label:<26} {days:>5} days (default {default}), {held}").format(
                label=setting.label, days=setting.days, default=setting.default_days, held=held
            )
        )


@retention_cli.command(
    "show", help=_("The days each kind of personal data is kept, and when it was last erased.")
)
def retention_show(ctx: typer.Context) -> None:
    from zoneinfo import ZoneInfo

    from cc_terminal.services.workstation import open_workstation

    settings: Settings = ctx.obj
    with reported_errors():
        ws = open_workstation(settings)
        try:
            kept, last = ws.retention.settings(), ws.retention.last_run()
        finally:
            ws.close()
    _echo_settings(kept)
    when = last.astimezone(ZoneInfo(settings.timezone)).strftime("%d.%m.%Y %H:%M") if last else "—"
    typer.echo(_("Last erased: {when}").format(when=when))


@retention_cli.command(
    "set", help=_("Change the days of the kinds given (30 to 3650); audited, for every terminal.")
)
def retention_set(
    ctx: typer.Context,
    notes: DaysOption = None,
    chat: DaysOption = None,
    letters: DaysOption = None,
    recordings: DaysOption = None,
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    typed = {
        kind: days
        for kind, days in (
            ("notes", notes),
            ("chat", chat),
            ("letters", letters),
            ("recordings", recordings),
        )
        if days is not None
    }
    if not typed:
        raise fail(
            _("Give the days of at least one kind: --notes, --chat, --letters, --recordings.")
        )
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        kept = ws.retention.set_days(lead, typed)
    _echo_settings(kept)


@retention_cli.command(
    "run",
    help=_(
        "Erase now what is older than its days (audited); running it again erases nothing twice."
    ),
)
def retention_run(
    ctx: typer.Context, as_lead: AsLead = "lead", password_stdin: PasswordStdin = False
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        done = ws.retention.run(lead)
    typer.echo(_("Erased: {summary}.").format(summary=done.summary()))
