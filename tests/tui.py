"""Driving the workstation headless with Pilot."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual._wait import wait_for_idle
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.notifications import Notifications
from textual.pilot import Pilot
from textual.widgets import Tabs
from textual.widgets._tabs import Underline
from textual.widgets._toast import ToastRack
from textual.worker import WorkerCancelled

from cc_terminal.app import CCTerminal
from cc_terminal.config import Settings
from tests.conftest import PASSWORDS, FixedClock

SIZE = (120, 40)
SMALL = (80, 24)
SLIDING_ENDS = ("highlight_start", "highlight_end")  # of a tab bar's underline
# A screen is pictured at the size it is designed for and at the smallest terminal it must work on.
BOTH_SIZES = pytest.mark.parametrize("size", [SIZE, SMALL], ids=["120x40", "80x24"])
both_sizes = BOTH_SIZES


def make_app(db_url: str, data_dir: Path, clock: FixedClock, language: str = "en") -> CCTerminal:
    settings = Settings(db_url=db_url, data_dir=data_dir, cursor_blink=False, language=language)
    return CCTerminal(settings, clock=clock)


def without_animations(app: CCTerminal) -> CCTerminal:
    """``app`` with Textual's animations off, as TEXTUAL_ANIMATIONS=none has them: a tab's
    underline lands at once instead of sliding for 0.3 s, and every key's wait for running
    animations ends at once. For the walks through every screen, which check what each
    shows once settled, not how it got there (a fifth to a third of their time)."""
    app.animation_level = "none"
    return app


async def settle(pilot: Pilot) -> None:
    """Let every worker finish and the screen catch up. A worker replaced by a newer one
    of its group (the header's poll every 2 s, a search refined) ends cancelled: that is
    its design, so it is waited past, not raised."""
    await _workers_done(pilot)
    await pilot.pause()
    await _workers_done(pilot)
    await pilot.wait_for_scheduled_animations()  # a tab's underline slides; a toast fades in
    await pilot.pause()


async def _workers_done(pilot: Pilot) -> None:
    for _attempt in range(5):
        try:
            await pilot.app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def wait_until(pilot: Pilot, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Pause until ``done()`` holds: for a state a poll or a held worker produces. It
    waits on the state, never a fixed time, and never on a worker the test holds back;
    the bound is for a loaded machine, not a time the test relies on."""
    began = time.monotonic()
    while not done():
        if time.monotonic() - began > timeout:
            raise AssertionError(f"the screen never got there within {timeout} s")
        await pilot.pause(0.05)


async def settled_until(pilot: Pilot, done: Callable[[], bool], within: float = 30.0) -> bool:
    """Settle until ``done()`` holds: for a chain of workers that hand over to each other
    (a form's answer saves, then the list reloads). Bounded by time, not by tries: forty
    tries were not enough on a machine running four test processes on two cores."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        await settle(pilot)
        if done():
            return True
        await pilot.pause(0.05)
    return done()


async def still(pilot: Pilot) -> None:
    """Before a snapshot of a screen that switched tabs or showed a toast: the toasts gone
    and the tab's underline done sliding, so the picture is the same on every run.

    The toasts go from every screen of the stack: a dialog shows the screen below it
    dimmed, and Textual clears only the top screen's toasts (a notice that arrived before
    the dialog opened stays under it until it times out)."""
    app = pilot.app
    app.clear_notifications()
    for screen in app.screen_stack:
        for rack in screen.query(ToastRack):
            rack.show(Notifications())
    await settle(pilot)
    await wait_until(pilot, lambda: _underlines_landed(app))
    await settle(pilot)


def _underlines_landed(app: CCTerminal) -> bool:
    """Every tab bar's underline under its active tab (where Tabs._highlight_active puts
    it), the bars of the screens under a dialog too (they show through, dimmed)."""
    for tabs in (tabs for screen in app.screen_stack for tabs in screen.query(Tabs)):
        active = tabs.query("#tabs-list > Tab.-active")
        if not tabs.display or not tabs.region or not active:
            continue
        tab = active.first()
        start, end = tab.virtual_region.shrink(tab.styles.gutter).column_span
        underline = tabs.query_one(Underline)
        if (underline.highlight_start, underline.highlight_end) != (start, end):
            return False
        if any(app.animator.is_being_animated(underline, side) for side in SLIDING_ENDS):
            return False
    return True


async def sign_in(pilot: Pilot, username: str = "jana", password: str | None = None) -> None:
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, password or PASSWORDS[username])
    await pilot.press("enter")
    await settle(pilot)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` into the focused field as a terminal delivers a fast typist's keys: the
    key events ``pilot.press`` sends, queued in order at once, then one wait for the app to
    take them. ``pilot.press`` waits twice for the app to go idle after every key, at least
    40 ms a key: most of what signing in and typing a number cost a test."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for character in text:
        event = events.Key(*_key_and_character(character))
        event.set_sender(app)
        driver.send_message(event)
    await wait_for_idle(0)
    await app._animator.wait_until_complete()
    await wait_for_idle(0)
    await pilot._wait_for_screen()


def _key_and_character(character: str) -> tuple[str, str | None]:
    """The key ``pilot.press(character)`` would send (App._press_keys)."""
    key = character if character.isalnum() else _character_to_key(character)
    try:
        return key, unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        return key, key if len(key) == 1 else None


async def choose_first_reason(pilot: Pilot) -> None:
    await pilot.press("ctrl+r", "enter", "down", "enter")
    await pilot.pause()


async def pop_caller(pilot: Pilot, number: str, username: str = "jana") -> None:
    """Sign in and look a number up, as an operator starts every call (a team lead, who
    lands on F7, presses F2 first)."""
    from cc_terminal.screens.calls.incoming import IncomingCallScreen

    await sign_in(pilot, username)
    if not isinstance(pilot.app.screen, IncomingCallScreen):
        await pilot.press("f2")
        await settle(pilot)
    await type_text(pilot, number)
    await pilot.press("enter")
    await settle(pilot)


def seed_history(app: CCTerminal, clock: FixedClock, *, escalate: bool = True) -> None:
    """A call, two offers, a request with a step and an escalation for the known caller,
    made through the services minutes before the test's 'now'."""
    from datetime import timedelta

    from cc_terminal.models.base import new_id
    from cc_terminal.services.calls.escalations import EscalationDraft
    from cc_terminal.services.calls.offers import OfferDraft
    from cc_terminal.services.calls.requests import RequestDraft
    from cc_terminal.services.common.views import CallDraft
    from tests.conftest import KNOWN_PHONE, login

    ws = app.require_services()
    jana, lead = login(ws, "jana"), login(ws, "lead")
    customer_id = ws.customers.lookup_phone(KNOWN_PHONE).matches[0].id
    now = clock.now
    clock.now = now - timedelta(days=3)
    started = clock.now
    clock.advance(240)
    ws.calls.record(
        jana,
        CallDraft(
            customer_id,
            KNOWN_PHONE,
            started,
            started,
            clock.now,
            "billing",
            "request_registered",
            "Invoice twice as high as usual",
        ),
    )
    ws.offers.record(jana, OfferDraft(customer_id, "MOB-M", False, refusal_reason="too_expensive"))
    request = ws.requests.create(
        jana, RequestDraft(customer_id, "billing", "Check the roaming charges")
    )
    clock.advance(3600)
    ws.requests.transition(lead, request.id, "forwarded", "roaming desk", department="technical")
    clock.now = now - timedelta(minutes=20)
    ws.offers.record(jana, OfferDraft(customer_id, "NET-100", True))
    if escalate:
        ws.escalations.raise_(
            jana,
            EscalationDraft(
                new_id(),
                customer_id,
                clock.now - timedelta(minutes=5),
                "complaint",
                "Wants a manager",
            ),
        )
    clock.now = now


def db(app: Any) -> Any:
    """The open services of an app under test, for the row-counting helpers."""
    return app.services


def draft_file(tmp_path: Path) -> Path | None:
    """The open call's kept draft, if one is on disk (the app's data folder is tmp_path)."""
    files = list((tmp_path / "drafts").glob("*.json"))
    return files[0] if files else None
