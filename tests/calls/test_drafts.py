"""Local drafts of the open call: written whole, private, per operator, never resurrected."""

import json
import stat
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from cc_terminal.services.calls.drafts import DraftStore
from cc_terminal.services.common.views import CallDraftState

JANA, PETR = uuid.uuid4(), uuid.uuid4()
STARTED = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)


def a_draft(**changes):
    values = dict(
        customer_id=uuid.uuid4(),
        customer_name="Jan Novák",
        phone_e164="+420601123456",
        started_at=STARTED,
        reason="billing",
        notes="Příliš vysoká faktura",
    )
    values.update(changes)
    return CallDraftState(**values)


def test_a_draft_comes_back_exactly(tmp_path):
    store = DraftStore(tmp_path)
    draft = a_draft(hung_up_at=STARTED + timedelta(minutes=3))
    store.save(JANA, draft)
    assert store.load(JANA) == draft
    assert store.load(PETR) is None


def test_a_phone_calls_draft_keeps_its_phone_key_and_answer(tmp_path):
    """A call the phone rang is linked to it after a crash too, with its talk time."""
    store = DraftStore(tmp_path)
    draft = a_draft(phone_key="baresip:101:3f2a", answered_at=STARTED + timedelta(seconds=4))
    store.save(JANA, draft)
    assert store.load(JANA) == draft


def test_a_callbacks_draft_keeps_the_missed_call_it_calls_back(tmp_path):
    """A callback restored after a crash still marks its missed call done when saved."""
    store = DraftStore(tmp_path)
    draft = a_draft(callback_of=uuid.uuid4())
    store.save(JANA, draft)
    assert store.load(JANA) == draft
    store.save(PETR, a_draft())
    assert store.load(PETR).callback_of is None


def test_drafts_are_private_files(tmp_path):
    store = DraftStore(tmp_path)
    store.save(JANA, a_draft())
    assert stat.S_IMODE((tmp_path / "drafts").stat().st_mode) == 0o700
    files = list((tmp_path / "drafts").iterdir())
    assert [f.name for f in files] == [f"{JANA}.json"]
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600


def test_a_newer_draft_replaces_the_older(tmp_path):
    store = DraftStore(tmp_path)
    store.save(JANA, a_draft(notes="first"))
    store.save(JANA, a_draft(notes="second"))
    assert store.load(JANA).notes == "second"


def test_a_late_save_of_a_closed_call_is_ignored(tmp_path):
    store = DraftStore(tmp_path)
    store.save(JANA, a_draft())
    store.discard(JANA, STARTED)
    store.save(JANA, a_draft(notes="written by a slow worker"))
    assert store.load(JANA) is None
    next_call = a_draft(started_at=STARTED + timedelta(minutes=10))
    store.save(JANA, next_call)
    assert store.load(JANA) == next_call


def test_an_unreadable_draft_is_no_draft(tmp_path):
    store = DraftStore(tmp_path)
    store.save(JANA, a_draft())
    (tmp_path / "drafts" / f"{JANA}.json").write_text("{not json")
    assert store.load(JANA) is None


def test_a_draft_of_an_older_version_loads_with_what_it_lacks_empty(tmp_path):
    store = DraftStore(tmp_path)
    customer = uuid.uuid4()
    (tmp_path / "drafts").mkdir()
    plain = {"customer_id": str(customer), "started_at": STARTED.isoformat()}
    (tmp_path / "drafts" / f"{JANA}.json").write_text(json.dumps(plain))
    loaded = store.load(JANA)
    assert loaded is not None and loaded.call_id is not None
    assert loaded == CallDraftState(
        customer_id=customer,
        customer_name="",
        phone_e164="",
        started_at=STARTED,
        reason="",
        notes="",
        call_id=loaded.call_id,
    )
    assert loaded.phone_key == "" and loaded.hung_up_at is None


@pytest.mark.parametrize("started", ["2026-11-27T08:30:00", "", None])
def test_a_draft_without_an_aware_start_is_no_draft(tmp_path, started):
    (tmp_path / "drafts").mkdir()
    values = {"customer_id": str(uuid.uuid4())} | (
        {} if started is None else {"started_at": started}
    )
    (tmp_path / "drafts" / f"{JANA}.json").write_text(json.dumps(values))
    assert DraftStore(tmp_path).load(JANA) is None


def test_a_draft_is_plain_utf8_text_in_a_folder_made_as_needed(tmp_path):
    store = DraftStore(tmp_path / "not" / "yet")
    store.save(JANA, a_draft())
    written = (tmp_path / "not" / "yet" / "drafts" / f"{JANA}.json").read_bytes()
    assert "Příliš vysoká faktura".encode() in written


def test_a_draft_that_cannot_be_put_in_place_leaves_no_half_file(tmp_path):
    store = DraftStore(tmp_path)
    (tmp_path / "drafts" / f"{JANA}.json").mkdir(parents=True)  # its place is taken
    with pytest.raises(OSError):
        store.save(JANA, a_draft())
    assert [f.name for f in (tmp_path / "drafts").iterdir()] == [f"{JANA}.json"]


def test_kept_says_whether_a_draft_is_on_the_disk(tmp_path):
    store = DraftStore(tmp_path)
    store.discard(JANA, STARTED)  # nothing to remove: no error
    assert not store.kept(JANA)
    store.save(JANA, a_draft(started_at=STARTED + timedelta(minutes=1)))
    assert store.kept(JANA) and not store.kept(PETR)
    store.discard(JANA, STARTED + timedelta(minutes=1))
    assert not store.kept(JANA)
