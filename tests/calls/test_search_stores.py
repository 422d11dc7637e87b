"""The same searches on SQLite and on PostgreSQL return the same callers, whichever way the
search reads the index (rarest word read whole, common words probed, every word common)."""

import random
import uuid

import pytest
from faker import Faker

from cc_terminal.config import Settings
from cc_terminal.services.calls.search import CustomerSearch
from cc_terminal.services.common.views import Actor, CustomerDraft
from cc_terminal.services.workstation import open_workstation
from tests.conftest import _create_database

pytestmark = pytest.mark.postgres

CUSTOMERS = 1500


def floor_customers() -> list[CustomerDraft]:
    fake = Faker("cs_CZ")
    fake.seed_instance(11)
    rng = random.Random(11)
    towns = [fake.city() for _ in range(12)]
    drafts = []
    for number in range(CUSTOMERS):
        first, last = fake.first_name(), fake.last_name()
        email = f"{first}.{last}{number % 50}@example.cz" if number % 2 else ""
        drafts.append(
            CustomerDraft(
                full_name=f"{first} {last}",
                phones=f"+420 7{number:08d}",
                street=fake.street_name(),
                house_number=str(rng.randrange(1, 60)),
                city=rng.choice(towns),
                postal_code=fake.postcode(),
                email=email,
            )
        )
    return drafts


def fill(url, tmp_path, monkeypatch, drafts):
    """The same customers with the same keys on two empty stores: uuid4 is seeded for the
    load."""
    ws = open_workstation(Settings(db_url=url, data_dir=tmp_path))
    info = ws.auth.create_operator(None, "lead", "Lída Vedoucí", "lead", "lead-pass-1")
    lead = Actor(info.id, info.username, info.full_name, info.role)
    # seeded only around the load: opening a store draws ids of its own (a server's
    # audit chain per terminal), which differ between the two kinds of store
    seeded = random.Random(99)
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=seeded.getrandbits(128), version=4))
    ws.customers.create_many(lead, drafts)
    monkeypatch.undo()
    return ws


def queries(drafts):
    rng = random.Random(3)
    typed = ["example", "cz", "example cz", "ex", "jan", "novak", "na", "12", "jan cz"]
    for draft in rng.sample(drafts, 40):
        first, last = draft.full_name.split(" ", 1)
        typed += [last.lower(), f"{first} {last}", f"{last} {draft.city}", draft.street[:5]]
        if draft.email:
            typed.append(draft.email.split("@")[0][:8])
    return typed


@pytest.mark.parametrize("read_whole", [20_000, 60, 0])
def test_sqlite_and_postgresql_find_the_same_callers(pg_server, tmp_path, monkeypatch, read_whole):
    drafts = floor_customers()
    name = f"cc_compare_{read_whole}"
    _create_database(pg_server, name)
    lite = fill(f"sqlite:///{tmp_path / 'lite.sqlite3'}", tmp_path, monkeypatch, drafts)
    pg = fill(pg_server.url(name), tmp_path, monkeypatch, drafts)
    try:
        on_lite, on_pg = CustomerSearch(lite.db, read_whole), CustomerSearch(pg.db, read_whole)
        compared = 0
        for typed in queries(drafts):
            lite_hits = [(hit.id, hit.exact) for hit in on_lite.search(typed)]
            pg_hits = [(hit.id, hit.exact) for hit in on_pg.search(typed)]
            assert lite_hits == pg_hits, typed
            compared += bool(lite_hits)
        assert compared > 150
    finally:
        lite.close()
        pg.close()
