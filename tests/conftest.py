"""Fixtures: a fixed clock, a seeded template database copied for each test, on SQLite and
on a real throwaway PostgreSQL server."""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest

# The suite reads and pictures English unless a test chooses Czech: a developer's Czech
# system must not change what the tests see (set before the app's modules are imported).
os.environ["CC_TERMINAL_LANG"] = "en"

from bench.terminal import Terminal
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from cc_terminal.config import Settings
from cc_terminal.i18n import set_language
from cc_terminal.services.calls.catalog import ProductItem
from cc_terminal.services.common.views import Actor, CustomerDraft
from cc_terminal.services.workstation import Workstation, open_workstation
from cc_terminal.store.password_cost import CHEAP_ENV
from tests.cli_run import CLI, cli
from tests.collector import earlier_tests_frozen  # noqa: F401 (short passes)
from tests.faked_clock import at_moment
from tests.long_first import pytest_collection_modifyitems  # noqa: F401 (the longest first)
from tests.pgserver import PostgresServer
from tests.picture_languages import snap_compare  # noqa: F401 (every snapshot in Czech too)

# Argon2 at its cheapest for this process and every command it starts (tmux, the CLI):
# production's 64 MiB per sign-in made up minutes of the run. privacy/test_password_cost.py proves
# what production uses.
os.environ[CHEAP_ENV] = "1"

PASSWORDS = {"lead": "lead-pass-1", "jana": "jana-pass-1", "petr": "petr-pass-1"}
KNOWN_PHONE = "+420601123456"
SHARED_PHONE = "+420602000111"


class FixedClock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def start_of_test_day() -> datetime:
    return datetime(2026, 11, 27, 8, 30, tzinfo=UTC)  # 09:30 in Prague


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """A test that switched the language (a Czech app, a person's own) leaves English."""
    yield
    set_language("en")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(start_of_test_day())


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    """A terminal whose locale writes ASCII only (LANG=C): files must say their encoding."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, before)


def seed_floor(ws: Workstation) -> None:
    """Accounts and a few customers every test can rely on, made through the services."""
    lead_info = ws.auth.create_operator(None, "lead", "Lída Vedoucí", "lead", PASSWORDS["lead"])
    lead = Actor(lead_info.id, lead_info.username, lead_info.full_name, lead_info.role)
    ws.auth.create_operator(
        lead, "jana", "Jana Svobodová", "operator", PASSWORDS["jana"], must_change=False
    )
    ws.auth.create_operator(
        lead,
        "petr",
        "Petr Dvořák",
        "operator",
        PASSWORDS["petr"],
        department="billing",
        must_change=False,
    )
    ws.catalog.add(
        lead,
        [
            ProductItem(
                "MOB-M",
                "Mobil M",
                "tariff",
                59900,
                "CZK",
                date(2026, 1, 1),
                None,
                "15 GB, neomezené volání",
            ),
            ProductItem(
                "NET-100",
                "Internet 100",
                "tariff",
                44900,
                "CZK",
                date(2026, 1, 1),
                None,
                "Optika 100 Mb/s",
            ),
        ],
    )
    ws.customers.create_many(
        lead,
        [
            CustomerDraft(
                full_name="Jan Novák",
                phones=KNOWN_PHONE,
                street="Dlouhá",
                house_number="12",
                city="Praha",
                postal_code="110 00",
                email="jan.novak@example.cz",
                notes="Prefers afternoons.",
            ),
            CustomerDraft(
                full_name="Marie Nováková",
                phones=SHARED_PHONE,
                street="Krátká",
                house_number="3",
                city="Brno",
                postal_code="602 00",
            ),
            CustomerDraft(
                full_name="Josef Novák",
                phones=SHARED_PHONE,
                street="Krátká",
                house_number="3",
                city="Brno",
                postal_code="602 00",
            ),
        ],
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    # Seeded at the tests' own clock, so what it records (the audit trail's account
    # events) reads the same on every run.
    settings = Settings(db_url=f"sqlite:///{path}", data_dir=folder)
    ws = open_workstation(settings, clock=FixedClock(start_of_test_day()))
    seed_floor(ws)
    with ws.db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return path


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "cc-terminal.sqlite3"
    shutil.copyfile(sqlite_template, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    _create_database(pg_server, "cc_template")
    ws = open_workstation(
        Settings(db_url=pg_server.url("cc_template"), data_dir=tmp_path_factory.mktemp("pg")),
        clock=FixedClock(start_of_test_day()),
    )
    seed_floor(ws)
    ws.close()
    return "cc_template"


@pytest.fixture(scope="session")
def pg_stock(pg_server: PostgresServer, pg_template: str) -> Iterator[DatabaseStock]:
    stock = DatabaseStock(pg_server, pg_template)
    try:
        yield stock
    finally:
        stock.close()


@pytest.fixture
def pg_url(pg_server: PostgresServer, pg_stock: DatabaseStock) -> Iterator[str]:
    name = pg_stock.take()
    yield pg_server.url(name)
    pg_stock.give_back(name)


class DatabaseStock:
    """Each test's own copy of the template database, the next one copied while the test
    before it runs (a copy takes a fifth of a second or more, on a server a test may
    halt: then it is copied again when taken)."""

    def __init__(self, server: PostgresServer, template: str) -> None:
        self.server, self.template = server, template
        self.names = count(1)
        self.copier = ThreadPoolExecutor(1, thread_name_prefix="pg-stock")
        self.next: Future[str] = self.copier.submit(self._copy)

    def _copy(self) -> str:
        name = f"cc_test_{next(self.names)}"
        _create_database(self.server, name, template=self.template)
        return name

    def take(self) -> str:
        try:
            name = self.next.result()
        except OperationalError:  # the server was away while it was copied
            name = self._copy()
        self.next = self.copier.submit(self._copy)
        return name

    def give_back(self, name: str) -> None:
        # Dropped as the test ends: the server's folder would otherwise grow by one
        # database a test (about 2 GB a worker), all of it deleted in the last test's
        # teardown. Not forced: a listener thread still winding down keeps its database
        # until the server stops, rather than being cut off under the test's app.
        self.copier.submit(_drop_database, self.server, name)

    def close(self) -> None:
        self.copier.shutdown(wait=True, cancel_futures=True)


def _drop_database(server: PostgresServer, name: str) -> None:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    except OperationalError:  # still in use: the server's teardown deletes it
        pass
    finally:
        engine.dispose()


def _create_database(server: PostgresServer, name: str, template: str | None = None) -> None:
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    suffix = f" TEMPLATE {template}" if template else ""
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """The seeded database on each dialect: service tests run on both."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(fixture)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(db_url=db_url, data_dir=tmp_path)


