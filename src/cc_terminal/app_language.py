"""The app's language: the terminal's until someone signs in, then the person's own
(kept with the account, chosen with F10 or J on Setup), the terminal's again after sign-out.
A change redraws every work area in the new language, between calls."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import App

from cc_terminal.app_areas import WORK_AREAS
from cc_terminal.app_keys import storage_mode_line
from cc_terminal.i18n import LANGUAGE_NAMES, _, current_language, set_language
from cc_terminal.services.common.errors import ServiceError
from cc_terminal.widgets.header import operator_line

if TYPE_CHECKING:
    from cc_terminal.config import Settings
    from cc_terminal.screens.calls.incoming import IncomingCallScreen
    from cc_terminal.services.common.views import Actor
    from cc_terminal.services.workstation import Workstation


class LanguageChoice(App[str]):
    """The workstation App's part that picks and applies the language."""

    settings: Settings
    actor: Actor | None
    open_call_screen: IncomingCallScreen | None
    storage_line: str
    operator_line: str

    if TYPE_CHECKING:  # the workstation App's own

        def require_actor(self) -> Actor: ...

        def require_services(self) -> Workstation: ...

    def use_language(self, language: str, *, at_start: bool = False) -> bool:
        """Translate from now on into ``language``; True when that changed the language
        (the header's lines are then said again in it)."""
        before = current_language()
        set_language(language)
        changed = current_language() != before
        if changed or at_start:
            self.storage_line = storage_mode_line(self.settings)
            watch = getattr(self, "floor_watch", None)
            if watch is not None:
                watch.base_line = self.storage_line
                watch.redraw()  # "working locally", "server away since": in the new words
                watch.sync_now()  # the floor's state after it, in the new words
        if self.actor is not None:
            self.operator_line = operator_line(self.actor.full_name, self.actor.role)
        return changed

    def action_choose_language(self) -> None:
        actor = self.actor
        if actor is None:
            return
        if self.open_call_screen is not None or getattr(self.screen, "lead_open", False):
            self.notify(_("Finish the call first: the language changes between calls."))
            return

        from cc_terminal.screens.session.language import LanguagePicker

        def chosen(language: str | None) -> None:
            if language is not None and language != actor.language:
                self.run_worker(self._keep_language(language), exit_on_error=False)

        self.push_screen(LanguagePicker(actor.language, self.settings.language), chosen)

    async def _keep_language(self, language: str) -> None:
        services = self.require_services()
        try:
            actor = await asyncio.to_thread(
                services.own_settings.set_language, self.require_actor(), language
            )
        except ServiceError as error:
            self.notify(str(error), severity="error")
            return
        self.actor = actor
        if self.use_language(actor.language or self.settings.language):
            await self.redraw_areas()
        name = LANGUAGE_NAMES.get(current_language(), current_language())
        self.notify(_("The workstation speaks {language} now.").format(language=name))

    async def redraw_areas(self) -> None:
        """Every work area anew in the current language, back on the area that was shown."""
        area = self.current_mode
        await self.switch_mode("login")
        for name, factory in WORK_AREAS.items():
            await self.remove_mode(name)
            self.add_mode(name, factory)
        await self.switch_mode(area)
