"""What every workstation screen shares: its area name and typed access to the app."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Protocol, TypeVar, cast
from zoneinfo import ZoneInfo

from textual import events, on
from textual.geometry import Size
from textual.screen import Screen

from cc_terminal.widgets.worker_failures import ReportsWorkerFailures

if TYPE_CHECKING:
    from textual.timer import Timer

    from cc_terminal.config import Settings
    from cc_terminal.services.common.reference import ReferenceLists
    from cc_terminal.services.common.views import Actor, TodayStats
    from cc_terminal.services.phone.views import PhoneCallView, SoftphoneSaid
    from cc_terminal.services.workstation import Workstation

# Below these a screen carries -narrow / -short, and app.tcss stacks, hides or toggles its
# side panes: every screen works on an 80x24 terminal.
NARROW = 100
SHORT = 30

# What a screen reaches of the workstation: its domain's Protocol (screens/<domain>/services.py).
S = TypeVar("S")


class WorkstationApp(Protocol):
    """What the screens, the dialogs and the app's helpers use of the workstation app
    (app.py's CCTerminal). Typed here, so that nothing below the app imports the app: the
    app imports the screens, never the other way round."""

    settings: Settings
    clock: Callable[[], datetime]
    zone: ZoneInfo
    actor: Actor | None
    services: Workstation | None
    cursor_blink: bool
    storage_line: str

    @property
    def lists(self) -> ReferenceLists: ...

    def require_actor(self) -> Actor: ...

    def require_services(self) -> Workstation: ...

    def wait_for_services(self) -> Workstation: ...

    def signed_in(self, actor: Actor, lists: ReferenceLists, today: TodayStats | None) -> None: ...

    async def reload_lists(self) -> None: ...

    def refresh_today(self) -> object: ...

    def poll_escalations(self) -> object: ...

    def chats_changed(self) -> None: ...

    def share_now(self) -> None: ...

    def phone_store_changed(self) -> object: ...

    # F3 dialling a lead: where the outgoing calls' news go (app_phone.py), and the
    # softphone's commands ("" when done, else the problem in words)
    phone_dialler: Callable[[PhoneCallView], object] | None

    async def phone_command(self, name: str, params: str = "") -> str: ...

    async def softphone_said(self, name: str, params: str = "") -> SoftphoneSaid: ...

    def open_tally_of(self, operator_id: uuid.UUID) -> None: ...

    def call_back(self, phone_call_id: uuid.UUID, number: str) -> object: ...

    # The few Textual services that the helpers outside a screen schedule through.
    def call_from_thread(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...

    def set_interval(self, interval: float, callback: Callable[[], Any]) -> Timer: ...

    def notify(
        self,
        message: str,
        *,
        severity: Literal["information", "warning", "error"] = ...,
        timeout: float | None = ...,
    ) -> None: ...

    def run_worker(
        self,
        work: Callable[[], Any],
        *,
        thread: bool = ...,
        exclusive: bool = ...,
        group: str = ...,
        exit_on_error: bool = ...,
    ) -> Any: ...

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...


class WorkstationAccess(ReportsWorkerFailures, Generic[S]):
    """Typed access to the app and its services, for screens and dialogs alike; a worker
    failing unexpectedly is reported by the app (ReportsWorkerFailures). ``services`` is
    typed as the domain's Protocol S, so a screen reaches only its domain's services."""

    app: Any

    @property
    def workstation(self) -> WorkstationApp:
        workstation: WorkstationApp = self.app
        return workstation

    @property
    def services(self) -> S:
        # The one Workstation stands for every domain's Protocol: app_areas.py has mypy
        # prove that it satisfies each of them.
        return cast(S, self.workstation.require_services())


class FitsTheTerminal:
    """A screen (or a form) that carries -narrow and -short on a small terminal."""

    app: Any
    if TYPE_CHECKING:

        def set_class(self, add: bool, *class_names: str, update: bool = True) -> Any: ...

    def on_resize(self, event: events.Resize) -> None:
        self.fit_to(event.size)

    def on_screen_resume(self) -> None:
        self.fit_to(self.app.size)  # the terminal may have changed size while it was away

    def fit_to(self, size: Size) -> None:
        self.set_class(size.width < NARROW, "-narrow")
        self.set_class(size.height < SHORT, "-short")


class WorkstationScreen(FitsTheTerminal, WorkstationAccess[S], Screen[Any]):
    AREA: ClassVar[str] = ""
    _away_since_styled = False

    @on(events.ScreenSuspend)
    def _left(self) -> None:
        self._away_since_styled = True

    @on(events.ScreenResume)
    def _styles_still_current(self, event: events.ScreenResume) -> None:
        """Its widgets were styled as they mounted; until the screen is first left nothing
        can have changed them, so its first show (which Textual resumes twice) does not
        restyle the whole tree again: a third of sign-in's UI work (profiled). A change of
        the stylesheet meanwhile (a theme) is still applied: Textual counts those apart."""
        if not self._away_since_styled:
            event.refresh_styles = False
