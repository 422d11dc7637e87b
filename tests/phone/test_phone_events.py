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


BODY = {"kind": "ring", "call_key": "pbx:1", "extension": "101", "number": "+420601123456"}


def refusal(**changes: object) -> str:
    with pytest.raises(BadEvent) as refused:
        from_json(json.dumps(BODY | changes), now=NOW)
    return str(refused.value)


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"kind": "x" * 11}, "kind: too long"),
        ({"kind": "x" * 10}, "kind: one of ring, answer, hangup"),
        ({"extension": "1" * 41}, "extension: too long"),
        ({"extension": "1" * 40}, "extension: 1 to 16 letters, digits or +*#._-"),
        ({"number": "1" * 401}, "number: too long"),
        ({"direction": "x" * 9}, "direction: too long"),
        ({"direction": "x" * 8}, "direction: in or out"),
        ({"call_key": "k" * 122}, "call_key: too long"),
        ({"call_key": "k" * 121}, "call_key: at most 120 characters"),
        ({"call_key": ""}, "call_key: missing"),
        ({"reason": "r" * 10_001}, "reason: too long"),
        ({"sip_code": "4860"}, "sip_code: a SIP code from 100 to 699"),
        ({"sip_code": 99}, "sip_code: a SIP code from 100 to 699"),
        ({"sip_code": 700}, "sip_code: a SIP code from 100 to 699"),
        ({"at": 20261205}, "at: an ISO 8601 time"),
        ({"at": "2026-12-05T10:00:00.000000+01:00:00.00000"}, "at: an ISO 8601 time"),
        ({"at": "the fifth"}, "at: an ISO 8601 time"),
        ({"at": "2026-12-05T10:00:00"}, "at: give the time zone (Z or +01:00)"),
    ],
)
def test_each_refusal_names_its_field_in_one_line(changes, said):
    assert refusal(**changes) == said


def test_the_bounds_themselves_are_allowed():
    event = from_json(
        json.dumps(
            BODY
            | {
                "number": "1" * 400,
                "direction": "out",
                "call_key": "k" * 120,
                "reason": "r" * 10_000,
                "sip_code": "100",
                "at": "2026-12-05T10:00:00.000000+01:00:00.0000",  # 40 characters
            }
        )
    )
    assert (event.number, event.direction, event.call_key) == ("1" * 64, "out", "k" * 120)
    assert (event.reason, event.sip_code) == ("r" * 120, 100)
    assert event.at == datetime(2026, 12, 5, 9, 0, tzinfo=UTC) and event.at.tzinfo is UTC
    assert from_json(json.dumps(BODY | {"sip_code": 699}), now=NOW).sip_code == 699
    assert from_json(json.dumps(BODY | {"sip_code": ""}), now=NOW).sip_code is None
    assert from_json(json.dumps(BODY | {"at": ""}), now=NOW).at == NOW
    with pytest.raises(BadEvent, match=r"^at: missing$"):
        from_json(json.dumps(BODY))


def test_a_body_of_the_frames_size_is_read_and_one_byte_more_is_not():
    text = json.dumps(BODY)
    whole = text[:-1] + " " * (MAX_FRAME - len(text)) + "}"
    assert from_json(whole, now=NOW).call_key == "pbx:1"
    with pytest.raises(BadEvent, match=rf"^body longer than {MAX_FRAME} bytes$"):
        from_json(whole + " ", now=NOW)
    with pytest.raises(BadEvent, match=r"^not JSON$"):
        from_json("{", now=NOW)
    with pytest.raises(BadEvent, match=r"^not a JSON object$"):
        from_json("[]", now=NOW)


def test_the_json_form_is_ascii_and_keeps_the_direction():
    event = PhoneEvent(PhoneEventKind.RING, "pbx:2", "101", "+420601", NOW, "out", None, "Zavěsil")
    text = to_json(event)
    assert text.isascii()
    assert from_json(text) == event


def test_a_uris_user_part_is_cut_at_the_first_at_and_semicolon():
    assert number_of_uri("<tel:ALEX>") == "ALEX"
    assert number_of_uri("tel:+420601;phone-context=x;y=z") == "+420601"
    assert number_of_uri("sip:601@gw@elsewhere") == "601"


def test_netstrings_one_by_one_and_across_reads():
    reader = NetstringReader()
    assert reader.feed(b"1:a,2:bc,3:a:b,") == [b"a", b"bc", b"a:b"]
    assert reader.feed(b"10000") == []  # five digits and no colon yet: more to come
    assert reader.feed(b":" + b"x" * 10_000 + b",") == [b"x" * 10_000]
    assert NetstringReader(limit=5).feed(b"5:hello,") == [b"hello"]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b":x,", "a netstring's length is not a number up to 65536"),
        (b"123456:x,", "a netstring's length is not a number"),
        (b"ab", "a netstring's length is not a number"),
        (b"1:ab,", "a netstring does not end in a comma"),
        (b"99999:", "a netstring's length is not a number up to 65536"),
    ],
)
def test_a_broken_netstring_says_how(data, said):
    (broken,) = NetstringReader().feed(data)
    assert isinstance(broken, BadEvent) and str(broken) == said
