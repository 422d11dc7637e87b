"""F2's screen composed while the person at the sign-in screen types, so that the sign-in
then only shows it.

Composing and mounting the call screen took about 60 ms of the UI thread after the
password's check, on the sign-in's path. Composed during the check instead, it only slowed
the check: the Argon2id run has four lanes and the machine two cores, so nothing runs
beside it for free. So it is composed once the database has opened and the lists are read
(and again after each sign-out, for the next person), when the UI thread waits for keys;
the keys typed meanwhile wait those milliseconds and are kept. It reads nothing of the
person. It is shown only when it is what the sign-in shows and still right for it: F2 is
where the person lands, in the language it was composed in, with the lists it was composed
with. Otherwise it is dropped and F2 is composed when first shown, as before. Alternated
sign-ins in fresh tmux terminals (100,000 customers): median 437 -> 368 ms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from cc_terminal.app_areas import incoming_screen
from cc_terminal.i18n import current_language
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.session_log import log
from cc_terminal.store.errors import StoreError

if TYPE_CHECKING:
    from cc_terminal.services.common.reference import ReferenceLists
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation


@dataclass(frozen=True)
class PreparedScreen:
    screen: Screen[Any]
    language: str
    lists: ReferenceLists


class PreparesTheCallScreen(App[str]):
    """Mixed into the workstation App (app.py), which reads the lists when the database
    opens."""

    _prepared: PreparedScreen | None = None
    _lists: ReferenceLists | None
    services: Workstation | None
    actor: Actor | None

    def ready_before_sign_in(self) -> None:
        """In the worker that opened the database: the lists for the screen composed ahead
        of the first sign-in, then today's figures' statements compiled for nobody, so that
        the sign-in's first read of them costs what a later one does, and the screen pop's,
        so the first caller's pop does too (services' warm_reads). A failure only means that
        they are not ready ahead."""
        services = self.services
        if services is None:
            return
        try:
            self.call_from_thread(self._lists_read, services.reference.lists())
            services.warm_reads()
        except (ServiceError, StoreError):
            log.warning("the sign-in could not be made ready ahead", exc_info=True)

    def _lists_read(self, lists: ReferenceLists) -> None:
        if self._lists is None:  # a sign-in's own read, when one came first, is newer
            self._lists = lists
        if self.actor is None:
            self.prepare_call_screen()

    def prepare_call_screen(self) -> None:
        """Once the lists are known and nobody is signed in."""
        lists = self._lists
        if self._prepared is not None or lists is None or self.services is None:
            return
        screen = incoming_screen()
        self._prepared = PreparedScreen(screen, current_language(), lists)
        # Textual composes a mode's screen only when the mode is first shown; registering
        # it now (what a push does first) composes and mounts it without showing it.
        self._get_screen(screen)

    def take_prepared_screen(self, landing: str, lists: ReferenceLists) -> None:
        """At sign-in, once the person's language is set: F2's mode shows the prepared
        screen when it fits, or the screen is dropped."""
        prepared, self._prepared = self._prepared, None
        if prepared is None:
            return
        fits = prepared.language == current_language() and prepared.lists == lists
        if landing == "incoming" and fits:
            self.remove_mode("incoming")  # never shown since the last sign-out: no screens
            self.add_mode("incoming", lambda: prepared.screen)
        else:
            # From its own queue, after its compose and mount: one registered in this same
            # tick has not mounted yet, and its mount would then look for widgets removed.
            prepared.screen.call_later(prepared.screen.remove)
