"""The phone event's wire forms (services/phone/events.py): JSON bodies and netstrings.
Whatever arrives, the parser answers with an event or one line (``BadEvent``), never
another exception, and never keeps more than one frame's bound."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cc_terminal.services.phone.events import (
    MAX_FRAME,
    BadEvent,
    NetstringReader,
    PhoneEvent,
    PhoneEventKind,
    from_json,
    netstring,
    number_of_uri,
    to_json,
)

NOW = datetime(2026, 11, 27, 8, 30, tzinfo=UTC)
GOOD = PhoneEvent(PhoneEventKind.HANGUP, "pbx:1", "101", "+420601123456", NOW, "in", 486, "Busy")


def test_an_event_goes_there_and_back():
    assert from_json(to_json(GOOD)) == GOOD


def test_a_webhook_body_may_leave_out_the_time():
    body = '{"kind": "RING", "call_key": "pbx:7", "extension": 101, "number": "sip:+420601@pbx"}'
    found = from_json(body, now=NOW)
    assert (found.kind, found.extension, found.number, found.at) == ("ring", "101", "+420601", NOW)
    with pytest.raises(BadEvent, match="at: missing"):
        from_json(body)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("[1]", "not a JSON object"),
        ("{", "not JSON"),
        ('{"kind": "dial", "extension": "101"}', "kind"),
        ('{"kind": "ring", "extension": "1 1"}', "extension"),
        ('{"kind": "ring", "extension": "101", "at": "2026-11-27T08:30"}', "time zone"),
        ('{"kind": "ring", "extension": "101", "at": "yesterday"}', "ISO 8601"),
        ('{"kind": "ring", "extension": "101", "at": "2026-11-27T08:30Z"}', "call_key"),
        ('{"kind": "ring", "extension": "101", "call_key": "k", "sip_code": 99}', "sip_code"),
        ('{"kind": "ring", "extension": "101", "call_key": "k", "direction": "up"}', "direction"),
        ('{"kind": ["ring"], "extension": "101"}', "kind: not text"),
    ],
)
def test_bad_bodies_are_refused_with_one_line(body, why):
    with pytest.raises(BadEvent, match=why) as refused:
        from_json(body, now=NOW)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("uri", "number"),
    [
        ("sip:+420601123456@127.0.0.1:5070", "+420601123456"),
        ("<sips:601123456@pbx;transport=tls>", "601123456"),
        ("tel:+420601123456", "+420601123456"),
        ("anonymous", "anonymous"),
        ("x" * 500, "x" * 64),
    ],
)
def test_the_number_of_a_uri(uri, number):
    assert number_of_uri(uri) == number


def test_netstrings_are_cut_whatever_the_pieces():
    stream = netstring(b'{"a":1}') + netstring(b"") + netstring("č".encode())
    reader = NetstringReader()
    found = [frame for byte in stream for frame in reader.feed(bytes([byte]))]
    assert found == [b'{"a":1}', b"", "č".encode()]


@pytest.mark.parametrize(
    "stream", [b"x:", b"12:abc", b"3:abcX", b"9" * 10, str(MAX_FRAME + 1).encode() + b":"]
)
def test_a_broken_netstring_is_refused_and_forgotten(stream):
    reader = NetstringReader()
    found = reader.feed(stream + b"xx")
    if stream == b"12:abc":
        assert found == [] and len(reader.buffer) < 20  # still waiting for its bytes
        return
    assert len(found) == 1 and isinstance(found[0], BadEvent)
    assert reader.buffer == bytearray()


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise_and_stay_bounded(data):
    reader = NetstringReader(limit=100)
    for frame in reader.feed(data) + reader.feed(data):
        if isinstance(frame, bytes):
            assert len(frame) <= 100
            with contextlib.suppress(BadEvent):
                from_json(frame, now=NOW)
    assert len(reader.buffer) <= 100 + 5


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
keys = st.sampled_from(
    ["kind", "call_key", "extension", "number", "at", "direction", "sip_code", "reason"]
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values | st.sampled_from(["ring", "101", "2026-11-27T08:30Z"])))
def test_any_json_object_is_an_event_or_one_line(data):
    try:
        found = from_json(json.dumps(data), now=NOW)
    except BadEvent as refused:
        assert "\n" not in str(refused)
        return
    assert len(found.call_key) <= 120 and len(found.number) <= 64 and len(found.reason) <= 120
    assert found.at.tzinfo is not None


def test_deep_nesting_is_refused():
    with pytest.raises(BadEvent):
        from_json("[" * 100_000 + "]" * 100_000)
