"""The phone in the workstation App: while someone is signed in on a terminal with an
extension, the terminal listens on its socket (``cc-terminal ring`` and the webhook on
this host forward there), follows its softphone when one is set (baresip's ctrl_tcp; the
header says whether it is connected), and in server mode hears rings stored by a webhook
on another host through NOTIFY. The extension is the signed-in account's when the team
lead set one (F10, Accounts, K), else the terminal's own (F10, E).

Events go into a coalescing inbox (the newest of each kind per call); one thread applies
them in batches and hands the calls' newest states to F2 once per batch, so a storm of
1,000 events a second costs the screen one update per batch. A ring brings F2 forward
whatever screen or dialog is up (the dialog stays where it was, on its own area)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.reactive import reactive
from textual.worker import get_current_worker

from cc_terminal.i18n import _
from cc_terminal.services.phone.baresip import BaresipLink, LinkState, Unconfirmed
from cc_terminal.services.phone.events import PhoneEvent, PhoneEventKind
from cc_terminal.services.phone.local_socket import PhoneInbox, listen, socket_path
from cc_terminal.services.phone.views import SoftphoneSaid
from cc_terminal.session_log import log, log_failure

if TYPE_CHECKING:
    from collections.abc import Callable

    from cc_terminal.config import Settings
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.phone.views import PhoneCallView
    from cc_terminal.services.workstation import Workstation


def ringing_view(event: PhoneEvent, region: str) -> PhoneCallView:
    """A ring as F2 reads a stored call, before it is stored (the number made E.164 here)."""
    from cc_terminal.services.phone.calls import e164_of
    from cc_terminal.services.phone.views import PhoneCallView

    e164 = e164_of(event.number, region) if event.number else ""
    return PhoneCallView(
        uuid.uuid4(), event.call_key, event.direction, event.extension, event.number, e164,
        None, None, "", event.at, None, None, None, "", None,
    )  # fmt: skip


def link_words(state: LinkState, extension: str) -> str:
    if state is LinkState.CONNECTED:
        return _("☎ {ext}").format(ext=extension)
    if state is LinkState.RECONNECTING:
        return _("☎ {ext} softphone lost, reconnecting").format(ext=extension)
    return _("☎ {ext} softphone absent").format(ext=extension)


class PhoneRings(App[str]):
    phone_line: reactive[str] = reactive("")

    settings: Settings
    actor: Actor | None
    services: Workstation | None
    clock: Callable[[], datetime]

    def phone_setup(self) -> None:
        self.phone_inbox = PhoneInbox()
        self.phone_link: BaresipLink | None = None
        self._phone_server: asyncio.Server | None = None
        self._phone_task: asyncio.Task[None] | None = None
        self._phone_seen: datetime | None = None
        self._phone_busy = False
        # F3 while it dials a lead: the outgoing calls' news go there, never to F2
        self.phone_dialler: Callable[[PhoneCallView], object] | None = None
        self._phone_early = ""  # a ring handed to F2 before the applying thread is done
        # the extension followed: the account's when the team lead set one, else the terminal's
        self.phone_extension = ""

    async def start_phone(self) -> None:
        """For the one signed in: the socket, the softphone, the applying thread."""
        if self.actor is None:
            return
        extension = self.actor.phone_extension or self.settings.phone_extension
        if not extension:
            return
        self.phone_extension = extension
        try:
            path = socket_path(self.settings, extension)
            self._phone_server = await listen(path, self.phone_heard)
        except OSError as error:
            log_failure("listening for the phone", error)
            self.notify(_("The phone's socket could not open: {e}").format(e=error))
        if self.settings.softphone:
            self.phone_line = link_words(LinkState.ABSENT, extension)
            link = BaresipLink(
                self.settings.softphone, extension, self.phone_heard, self._link_state, self.clock
            )
            self.phone_link, self._phone_task = link, asyncio.create_task(link.run())
        self._phone_seen = self.clock()

    async def stop_phone(self) -> None:
        self.workers.cancel_group(self, "phone")
        self.phone_inbox.take()  # what came for the one signing out is not the next one's
        if self.phone_link is not None:
            await self.phone_link.stop()
        if self._phone_task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._phone_task, 5)
        if self._phone_server is not None:
            self._phone_server.close()
            with contextlib.suppress(OSError):
                socket_path(self.settings, self.phone_extension).unlink()
        self.phone_link = self._phone_server = self._phone_task = None
        self.phone_line = self.phone_extension = ""

    def action_phone_settings(self) -> None:
        """E on F10: this terminal's extension and softphone (kept in its settings file)."""
        from cc_terminal.screens.setup.terminal_phone import TerminalPhoneForm

        def saved(settings: Settings | None) -> None:
            if settings is not None:
                self.run_worker(self._phone_again(settings), exit_on_error=False)

        if self.actor is not None:
            self.push_screen(TerminalPhoneForm(), saved)

    async def _phone_again(self, settings: Settings) -> None:
        await self.stop_phone()
        self.settings = settings
        await self.start_phone()
        self.notify(_("This terminal's phone is kept."), timeout=5)

    async def phone_command(self, name: str, params: str = "") -> str:
        """Send ``name`` (dial, accept, hangup, transfer) to the softphone; "" when it said
        yes, else the problem in words (no softphone, not connected, refused)."""
        return (await self.softphone_said(name, params)).problem

    async def softphone_said(self, name: str, params: str = "") -> SoftphoneSaid:
        """As ``phone_command``, telling apart a command sent whose answer never came
        (``unconfirmed``: it may have been done) from one that could not be sent."""
        link = self.phone_link
        if link is None:
            return SoftphoneSaid(_("No softphone is set for this terminal (F10)."))
        try:
            answer = await (link.dial(params) if name == "dial" else link.command(name, params))
        except Unconfirmed:
            return SoftphoneSaid(_("The softphone does not answer."), unconfirmed=True)
        except (ConnectionError, OSError, TimeoutError):
            return SoftphoneSaid(_("The softphone does not answer."))
        except ValueError:
            return SoftphoneSaid(_("This number cannot be dialled."))
        if answer.get("ok") is not True:
            said = str(answer.get("data", "")).strip()[:120]
            return SoftphoneSaid(_("The softphone refused: {said}").format(said=said or name))
        return SoftphoneSaid()

    def _link_state(self, state: LinkState) -> None:
        log.info("softphone: %s", state.value)
        self.phone_line = link_words(state, self.phone_extension)

    def phone_heard(self, event: PhoneEvent) -> None:
        """On the app's loop: an event from the socket or the softphone."""
        if not self.phone_extension or event.extension != self.phone_extension:
            return
        self.phone_inbox.put(event)
        if event.kind is PhoneEventKind.RING and not self._phone_early:
            # The card need not wait for the ring's write: F2 looks the number up now, and
            # the stored call's state follows as any other news of the same call. One at a
            # time until the applying thread is done: a storm hands F2 one ring early.
            self._phone_early = event.call_key
            self.call_later(self.phone_news, [ringing_view(event, self.settings.default_region)])
        if not self._phone_busy:
            self._phone_busy = True
            self.apply_phone_events()

    def _phone_applied(self) -> None:
        """On the app's loop: the applying thread is done; more may have come meanwhile."""
        self._phone_busy, self._phone_early = False, ""
        if self.phone_inbox.ready.is_set() and self.actor is not None:
            self._phone_busy = True
            self.apply_phone_events()

    @work(thread=True, exit_on_error=False, group="phone")
    def apply_phone_events(self) -> None:
        """Batches until the inbox is empty: each call's newest state goes to F2 once a
        batch. Runs only while events come (no thread waits when the phone is quiet)."""
        try:
            while batch := self.phone_inbox.take():
                newest = self._applied(batch)
                if newest and not get_current_worker().is_cancelled:
                    self.call_from_thread(self.phone_news, newest)  # type: ignore[arg-type]
        finally:
            self.call_from_thread(self._phone_applied)

    def _applied(self, batch: list[PhoneEvent]) -> list[PhoneCallView]:
        actor, services = self.actor, self.services
        if actor is None or services is None:
            return []
        newest: dict[str, PhoneCallView] = {}
        for event in batch:
            try:
                view = services.phone.apply(actor, event, operator_id=actor.operator_id)
            except Exception as error:  # one bad event never stops the phone
                log_failure("applying a phone event", error)
                continue
            newest[view.call_key] = view
        return list(newest.values())

    @work(thread=True, exclusive=True, exit_on_error=False, group="phone-store")
    def phone_store_changed(self) -> None:
        """Server mode: a call was stored elsewhere (a webhook on another host)."""
        services, extension, actor = self.services, self.phone_extension, self.actor
        if services is None or not extension or actor is None:
            return
        view = services.phone.latest(extension, after=self._phone_seen)
        mine = view is not None and view.operator_id in (None, actor.operator_id)
        if view is not None and mine and view.ended_at is None:
            self.call_from_thread(self.phone_news, [view])  # type: ignore[arg-type]

    async def phone_news(self, views: list[PhoneCallView]) -> bool:
        """On the UI thread: each call's newest state to F2 (a new ring brings F2 up);
        whether F2 took them (nobody signed in: not)."""
        from cc_terminal.screens.calls.incoming import IncomingCallScreen
        from cc_terminal.screens.session.lock import LockScreen

        if self.actor is None or any(isinstance(s, LockScreen) for s in self.screen_stack):
            return False  # locked: nothing of a caller shows over the lock (the call is kept)
        for view in sorted(views, key=lambda v: v.rang_at):
            if view.direction == "out":  # a call F3 dialled: its news go there
                if self.phone_dialler is not None:
                    self.phone_dialler(view)
                continue
            if self._phone_seen is None or view.rang_at > self._phone_seen:
                self._phone_seen = view.rang_at
            if view.ended_at is None and self.current_mode != "incoming":
                await self.switch_mode("incoming")
            if self.current_mode != "incoming":
                continue  # news of a call that is over, while F2 is not up
            found = [s for s in self.screen_stack if isinstance(s, IncomingCallScreen)]
            if found:
                found[0].phone_news(view)
        return True
