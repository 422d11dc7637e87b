"""``PhoneCalls``: the one service that stores what the phone reports, and the missed
calls' callbacks. Every event goes through ``apply`` whatever carried it (baresip's
ctrl_tcp, the webhook, ``cc-terminal ring``), so the rules are in one place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from cc_terminal.services.common.views import Actor
from cc_terminal.services.phone import callbacks
from cc_terminal.services.phone.events import PhoneEvent
from cc_terminal.services.phone.views import MissedCallView, PhoneCallView
from cc_terminal.store.database import Database


class PhoneCalls:
    def __init__(self, db: Database, clock: Callable[[], datetime], region: str = "CZ") -> None:
        self.db, self.clock, self.region = db, clock, region

    def apply(
        self, actor: Actor, event: PhoneEvent, operator_id: uuid.UUID | None = None
    ) -> PhoneCallView:
        """Store ``event`` in one write and return its call as it now stands.

        Idempotent and order-tolerant: the first event of a ``call_key`` creates its row
        (an ANSWER or HANGUP before its RING too; ``rang_at`` is the earliest time seen);
        an event that repeats what is stored changes nothing. A HANGUP ends the call:
        "answered" after an ANSWER; else by its SIP code (486/600 busy, 408/480
        unanswered, 404/484/604 failed), else "abandoned" for an incoming call (the
        caller hung up first) and "unanswered" for an outgoing one. ``operator_id`` is who
        is signed in on that extension when the caller knows it (the TUI passes its
        operator; the webhook and the CLI do not). The caller's number is made E.164 with
        the terminal's region ("" when it does not parse; ``number_raw`` keeps it as
        said) and looked up (exact, on customer_phone) for ``customer_id`` when one
        customer has it. Any signed-in account or a service account may apply."""
        raise NotImplementedError

    def link_call(self, actor: Actor, call_key: str, call_id: uuid.UUID) -> None:
        """The saved ``call`` record this phone call became (F2 saves the call, then calls
        this with its id). Linking again to the same call changes nothing."""
        raise NotImplementedError

    def call(self, call_key: str) -> PhoneCallView | None:
        """The call stored under ``call_key``, or None."""
        raise NotImplementedError

    def missed(self, since: datetime | None = None) -> list[MissedCallView]:
        """Incoming calls that ended unanswered (abandoned, unanswered, busy) and were not
        called back, oldest first; since ``since`` when given. (phone-floor builds it.)"""
        return callbacks.missed(self.db, since)

    def assign_callback(
        self, actor: Actor, phone_call_id: uuid.UUID, operator_id: uuid.UUID | None
    ) -> None:
        """A team lead gives a missed call's callback to an operator (None: back to
        nobody). (phone-floor builds it.)"""
        callbacks.assign_callback(self.db, actor, phone_call_id, operator_id)

    def my_callbacks(self, actor: Actor) -> list[MissedCallView]:
        """The missed calls given to ``actor`` to call back, not done yet. (phone-floor.)"""
        return callbacks.my_callbacks(self.db, actor)

    def callback_done(self, actor: Actor, phone_call_id: uuid.UUID, call_id: uuid.UUID) -> None:
        """The callback of a missed call was made: ``call_id`` is the call record it
        became. (phone-floor builds it.)"""
        callbacks.callback_done(self.db, actor, phone_call_id, call_id, self.clock())
