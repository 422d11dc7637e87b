"""The command line, run for real against real database files."""

import sqlite3
from pathlib import Path

from cc_terminal import __version__
from tests.cli_run import cli, cli_process


def test_version(tmp_path):
    result = cli_process(tmp_path, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"cc-terminal {__version__}")


def test_init_creates_the_database_and_the_first_lead(tmp_path):
    result = cli(tmp_path, "init", "--username", "boss", "--password-stdin", stdin="boss-pass-1\n")
    assert result.returncode == 0, result.stderr
    database = tmp_path / "cc-terminal.sqlite3"
    roles = sqlite3.connect(database).execute("SELECT username, role FROM operator").fetchall()
    assert roles == [("boss", "lead")]
    again = cli_process(tmp_path, "init", "--password-stdin", stdin="other-pass-1\n")
    assert again.returncode == 1
    assert again.stderr.strip() == "cc-terminal: the database already has accounts; use 'user add'"


def test_user_add_needs_a_lead_and_reads_passwords_from_stdin(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    added = cli_process(
        tmp_path,
        "user",
        "add",
        "jana",
        "--full-name",
        "Jana Svobodová",
        "--password-stdin",
        stdin="lead-pass-1\njana-pass-1\n",
    )
    assert added.returncode == 0, added.stderr
    assert "Added operator 'jana'" in added.stdout
    by_operator = cli(
        tmp_path,
        "user",
        "add",
        "petr",
        "--as",
        "jana",
        "--password-stdin",
        stdin="jana-pass-1\npetr-pass-1\n",
    )
    assert by_operator.returncode == 1
    assert by_operator.stderr.strip() == "cc-terminal: Only a team lead adds accounts."
    wrong = cli(tmp_path, "user", "add", "petr", "--password-stdin", stdin="nope\npetr-pass-1\n")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "cc-terminal: Wrong user name or password."


def test_user_add_reports_bad_fields_on_one_line(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    result = cli(
        tmp_path, "user", "add", "Bad Name", "--password-stdin", stdin="lead-pass-1\nshort\n"
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "username" in result.stderr and "password" in result.stderr


def test_db_upgrade_migrates_once(tmp_path):
    first = cli_process(tmp_path, "db", "upgrade")
    second = cli(tmp_path, "db", "upgrade")
    assert first.returncode == second.returncode == 0
    assert first.stdout.startswith("Migrated to") and second.stdout.startswith("Already at")


def test_a_newer_schema_is_refused_by_the_cli(tmp_path):
    cli(tmp_path, "db", "upgrade")
    database = tmp_path / "cc-terminal.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'future'")
    result = cli(tmp_path, "db", "upgrade")
    assert result.returncode == 1
    assert "newer than this cc-terminal knows" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unusable_data_path_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = cli(blocker / "data", "db", "upgrade")
    assert result.returncode == 1
    assert result.stderr.startswith("cc-terminal: cannot use the data path")
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_server_is_one_clear_line(tmp_path):
    result = cli(tmp_path, "db", "upgrade", db="postgresql://nobody@127.0.0.1:1/none")
    assert result.returncode == 1
    assert result.stderr.startswith("cc-terminal: database error:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_demo_builds_a_floor_and_prints_passwords_once(tmp_path):
    built = cli_process(tmp_path, "demo", "--customers", "120", "--no-start")
    assert built.returncode == 0, built.stderr
    printed = built.stdout.split("Callers to try")[0].splitlines()
    accounts = [line.split() for line in printed if line.startswith("  ")]
    assert [(role, name) for role, name, _pw in accounts][:2] == [
        ("lead", "vedouci"),
        ("operator", "jana"),
    ]
    assert len(accounts) == 6
    with sqlite3.connect(tmp_path / "demo.sqlite3") as connection:
        # 120 customers, and 30 strangers from the bought list of the sales campaign
        assert connection.execute("SELECT count(*) FROM customer").fetchone() == (150,)
        assert connection.execute("SELECT count(*) FROM product").fetchone()[0] >= 10
        campaigns = dict(
            connection.execute(
                "SELECT c.code, count(*) FROM lead l JOIN campaign c ON c.id = l.campaign_id "
                "GROUP BY c.code"
            ).fetchall()
        )
        # 40 customers and 30 strangers, 60 customers for the survey: fewer by those the
        # demo flagged "do not call", who are never made leads
        assert 60 <= campaigns["zimni-tarify"] <= 70 and 50 <= campaigns["spokojenost"] <= 60
        flagged_leads = connection.execute(
            "SELECT count(*) FROM lead l JOIN customer c ON c.id = l.customer_id "
            "WHERE c.do_not_call"
        ).fetchone()
        assert flagged_leads == (0,)
        assert campaigns["reoffer-mob-s"] > 0
        assert connection.execute("SELECT count(*) FROM consent").fetchone() == (15,)
        # Orders: the register built from the customers' addresses, four field teams, and
        # an order of every kind, the first visit missed and re-booked.
        assert connection.execute("SELECT count(*) FROM address_point").fetchone()[0] > 100
        assert connection.execute("SELECT count(*) FROM field_team").fetchone() == (4,)
        orders = connection.execute(
            "SELECT kind, status FROM customer_order ORDER BY kind, status"
        ).fetchall()
        assert orders == [
            ("equipment", "rescheduled"),
            ("equipment", "scheduled"),
            ("loan", "submitted"),
            ("service", "draft"),
            ("taxi", "submitted"),
            ("web", "submitted"),
        ]
    again = cli(tmp_path, "demo", "--no-start")
    assert "Using the existing demo database" in again.stdout
    assert accounts[0][2] not in again.stdout


def test_catalog_import_reports_every_bad_row_and_imports_nothing(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    bad = tmp_path / "catalog.csv"
    bad.write_text(
        "code;name;kind;price;valid_from\n"
        "MOB-S;Mobil S;tariff;399,00;1.1.2026\n"
        "MOB-X;Mobil X;gadget;10;1.1.2026\n"
        "MOB-Y;Mobil Y;tariff;cheap;1.1.2026\n",
        encoding="utf-8",
    )
    result = cli(tmp_path, "catalog", "import", str(bad), "--password-stdin", stdin="lead-pass-1\n")
    assert result.returncode == 1
    assert "2 rows rejected, nothing imported" in result.stderr
    assert "line 3: Kind must be one of" in result.stderr and "line 4: price" in result.stderr
    database = tmp_path / "cc-terminal.sqlite3"
    assert sqlite3.connect(database).execute("SELECT count(*) FROM product").fetchone() == (0,)
    bad.write_text("code;name;kind;price;valid_from\nMOB-S;Mobil S;tariff;399,00;1.1.2026\n")
    result = cli_process(
        tmp_path, "catalog", "import", str(bad), "--password-stdin", stdin="lead-pass-1\n"
    )
    assert (result.returncode, result.stdout.strip()) == (0, "Imported 1 catalogue items.")


def test_lists_import_refuses_an_unknown_department_and_an_unknown_list(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    categories = tmp_path / "categories.csv"
    categories.write_text("code,label,sla_minutes,department\nrefund,Refund,2880,treasury\n")
    args = ("lists", "import", "request_category", str(categories), "--password-stdin")
    result = cli(tmp_path, *args, stdin="lead-pass-1\n")
    assert result.returncode == 1 and "line 2" in result.stderr and "treasury" in result.stderr
    unknown = cli(tmp_path, "lists", "import", "moods", str(categories), "--password-stdin")
    assert unknown.returncode == 1 and "unknown list moods" in unknown.stderr
    departments = tmp_path / "departments.csv"
    departments.write_text("code,label\ntreasury,Treasury\n")
    ok = cli_process(
        tmp_path,
        "lists",
        "import",
        "department",
        str(departments),
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert ok.returncode == 0, ok.stderr
    assert cli(tmp_path, *args, stdin="lead-pass-1\n").returncode == 0


SAMPLES = Path(__file__).parents[2] / "data" / "samples"


def test_campaigns_and_lead_imports_from_the_command_line(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    survey = cli_process(
        tmp_path,
        "campaign",
        "add",
        "pruzkum",
        "--name",
        "Spokojenost",
        "--kind",
        "survey",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert survey.returncode == 0, survey.stderr
    bad = cli(
        tmp_path,
        "campaign",
        "add",
        "x",
        "--name",
        "X",
        "--kind",
        "sales",
        "--weekday-window",
        "20:00-09:00",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert bad.returncode == 1 and "window must end after it starts" in bad.stderr
    listed = cli_process(tmp_path, "campaign", "list")
    assert "pruzkum" in listed.stdout and "survey" in listed.stdout
    answers = cli_process(
        tmp_path, "campaign", "answers", "pruzkum", "--password-stdin", stdin="lead-pass-1\n"
    )
    assert answers.returncode == 0 and "Campaign pruzkum has no questions." in answers.stdout
    winter = str(SAMPLES / "leads-winter.csv")
    args = ("leads", "import", winter, "--campaign", "pruzkum")
    imported = cli_process(
        tmp_path,
        "leads",
        "import",
        winter,
        "--campaign",
        "pruzkum",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert imported.returncode == 0, imported.stderr
    assert "CSV/TSV with a header, utf-8-sig" in imported.stdout
    assert "Rows: 5; leads added: 3 (new customers: 3, consents: 1)" in imported.stdout
    assert "line 7: phone “12345”" in imported.stdout
    again = cli(tmp_path, *args, "--password-stdin", stdin="lead-pass-1\n")
    assert "leads added: 0" in again.stdout and "already in the campaign: 3" in again.stdout
    nameless = tmp_path / "nameless.csv"
    nameless.write_text("kdo;kam\nJan;Brno\n")
    refused = cli(
        tmp_path,
        "leads",
        "import",
        str(nameless),
        "--campaign",
        "pruzkum",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert refused.returncode == 1 and "No column holds the phone" in refused.stderr
    mapped = tmp_path / "mapped.csv"
    mapped.write_text("kdo;cislo\nJan Malý;731111991\n")
    remapped = cli(
        tmp_path,
        "leads",
        "import",
        str(mapped),
        "--campaign",
        "pruzkum",
        "--map",
        "kdo=name",
        "--map",
        "cislo=phone",
        "--password-stdin",
        stdin="lead-pass-1\n",
    )
    assert "leads added: 1" in remapped.stdout, remapped.stderr


def test_the_address_register_is_imported_from_the_command_line(tmp_path):
    cli(tmp_path, "init", "--password-stdin", stdin="lead-pass-1\n")
    files = sorted(str(path) for path in SAMPLES.glob("*_OB_*_ADR.csv"))
    done = cli_process(
        tmp_path, "addresses", "import", *files, "--password-stdin", stdin="lead-pass-1\n"
    )
    assert done.returncode == 0, done.stderr
    assert "Files: 3; address points: 12 in municipalities: 3; rows rejected: 0." in done.stdout
    broken = tmp_path / "20261101_OB_500011_ADR.csv"
    broken.write_bytes(
        b"K\xf3d ADM;K\xf3d obce\n1;500011\n"  # cp1250, but not the register's columns
    )
    refused = cli(
        tmp_path, "addresses", "import", str(broken), "--password-stdin", stdin="lead-pass-1\n"
    )
    assert "address points: 0" in refused.stdout and "missing Název obce" in refused.stdout
    with sqlite3.connect(tmp_path / "cc-terminal.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM address_point").fetchone() == (12,)
