"""Adding an optional customer field is its declaration and a migration: a copy of the
source gets exactly those two changes (the floor of the flat, 0-99), and the checks in
added_field_checks.py, run in that copy, find the field in the form and its check, the
card, a lead file's import, the lead export, and on a second terminal of a synced floor."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cc_terminal

SOURCE = Path(cc_terminal.__file__).parent
REPO = Path(__file__).resolve().parents[2]

DECLARATION = """    CustomerField(
        "flat_floor",
        lambda: _("Floor of the flat"),
        2,
        check=Check.WHOLE_NUMBER,
        bounds=(0, 99),
        lead_export_column="floor",
        import_headers=frozenset({"floor", "patro"}),
    ),
)

FIELD_NAMES ="""

MIGRATION = '''"""The floor of the flat on the customer (a test's copy only).

Revision ID: {revision}
Revises: {previous}
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{previous}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "customer",
        sa.Column("flat_floor", sa.String(length=2), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("customer", "flat_floor")
'''


def copy_with_the_field(root: Path) -> Path:
    copy = root / "src" / "cc_terminal"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    declaration = copy / "customer_fields.py"
    text = declaration.read_text()
    assert text.count("\n)\n\nFIELD_NAMES =") == 1
    declaration.write_text(text.replace("\n)\n\nFIELD_NAMES =", "\n" + DECLARATION))
    versions = copy / "store" / "migrations" / "versions"
    previous = sorted(path.name[:4] for path in versions.glob("[0-9]*_*.py"))[-1]
    revision = f"{int(previous) + 1:04d}"
    body = MIGRATION.format(revision=revision, previous=previous)
    (versions / f"{revision}_flat_floor.py").write_text(body)
    return copy


def test_a_field_declared_once_is_in_the_form_the_card_the_exports_and_sync(tmp_path):
    copy = copy_with_the_field(tmp_path / "copy")
    changed = [
        path.relative_to(copy).as_posix()
        for path in copy.rglob("*.py")
        if not (SOURCE / path.relative_to(copy)).exists()
        or (SOURCE / path.relative_to(copy)).read_bytes() != path.read_bytes()
    ]
    assert len(changed) == 2 and "customer_fields.py" in changed
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(copy.parent), str(REPO)]),
        "CC_TERMINAL_COPY": str(copy),
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    checks = REPO / "tests" / "common" / "added_field_checks.py"
    inner = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--basetemp", str(tmp_path / "in")]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", *inner, str(checks)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout
