"""The bulk path's new ids (store/ids.py): version 7 UUIDs, each batch ascending and after
every batch before it, in the form each store sorts them (SQLite keeps 32 hex digits)."""

from __future__ import annotations

from cc_terminal.store.ids import ascending_ids


def test_each_batch_ascends_after_the_one_before_in_every_stored_form():
    first, second = ascending_ids(1000), ascending_ids(3)
    made = [*first, *second]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert [made_id.hex for made_id in made] == sorted(made_id.hex for made_id in made)
    assert {(made_id.version, made_id.variant) for made_id in made} == {
        (7, "specified in RFC 4122")
    }


def test_an_empty_batch_is_empty():
    assert ascending_ids(0) == []