@pytest.fixture
def ws(settings: Settings, clock: FixedClock) -> Iterator[Workstation]:
    workstation = open_workstation(settings, clock=clock)
    yield workstation
    workstation.close()


def login(ws: Workstation, username: str) -> Actor:
    return ws.auth.login(username, PASSWORDS[username])


@pytest.fixture
def lead(ws: Workstation) -> Actor:
    return login(ws, "lead")


@pytest.fixture
def jana(ws: Workstation) -> Actor:
    return login(ws, "jana")


@pytest.fixture
def petr(ws: Workstation) -> Actor:
    return login(ws, "petr")


# A floor for the end-to-end tests in tmux, built by the real CLI on a Friday afternoon
# (libfaketime sets the wall clock: calls are legal only in the calling window).
FRIDAY_AFTERNOON = "@2026-11-27 13:00:00"  # 14:00 in Prague
DEMO = ["demo", "--customers", "200", "--no-start"]


def at_friday() -> list[str]:
    return at_moment(FRIDAY_AFTERNOON)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The demo floor's folder, built once per test process (the demo command takes seconds);
    each test gets a copy of it, the same files a build of its own would make."""
    folder = tmp_path_factory.mktemp("demo") / "floor"
    built = cli(folder, *DEMO)
    assert built.returncode == 0, built.stderr
    demo_said(folder).write_text(built.stdout, encoding="utf-8")
    passwords = {
        line.split()[1]: line.split()[2]
        for line in built.stdout.splitlines()
        if line.startswith("  ")
    }
    return folder, passwords


def demo_said(folder: Path) -> Path:
    """Where ``demo_build`` keeps what the demo command printed (beside its folder, so
    that copies of the floor are as the command left them)."""
    return folder.with_name("demo-said.txt")


@pytest.fixture
def demo_floor(
    demo_build: tuple[Path, dict[str, str]], tmp_path: Path
) -> tuple[Path, dict[str, str]]:
    folder, passwords = demo_build
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    return tmp_path, passwords


@pytest.fixture(scope="session")
def friday_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Friday floor's data folder, built once per test process (the demo command takes
    seconds); each test gets a copy of it, the same files a build of its own would make."""
    assert shutil.which("faketime"), "faketime is installed by scripts/system-deps"
    folder = tmp_path_factory.mktemp("friday")
    env = {k: v for k, v in os.environ.items() if k != "CC_TERMINAL_DB"}
    built = subprocess.run(
        ["env", *at_friday(), *CLI, "--data-dir", str(folder), *DEMO],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    (folder / "accounts.txt").write_text(built.stdout)
    return folder


@pytest.fixture
def friday_floor(friday_build: Path, tmp_path: Path) -> tuple[Path, str]:
    shutil.copytree(friday_build, tmp_path, dirs_exist_ok=True)
    accounts = (tmp_path / "accounts.txt").read_text().splitlines()
    password = next(line.split()[2] for line in accounts if " jana " in line)
    return tmp_path / "demo.sqlite3", password


def friday_terminal(database: Path, data_dir: Path, *env: str) -> Terminal:
    """The workstation in tmux on the Friday floor, started as every day: plain
    ``cc-terminal`` configured by the environment (``env`` adds NAME=value settings),
    with the faked Friday clock."""
    return Terminal(
        [
            f"CC_TERMINAL_DB=sqlite:///{database}",
            f"CC_TERMINAL_DATA_DIR={data_dir}",
            *env,
            *at_friday(),
            sys.executable,
            "-m",
            "cc_terminal",
        ]
    )
