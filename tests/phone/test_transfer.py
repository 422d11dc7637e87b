"""A transfer (services/phone/transfer.py and PhoneCalls.transferred) on both databases:
the targets as the terminal's settings give them, the URI an extension is reached at, and
the phone call ending "transferred" whatever hang-up comes after, by its operator only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cc_terminal.services.common.errors import NotFound, PermissionDenied
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.transfer import (
    TransferTarget,
    extension_uri,
    read_targets,
    transfer_targets,
)
from tests.conftest import KNOWN_PHONE

RING, ANSWER, HANGUP = PhoneEventKind.RING, PhoneEventKind.ANSWER, PhoneEventKind.HANGUP


def event(clock, kind, seconds=0.0) -> PhoneEvent:
    return PhoneEvent(
        kind, "baresip:101:x", "101", KNOWN_PHONE, clock.now + timedelta(seconds=seconds)
    )


def test_the_targets_come_in_order_and_a_bad_pair_is_left_out():
    targets = transfer_targets(
        "Team lead=200; Billing = 301, nonsense, Bad=a b, Lab=sip:lab@10.0.0.9:5080"
    )
    assert targets == (
        TransferTarget("Team lead", "200", "1"),
        TransferTarget("Billing", "301", "2"),
        TransferTarget("Lab", "sip:lab@10.0.0.9:5080", "3"),
    )
    assert transfer_targets("") == ()
    assert len(transfer_targets(",".join(f"T{n}={n}" for n in range(20)))) == 9


def test_an_extension_is_reached_at_the_gateway_or_the_softphones_host():
    assert extension_uri("200", "pbx.example.cz", "127.0.0.1:4444") == "sip:200@pbx.example.cz"
    assert extension_uri("200", "", "10.0.0.5:4444") == "sip:200@10.0.0.5"
    assert extension_uri("sip:lab@10.0.0.9:5080", "pbx", "") == "sip:lab@10.0.0.9:5080"


def test_a_transferred_call_ends_so_whatever_hang_up_follows(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    ws.phone.apply(jana, event(clock, ANSWER, 3))
    clock.advance(40)
    view = ws.phone.transferred(jana, "baresip:101:x")
    assert view.end_reason == "transferred" and view.ended_at == clock.now
    after = ws.phone.apply(jana, event(clock, HANGUP, 45))
    assert after.end_reason == "transferred" and after.ended_at == view.ended_at
    assert ws.phone.transferred(jana, "baresip:101:x") == after  # again: nothing changes


def test_a_hang_up_stored_first_is_still_marked_transferred(ws, jana, clock):
    ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    ws.phone.apply(jana, event(clock, ANSWER, 3))
    ended = ws.phone.apply(jana, event(clock, HANGUP, 30))
    view = ws.phone.transferred(jana, "baresip:101:x")
    assert view.end_reason == "transferred" and view.ended_at == ended.ended_at


def test_only_its_operator_marks_a_call_transferred(ws, jana, petr, clock):
    ws.phone.apply(jana, event(clock, RING), operator_id=jana.operator_id)
    with pytest.raises(PermissionDenied):
        ws.phone.transferred(petr, "baresip:101:x")
    with pytest.raises(NotFound):
        ws.phone.transferred(jana, "baresip:101:nothing")


def test_the_parser_names_the_parts_that_are_not_targets():
    targets, bad = read_targets("Team lead=200; Billing 301, =5, Lab=sip:lab@10.0.0.9, X=a b,")
    assert [(t.name, t.extension, t.key) for t in targets] == [
        ("Team lead", "200", "1"),
        ("Lab", "sip:lab@10.0.0.9", "2"),
    ]
    assert bad == ("Billing 301", "=5", "X=a b")
    assert transfer_targets("Team lead=200; Billing 301") == targets[:1]


def test_an_empty_part_is_skipped_and_a_second_sign_spoils_a_pair():
    targets, bad = read_targets("Team lead=200,, ;Billing=301, Odd=1=2")
    assert [(t.name, t.extension) for t in targets] == [("Team lead", "200"), ("Billing", "301")]
    assert bad == ("Odd=1=2",)


def test_without_gateway_or_softphone_the_host_is_this_computer():
    assert extension_uri("200", "", "") == "sip:200@127.0.0.1"
    assert extension_uri("200", " ", "fe80::1:4444") == "sip:200@fe80::1"  # the port's colon
