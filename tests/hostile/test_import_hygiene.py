"""The first frame must not wait for SQLAlchemy: the UI modules never import it."""

import subprocess
import sys

from tests.conftest import KNOWN_PHONE, PASSWORDS

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


# Loaded after the first frame, while the person types: the sign-in frame draws none of them
# (about a tenth of the start's own imports).
NOT_FOR_THE_FIRST_FRAME = (
    "textual.widgets._data_table",
    "textual.widgets._text_area",
    "cc_terminal.widgets.plain_widgets",
    "cc_terminal.services.common.views",
    "cc_terminal.screens.session.new_password",
)


def test_the_sign_in_frame_loads_no_table_text_area_or_records():
    code = (
        "import sys, cc_terminal.cli.start, cc_terminal.app;"
        f"print(','.join(m for m in {NOT_FOR_THE_FIRST_FRAME!r} if m in sys.modules))"
    )
    assert run_python(code) == ""


def test_services_and_store_do_not_import_textual():
    code = (
        "import sys, cc_terminal.services.workstation, cc_terminal.services.demo.floor;"
        "print('textual' in sys.modules)"
    )
    assert run_python(code) == "False"


# Loaded by the first task that needs them, not by signing in and taking calls by number.
LOADED_WHEN_NEEDED = (
    "rapidfuzz",  # the first misspelt name
    "phonenumbers.timezone",  # the first outbound dial's calling hours
    "holidays",  # the first day that needs a calendar
    "email.policy",  # the letters, a chat's transcript
    "cc_terminal.services.channels.mail",
)


def test_signing_in_and_finding_callers_by_number_leaves_the_heavy_helpers_unloaded(
    sqlite_url, tmp_path
):
    code = f"""
import sys
from pathlib import Path
import cc_terminal.app, cc_terminal.screens.calls.incoming
from cc_terminal.config import Settings
from cc_terminal.services.workstation import open_workstation
ws = open_workstation(Settings(db_url={sqlite_url!r}, data_dir=Path({str(tmp_path)!r})))
actor = ws.auth.login("jana", {PASSWORDS["jana"]!r})
ws.today(actor)
ws.customers.lookup_phone({KNOWN_PHONE!r})
ws.search.search("601123456")
print("loaded:", ",".join(m for m in {LOADED_WHEN_NEEDED!r} if m in sys.modules))
ws.search.search("Svobodvoá")
assert ws.mail is ws.mail  # opened once, when first used
print("loaded:", ",".join(m for m in {LOADED_WHEN_NEEDED!r} if m in sys.modules))
"""
    unloaded, later = run_python(code).splitlines()
    assert unloaded == "loaded: "
    assert later.removeprefix("loaded: ").split(",") == [
        "rapidfuzz",
        "email.policy",
        "cc_terminal.services.channels.mail",
    ]
