"""The first frame must not wait for SQLAlchemy: the UI modules never import it."""

import subprocess
import sys

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "psycopg", "faker", "argon2")


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_app_module_imports_no_database_code():
    code = (
        "import sys, cc_terminal.app, cc_terminal.cli.main;"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert run_python(code) == ""


def test_the_everyday_start_does_not_build_the_cli():
    code = "import sys, cc_terminal.cli.launch, cc_terminal.app; print('typer' in sys.modules)"
    assert run_python(code) == "False"


def test_services_and_store_do_not_import_textual():
    code = (
        "import sys, cc_terminal.services.workstation, cc_terminal.services.demo.floor;"
        "print('textual' in sys.modules)"
    )
    assert run_python(code) == "False"
