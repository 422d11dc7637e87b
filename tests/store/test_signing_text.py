"""The signed texts come from encoders built once (store/signing.py): they must write
exactly what ``json.dumps`` with the same options writes, or a run signed by one version
of cc-terminal would not verify on another."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from cc_terminal.store.signing import changes_text, op_digest_head

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.text(), VALUES, max_size=8))
def test_changes_text_is_json_dumps_with_sorted_keys_and_unicode_kept(changes):
    assert changes_text(changes) == json.dumps(changes, ensure_ascii=False, sort_keys=True)


@given(st.lists(st.text(), min_size=5, max_size=5), st.none() | st.text())
def test_the_digest_head_is_the_fields_json_list_open_before_the_clock(fields, actor):
    op_id, entity, row_id, kind, at = fields
    listed = json.dumps([op_id, entity, row_id, kind, actor, at], ensure_ascii=False)
    assert op_digest_head(op_id, entity, row_id, kind, actor, at) == listed[:-1] + ", "
