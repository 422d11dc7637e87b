"""A demo floor whose every free-text column holds hostile text, as an old version, a raw
import or another terminal's bug could have stored it: markup (`[/]`, `[bold]`, an
`[@click=...]` action), terminal escapes (OSC title, CSI clear screen, BEL), a C1 control,
bidirectional overrides, and one 10,000-character value a table."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from cc_terminal.config import Settings
from cc_terminal.services.demo.floor import build_demo_floor
from cc_terminal.services.workstation import open_workstation
from tests.conftest import FixedClock, start_of_test_day

MARKUP = "[/] [bold]tučně[/bold] [@click=app.quit]klik[/]"
ESCAPES = "\x1b]2;PWNED\x07\x1b[2J\x9b31m"
BIDI = "\u202eobráceně\u202c\u2066x\u2069"
HOSTILE = f" {MARKUP} {ESCAPES} {BIDI}"
LONG = "Dlouhý text " * 834  # 10,008 characters
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069")

# The columns people type or import words into; codes, states and keys stay as the
# services made them (a hostile code is refused at every input and is not what this walks).
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "customer": ("full_name", "street", "city", "notes"),
    "operator": ("full_name",),
    "product": ("name", "description"),
    "reference_item": ("label",),
    "disposition": ("label",),
    "campaign": ("name", "script"),
    "field_team": ("name",),
    "loan_product": ("name",),
    "order_field": ("label",),
    "pay_plan": ("name",),
    "qa_form": ("name",),
    "survey_question": ("text",),
    "lead_list": ("name",),
    "consent": ("note",),
    "customer_order": ("address_text",),
    "day_off_request": ("note",),
    "escalation": ("notes",),
    "objection": ("note",),
    "offer": ("product_name", "refusal_note"),
    "operator_complaint": ("note",),
    "tally_claim": ("note",),
    "visit_booking": ("note",),
    "dispute_decision": ("note",),
    "order_event": ("note",),
    "qa_evaluation": ("note",),
    "request_event": ("note",),
    "service_request": ("summary",),
    "call": ("notes",),
    "lead_attempt": ("note",),
    "staffing_need": ("detail",),
    "survey_answer": ("value",),
}


# The values of the issue, each where it crashed a screen.
NOTE = "chce slevu [/]"
ITEM = "Tarif [/] akce"
NAME = "Karel Novák [/]"
ESCAPED_SCRIPT = "Dobrý den \x1b]2;PWNED\x07\x1b[2J"


def poison(engine: Engine) -> None:
    """Every free-text value gets the hostile tail; one row a table gets 10,000 characters."""
    with engine.begin() as connection:

        def run(sql: str, **values: object) -> None:
            connection.execute(text(sql), values)

        for table, columns in FREE_TEXT.items():
            for column in columns:
                run(f"UPDATE {table} SET {column} = {column} || :tail", tail=HOSTILE)
            last = columns[-1]
            first = connection.execute(text(f"SELECT min(id) FROM {table}")).scalar()
            if first is not None:
                run(
                    f"UPDATE {table} SET {last} = {last} || :long WHERE id = :id",
                    long=LONG,
                    id=first,
                )
        run("UPDATE escalation SET notes = :note || notes", note=NOTE + " ")
        run("UPDATE product SET name = :item || name", item=ITEM + " ")
        run("UPDATE campaign SET script = :script || script", script=ESCAPED_SCRIPT + "\n")
        run(
            "UPDATE customer SET full_name = :name WHERE id = "
            "(SELECT customer_id FROM customer_phone ORDER BY e164 LIMIT 1)",
            name=NAME + HOSTILE,
        )


def build_hostile_floor(folder: Path) -> tuple[Path, dict[str, str]]:
    """The demo floor (40 customers) at the tests' clock, poisoned; its passwords."""
    path = folder / "hostile.sqlite3"
    settings = Settings(db_url=f"sqlite:///{path}", data_dir=folder)
    ws = open_workstation(settings, clock=FixedClock(start_of_test_day()))
    try:
        accounts = build_demo_floor(ws, customers=40, seed=5)
        poison(ws.db.engine)
        with ws.db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        ws.close()
    return path, {account.username: account.password for account in accounts}


def copy_floor(template: Path, folder: Path) -> str:
    target = folder / "cc-terminal.sqlite3"
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return f"sqlite:///{target}"


def poison_file(database: Path) -> None:
    engine = create_engine(f"sqlite:///{database}")
    try:
        poison(engine)
    finally:
        engine.dispose()
