"""The ``cc-terminal`` command. Heavy modules are imported inside the commands that use them,
so that starting the workstation paints its first frame quickly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cc_terminal import __version__
from cc_terminal.cli.accounts import user_cli
from cc_terminal.cli.addresses import addresses_cli
from cc_terminal.cli.chat import chat_cli
from cc_terminal.cli.commands import CommandLine
from cc_terminal.cli.common import (
    AsLead,
    PasswordStdin,
    fail,
    open_as_lead,
    read_password,
    reported_errors,
)
from cc_terminal.cli.demo_floor import build_demo, demo_url, language_line
from cc_terminal.cli.floor import floor_cli, sync_command
from cc_terminal.cli.mail import mail_cli
from cc_terminal.cli.orders import orders_cli
from cc_terminal.cli.outbound import campaign_cli, leads_cli
from cc_terminal.cli.phone import phone_cli, ring
from cc_terminal.cli.privacy import audit_cli, customer_cli
from cc_terminal.cli.retention import retention_cli
from cc_terminal.cli.services import service_cli
from cc_terminal.config import DB_ENV, SYNC_DIR_ENV, Settings, demo_accounts_file
from cc_terminal.i18n import (
    LANGUAGE_ENV,
    _,
    current_language,
    ngettext,
    set_language,
    terminal_language,
)

cli = CommandLine(
    name="cc-terminal",
    help=_("Keyboard-only workstation for call-centre operators and team leads."),
    epilog=_(
        "Environment: CC_TERMINAL_DB (the database URL), CC_TERMINAL_DATA_DIR (the local "
        "data folder), CC_TERMINAL_SYNC_DIR (the floor folder), CC_TERMINAL_LANG (cs or en), "
        "CC_TERMINAL_REGION (the phone region, CZ by default), "
        "CC_TERMINAL_IDLE_LOCK_MINUTES (lock after that long idle), "
        "CC_TERMINAL_MAIL_IMAP_PASSWORD and CC_TERMINAL_MAIL_SMTP_PASSWORD (a mailbox's "
        "passwords for `mail mailbox add`, never an argument), "
        "CC_TERMINAL_PHONE_EXTENSION (this terminal's phone extension) and "
        "CC_TERMINAL_SOFTPHONE (its softphone's control address, 127.0.0.1:4444), "
        "CC_TERMINAL_SIP_GATEWAY (where dialled numbers go), CC_TERMINAL_TRANSFER_TO "
        "(transfer targets, Team lead=200), "
        "CC_TERMINAL_CURSOR_BLINK=0 (a steady cursor)."
    ),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_cli = CommandLine(help=_("Database maintenance."))
catalog_cli = CommandLine(help=_("The knowledge-base catalogue."))
lists_cli = CommandLine(
    help=_(
        "The configurable lists: call reasons and outcomes, refusal reasons, request "
        "categories, departments."
    )
)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
cli.add_typer(catalog_cli, name="catalog")
cli.add_typer(lists_cli, name="lists")
cli.add_typer(campaign_cli, name="campaign")
cli.add_typer(leads_cli, name="leads")
cli.add_typer(addresses_cli, name="addresses")
cli.add_typer(orders_cli, name="orders")
cli.add_typer(floor_cli, name="floor")
cli.add_typer(audit_cli, name="audit")
cli.add_typer(customer_cli, name="customer")
cli.add_typer(retention_cli, name="retention")
cli.add_typer(service_cli, name="service")
cli.add_typer(chat_cli, name="chat")
cli.add_typer(mail_cli, name="mail")
cli.add_typer(phone_cli, name="phone")
cli.command(
    "ring", help=_("Ring an extension, or say its call was answered or ended, as a phone would.")
)(ring)
cli.command(
    "sync", help=_("Run one sync round with the floor folder (publish, then read the others).")
)(sync_command)

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar=DB_ENV, help=_("Database URL: sqlite:///FILE or postgresql://…")),
]
SyncDirOption = Annotated[
    Path | None,
    typer.Option(
        "--sync-dir", envvar=SYNC_DIR_ENV, help=_("The floor folder on the share (floor mode).")
    ),
]
LanguageOption = Annotated[
    str | None,
    typer.Option(
        "--lang", envvar=LANGUAGE_ENV, help=_("The terminal's language: cs or en (the system's).")
    ),
]
DataDirOption = Annotated[
    Path | None, typer.Option("--data-dir", help=_("Folder for the local database and drafts."))
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cc-terminal {__version__}")
        raise typer.Exit()


@cli.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: DbOption = None,
    data_dir: DataDirOption = None,
    sync_dir: SyncDirOption = None,
    lang: LanguageOption = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version.")),
    ] = False,
) -> None:
    """Start the workstation (without a command), or run one of the commands below."""
    if lang:
        set_language(lang)
    ctx.obj = _settings(db, data_dir, sync_dir, lang)
    if ctx.invoked_subcommand is None:
        _run_app(ctx.obj)


def _settings(
    db: str | None, data_dir: Path | None, sync_dir: Path | None, lang: str | None = None
) -> Settings:
    extra: dict[str, object] = {"data_dir": data_dir} if data_dir else {}
    if lang:
        extra["language"] = terminal_language(lang)
    if sync_dir:
        extra["sync_dir"] = sync_dir
    return Settings.from_env(db, **extra)


def _open(settings: Settings):
    from cc_terminal.services.workstation import open_workstation

    return open_workstation(settings)


def _run_app(settings: Settings) -> None:
    # Nothing database-related is imported here: the app opens the store after its first frame.
    from cc_terminal.cli.start import run_workstation

    if run_workstation(settings):
        raise typer.Exit(1)


@cli.command(help=_("Create the database and the first team lead account."))
def init(
    ctx: typer.Context,
    username: Annotated[str, typer.Option(help=_("User name of the first lead."))] = "lead",
    full_name: Annotated[str, typer.Option(help=_("Full name of the first lead."))] = _(
        "Team Lead"
    ),
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors():
        ws = _open(settings)
        try:
            if ws.auth.has_accounts():
                raise fail(_("the database already has accounts; use 'user add'"))
            password = read_password(_("Password for {u}").format(u=username), password_stdin, True)
            ws.auth.create_operator(None, username, full_name, "lead", password)
        finally:
            ws.close()
    typer.echo(_("Created {url} with team lead '{u}'.").format(url=_safe_url(settings), u=username))


@cli.command(
    help=_("Build a demo floor (a lead, 5 operators, a catalogue, customers) and start on it.")
)
def demo(
    ctx: typer.Context,
    customers: Annotated[int, typer.Option(min=1, help=_("How many customers."))] = 5000,
    reset: Annotated[bool, typer.Option(help=_("Rebuild the demo database."))] = False,
    start: Annotated[bool, typer.Option(help=_("Start the workstation afterwards."))] = True,
    seed: Annotated[int, typer.Option(help=_("Seed for the generated data."))] = 7,
) -> None:
    settings: Settings = ctx.obj
    if settings.db_url is None:
        settings = Settings(**{**settings.__dict__, "db_url": demo_url(settings, reset)})
    with reported_errors():
        ws = _open(settings)
        try:
            if ws.auth.has_accounts():
                typer.echo(
                    _("Using the existing demo database {url}.").format(url=_safe_url(settings))
                )
            else:
                build_demo(ws, customers, seed, settings)
        finally:
            ws.close()
    accounts = demo_accounts_file(settings)
    if accounts is not None and accounts.exists():
        typer.echo(_("The demo accounts are in {path}.").format(path=accounts))
    typer.echo(language_line(current_language()))
    if start:
        if sys.stdin.isatty():  # the passwords stay readable until the newcomer is ready
            typer.prompt(_("Press Enter to start the workstation"), default="", show_default=False)
        _run_app(settings)


@db_cli.command("upgrade", help=_("Apply every pending migration."))
def db_upgrade(ctx: typer.Context) -> None:
    from cc_terminal.store import schema
    from cc_terminal.store.database import Database

    settings: Settings = ctx.obj
    with reported_errors():
        db = Database(settings.database_url)
        try:
            changed = schema.upgrade(db.engine)
        finally:
            db.dispose()
    message = _("Migrated to {rev}.") if changed else _("Already at {rev}.")
    typer.echo(message.format(rev=schema.HEAD_REVISION))


@db_cli.command(
    "copy",
    help=_("Copy this terminal's database to an empty server database and check the counts."),
)
def db_copy(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help=_("Target: postgresql://user@host/db"))],
) -> None:
    from cc_terminal.store.copy import copy_database
    from cc_terminal.store.database import Database

    settings: Settings = ctx.obj
    with reported_errors():
        source, target = Database(settings.database_url), Database(to)
        try:
            counts = copy_database(source, target, lambda t, n: typer.echo(f"  {t}: {n}"))
        finally:
            source.dispose()
            target.dispose()
    wrong = {name: pair for name, pair in counts.items() if pair[0] != pair[1]}
    for name, (have, got) in wrong.items():
        typer.echo(
            _("{t}: rows here {a}, on the server {b}").format(t=name, a=have, b=got), err=True
        )
    if wrong:
        raise typer.Exit(1)
    total = sum(pair[0] for pair in counts.values())
    typer.echo(
        _("Copied: rows {n}, tables {t}; every count matches.").format(n=total, t=len(counts))
    )


LIST_KINDS = ("call_reason", "call_outcome", "refusal_reason", "request_category", "department")


@catalog_cli.command(
    "import",
    help=_(
        "Add or change catalogue items from a CSV file (comma or semicolon). A bad row imports "
        "nothing; every bad row is listed with its line."
    ),
)
def catalog_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help=_("CSV: code, name, kind, price, valid_from, …"))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        count = ws.catalog.import_csv(lead, file)
    typer.echo(_("Imported {n} catalogue items.").format(n=count))


@lists_cli.command(
    "import",
    help=_(
        "Add or change entries of one list from a CSV file. Columns: code, label, active (yes or "
        "no); outcomes add key (1-9); request categories add sla_minutes and department; "
        "departments may add working_hours (the week, Monday first: 08:00-16:30|...)."
    ),
)
def lists_import(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help=" | ".join(LIST_KINDS))],
    file: Annotated[Path, typer.Argument(help=_("CSV: code, label, and the list's own columns"))],
    as_lead: AsLead = "lead",
    password_stdin: PasswordStdin = False,
) -> None:
    settings: Settings = ctx.obj
    if kind not in LIST_KINDS:
        raise fail(
            _("unknown list {kind}; one of: {kinds}").format(kind=kind, kinds=", ".join(LIST_KINDS))
        )
    from cc_terminal.models import ListKind

    with reported_errors(), open_as_lead(settings, as_lead, password_stdin) as (ws, lead):
        count = ws.reference.import_csv(lead, ListKind(kind), file)
    typer.echo(
        ngettext(
            "Imported {n} entry into {kind}.", "Imported {n} entries into {kind}.", count
        ).format(n=count, kind=kind)
    )


def _safe_url(settings: Settings) -> str:
    """The URL without a password, fit for a terminal."""
    url = settings.database_url
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://…@{rest.rsplit('@', 1)[1]}"
    return url


def main() -> None:
    cli()
