"""The workstation App: modes for the work areas, sign-in, and the things every screen shares.

Nothing here imports SQLAlchemy: the database opens in a worker after the first frame.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from textual import events, work
from textual.binding import Binding
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from cc_terminal.app_areas import WORK_AREAS, incoming_screen, landing_area
from cc_terminal.app_badges import BadgePolls
from cc_terminal.app_failure import SaysItInWords
from cc_terminal.app_keys import HelpAndPalette
from cc_terminal.app_landing import PreparesTheCallScreen
from cc_terminal.app_language import LanguageChoice
from cc_terminal.app_phone import PhoneRings
from cc_terminal.app_retention import watch_retention
from cc_terminal.app_tally import TallyKeys
from cc_terminal.config import Settings
from cc_terminal.i18n import N_, _
from cc_terminal.memory import freeze_long_lived
from cc_terminal.screens.session.lock import LockScreen
from cc_terminal.screens.session.login import LoginScreen
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.session_log import log, log_failure
from cc_terminal.widgets.select_keys import PicksByKeys, moves_on_when_answered
from cc_terminal.widgets.worker_failures import report_failure
from cc_terminal.widgets.worker_results import show_latest

if TYPE_CHECKING:
    from cc_terminal.app_floor import FloorWatch
    from cc_terminal.screens.calls.incoming import IncomingCallScreen
    from cc_terminal.services.common.reference import ReferenceLists
    from cc_terminal.services.common.views import Actor, TodayStats
    from cc_terminal.services.workstation import Workstation

STORE_TIMEOUT_SECONDS = 60
IDLE_CHECK_SECONDS = 5
ESCALATION_POLL_SECONDS = 2
# The work areas' keys (each action is its mode's name) and the tally's claim: nothing to
# do before someone signs in.
SIGNED_IN_ACTIONS = frozenset({*WORK_AREAS, "claim"})


def system_clock() -> datetime:
    return datetime.now(UTC)


class CCTerminal(
    SaysItInWords,
    TallyKeys,
    LanguageChoice,
    HelpAndPalette,
    BadgePolls,
    PhoneRings,
    PreparesTheCallScreen,
):
    """The call-centre workstation. It returns an error line when it could not run."""

    TITLE = "cc-terminal"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "login"
    MODES: ClassVar = {"login": LoginScreen, **WORK_AREAS}
    BINDINGS = [
        Binding("f1", "help", N_("Help"), id="app.help"),
        Binding("question_mark", "help", N_("Help"), id="app.help_key", show=False),
        Binding("f2", "incoming", N_("Incoming call"), id="app.incoming"),
        Binding("f3", "outbound", N_("Outbound"), id="app.outbound", priority=True),
        Binding("f4", "orders", N_("Orders"), id="app.orders", priority=True),
        # Not a priority: the order form's F5 (visit slots) comes first there.
        Binding("f5", "tally", N_("Tally"), id="app.tally"),
        # A priority: a text area takes F6 for itself.
        Binding("f6", "days_off", N_("Days off"), id="app.days_off", priority=True),
        Binding("f7", "queues", N_("Queues"), id="app.queues", priority=True),
        # F8 on every screen, the call's too (editing the caller there is Ctrl+U).
        Binding("f8", "chats", N_("Chat"), id="app.chats", priority=True),
        # B for break; F9 belongs to the call screen (hung up).
        Binding("ctrl+b", "pause", N_("Pause / resume"), id="app.pause"),
        # + wherever a field is not typing it (a phone number starts with +); Ctrl+Y even
        # there (a priority over the notes' redo, which Super+Y still does).
        Binding("plus", "claim", N_("Claim a success"), id="app.claim"),
        Binding("ctrl+y", "claim", N_("Claim a success"), id="app.claim_any", priority=True),
        Binding("f10", "setup", N_("Setup"), id="app.setup", priority=True),
        Binding("f11", "conflicts", N_("Sync conflicts"), id="app.conflicts", show=False),
        Binding("ctrl+o", "sign_out", N_("Sign out"), id="app.sign_out"),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit", priority=True),
    ]

    operator_line: reactive[str] = reactive("")
    storage_line: reactive[str] = reactive("")
    clock_text: reactive[str] = reactive("")
    today: reactive[TodayStats | None] = reactive(None)
    pause_line: reactive[str] = reactive("")

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] = system_clock) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.zone = ZoneInfo(settings.timezone)
        self.services: Workstation | None = None
        self.actor: Actor | None = None
        self.store_error: str | None = None
        self._store_ready = threading.Event()
        self.use_language(settings.language, at_start=True)
        self.operator_line = _("not signed in")  # in the terminal's language, not the import's
        self.cursor_blink = settings.cursor_blink
        self.open_call_screen: IncomingCallScreen | None = None
        self.last_input = time.monotonic()
        self.floor_watch: FloorWatch | None = None
        self._lists: ReferenceLists | None = None
        self.phone_setup()

    @property
    def lists(self) -> ReferenceLists:
        """The configurable lists, read when the database opens, at sign-in and again after
        a lead changes them."""
        assert self._lists is not None
        return self._lists

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1, self.tick)
        self.last_input = time.monotonic()
        self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self.set_interval(ESCALATION_POLL_SECONDS, self.poll_escalations)
        watch_retention(self)

    def on_ready(self) -> None:
        self.open_store()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """Cover the screen after the idle minutes; the call behind it goes on. Not while
        the app closes: its timers stop only after its screens have gone."""
        minutes = self.settings.idle_lock_minutes
        closing = not self.is_running  # asked before self.screen: there is none left
        if not minutes or self.actor is None or closing or isinstance(self.screen, LockScreen):
            return
        if time.monotonic() - self.last_input < minutes * 60:
            return
        services = self.require_services()
        self.run_worker(
            lambda: services.auth.lock_session(self.require_actor()),
            thread=True,
            exit_on_error=False,
        )
        self.push_screen(LockScreen())

    def tick(self) -> None:
        self.clock_text = self.clock().astimezone(self.zone).strftime("%H:%M")

    # -- the store --------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="store")
    def open_store(self) -> None:
        from cc_terminal.services.privacy.sign_in_source import WORKSTATION
        from cc_terminal.services.workstation import open_workstation
        from cc_terminal.store.errors import StoreError

        try:
            self.services = open_workstation(self.settings, clock=self.clock, channel=WORKSTATION)
        except StoreError as error:
            self.store_error = str(error)
        except Exception as error:
            log_failure("opening the database", error)
            self.store_error = _("cannot open the database: {error}").format(error=error)
        finally:
            self._store_ready.set()
        self.call_from_thread(self._store_opened)
        # While the operator types, load the first work screen's code too.
        import cc_terminal.screens.calls.incoming  # noqa: F401

        self.ready_before_sign_in()

    def _store_opened(self) -> None:
        freeze_long_lived()
        if self.services is not None:
            from cc_terminal.app_floor import FloorWatch

            self.floor_watch = FloorWatch(self, self.services, self.storage_line)
            self.floor_watch.start()
        for screen in self.screen_stack:
            if isinstance(screen, LoginScreen):
                screen.store_opened(self.store_error)
        if self.store_error:
            self.notify(self.store_error, severity="error", timeout=30)

    def wait_for_services(self) -> Workstation:
        """Block a worker thread until the database is open; raise if it cannot be."""
        if not self._store_ready.wait(STORE_TIMEOUT_SECONDS):
            raise ServiceError(_("The database is taking too long to open."))
        if self.services is None:
            raise ServiceError(self.store_error or _("The database is not available."))
        return self.services

    def require_services(self) -> Workstation:
        """The open services; screens behind sign-in always have them."""
        assert self.services is not None
        return self.services

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise ServiceError(_("Not signed in."))
        return self.actor

    async def reload_lists(self) -> None:
        """A lead changed the lists: read them again and rebuild the call screen if idle."""
        services = self.require_services()
        self._lists = await asyncio.to_thread(services.reference.lists)
        if self.open_call_screen is None and self.current_mode != "incoming":
            await self.remove_mode("incoming")
            self.add_mode("incoming", incoming_screen)

    # -- signing in and out -----------------------------------------------------------

    def signed_in(self, actor: Actor, lists: ReferenceLists, today: TodayStats | None) -> None:
        """``today``: the figures the sign-in read, or None when it could not (read again)."""
        self.actor = actor
        self._lists = lists
        self.today = today
        self.use_language(actor.language or self.settings.language)  # the header's line too
        log.info("signed in: %s (%s)", actor.username, actor.role)
        if today is None:
            self.refresh_today()
        landing = landing_area(actor, self.require_services())
        self.take_prepared_screen(landing, lists)
        self.switch_mode(landing)
        if self.floor_watch is not None:
            self.floor_watch.sync_now()  # the header's floor line for this person, at once
        self.run_worker(self.start_phone(), exit_on_error=False, group="phone-start")

    def share_now(self) -> None:
        """On a folder floor: a round now rather than at the next tick (a chat's answer)."""
        if self.floor_watch is not None:
            self.floor_watch.sync_now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="today")
    def refresh_today(self) -> None:
        """Today's figures again, after the operator saved something that counts."""
        actor, services = self.actor, self.services
        if actor is not None and services is not None:
            show_latest(self, setattr, self, "today", services.today(actor))

    def action_incoming(self) -> None:
        self.switch_mode("incoming")

    def action_outbound(self) -> None:
        self.switch_mode("outbound")

    def action_orders(self) -> None:
        self.switch_mode("orders")

    def action_tally(self) -> None:
        self.switch_mode("tally")

    def action_days_off(self) -> None:
        self.switch_mode("days_off")

    async def action_queues(self) -> None:
        already = self.current_mode == "queues"  # then F7 reads the queues again
        await self.switch_mode("queues")
        from cc_terminal.screens.calls.queues import QueueScreen

        screen = self.screen
        if not isinstance(screen, QueueScreen):
            return
        if already:
            screen.action_refresh()
        if self.escalations_waiting or self.answers_waiting:
            screen.show_escalations(mine=not self.escalations_waiting)
        elif self.requests_overdue:
            screen.show_overdue()

    async def call_back(self, phone_call_id: uuid.UUID, number: str) -> None:
        """F7's "My callbacks": F2 finds the number; saving that call marks it done."""
        await self.switch_mode("incoming")
        from cc_terminal.screens.calls.incoming import IncomingCallScreen

        if isinstance(self.screen, IncomingCallScreen):
            self.screen.call_back(phone_call_id, number)

    def action_chats(self) -> None:
        self.switch_mode("chats")

    def action_setup(self) -> None:
        if self.actor is not None and not self.actor.is_lead:
            self.action_choose_language()  # an operator's F10: her own settings
        else:
            self.switch_mode("setup")

    def action_conflicts(self) -> None:
        """Team leads decide the values that lost to a concurrent edit elsewhere (the key
        is theirs alone; the service checks the role again)."""
        from cc_terminal.screens.setup.conflicts import ConflictsScreen

        self.push_screen(ConflictsScreen())

    async def action_sign_out(self) -> None:
        actor, services = self.actor, self.services
        if actor is not None and services is not None:
            await asyncio.to_thread(services.work_clock.end, actor)
            services.auth.sign_out(actor)
            log.info("signed out: %s", actor.username)
        await self.stop_phone()
        self.pause_line = ""
        self.days_off_due = ""
        self.actor = None
        self.today = None
        self.escalations_waiting = self.requests_overdue = self.answers_waiting = 0
        self.callbacks_due = 0
        self.chats_waiting = (0, 0, 0)
        self.use_language(self.settings.language)
        self.operator_line = _("not signed in")
        await self.switch_mode("login")
        for name, factory in WORK_AREAS.items():
            await self.remove_mode(name)
            self.add_mode(name, factory)
        self.prepare_call_screen()  # for the next person
        screen = self.screen
        if isinstance(screen, LoginScreen):
            screen.reset()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, LockScreen):
            return action == "quit"  # nothing else reaches past the lock, not even F-keys
        if action in SIGNED_IN_ACTIONS:
            return self.actor is not None
        if action == "pause":
            return self.actor is not None and self.open_call_screen is None
        if action == "conflicts":
            return self.actor is not None and self.actor.is_lead
        if action == "sign_out":
            return self.actor is not None and self.open_call_screen is None
        return True

    def on_incoming_call_screen_call_changed(self, event: IncomingCallScreen.CallChanged) -> None:
        self.open_call_screen = event.screen if event.call_open else None
        if self.screen_stack:  # the call screen also reports its close while the app shuts down
            self.refresh_bindings()

    def on_picks_by_keys_picked(self, event: PicksByKeys.Picked) -> None:
        moves_on_when_answered(event)

    async def action_quit(self) -> None:
        call_screen = self.open_call_screen
        if call_screen is None:
            self._close_and_exit()
            return
        from cc_terminal.screens.pickers import ConfirmQuit

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                call_screen.keep_draft_now()
                self._close_and_exit()

        if not isinstance(self.screen, ConfirmQuit):
            self.push_screen(ConfirmQuit(), answered)

    def on_unmount(self) -> None:
        if self.floor_watch is not None:
            self.floor_watch.stop()

    def _close_and_exit(self) -> None:
        if self.floor_watch is not None:
            self.floor_watch.stop()
        if self.services is not None:
            if self.actor is not None:
                self.services.work_clock.end(self.actor)
            self.services.close()
        self.exit()

    def log_folder(self) -> Path:
        return self.settings.data_dir

    # -- one place for unexpected worker failures -----------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            report_failure(self, event.worker)
