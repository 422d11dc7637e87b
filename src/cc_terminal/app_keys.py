"""What the app says about itself: the keys of a screen (help and the command palette)
and how it stores its data (the header)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

if TYPE_CHECKING:
    from cc_terminal.services.common.views import Actor

from cc_terminal.config import Settings
from cc_terminal.i18n import N_, _
from cc_terminal.screens.session.lock import LockScreen
from cc_terminal.widgets.palette import Palette


def area_of(node: object) -> str:
    return _(getattr(node, "AREA", "") or N_("Workstation"))


def key_text(binding: Binding) -> str:
    return binding.key_display or binding.key.split(",")[0].replace("_", " ").title()


def key_sections(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """The screen's own keys first, then the ones that work everywhere, then the field's."""
    sections: dict[str, list[tuple[str, str]]] = {
        _("This screen"): [],
        _("Everywhere"): [],
        _("In the focused field"): [],
    }
    titles = list(sections)
    for active in screen.active_bindings.values():
        if not active.binding.description:
            continue
        owner = 1 if active.node is screen.app else 0 if active.node is screen else 2
        row = (key_text(active.binding), _(active.binding.description))
        if row not in sections[titles[owner]]:
            sections[titles[owner]].append(row)
    return [(title, rows) for title, rows in sections.items() if rows]


def screen_commands(app: App[Any], screen: Screen) -> Iterator[SystemCommand]:
    """A command for every key that works on this screen (the palette finds it by name)."""
    for active in screen.active_bindings.values():
        binding = active.binding
        # A field's own keys (move the cursor, ...) mean nothing away from the field.
        if active.node is not app and not isinstance(active.node, Screen):
            continue
        if active.enabled and binding.description and binding.action != "command_palette":
            title = f"{area_of(active.node)}: {_(binding.description)}"
            run = partial(app.run_action, binding.action, active.node)
            yield SystemCommand(title, _("Key: {key}").format(key=key_text(binding)), run)


def lead_commands(app: App[Any]) -> Iterator[SystemCommand]:
    """The team lead's privacy screens, from anywhere (their keys are on Setup)."""

    def audit_trail() -> None:
        from cc_terminal.screens.privacy.audit_trail import AuditTrailScreen

        app.push_screen(AuditTrailScreen())

    def data_requests() -> None:
        from cc_terminal.screens.privacy.data_requests import DataRequestsScreen

        app.push_screen(DataRequestsScreen())

    yield SystemCommand(_("Audit trail"), _("Keys: F10, then T"), audit_trail)
    yield SystemCommand(_("Data protection requests"), _("Keys: F10, then P"), data_requests)


def storage_mode_line(settings: Settings) -> str:
    mode = settings.storage_mode
    names = {
        "server": _("server · PostgreSQL"),
        "embedded": _("embedded · SQLite"),
        "floor": _("floor folder · SQLite"),
    }
    return names.get(mode, mode)


class HelpAndPalette(App[str]):
    """F1 lists the keys of the screen; the palette finds them by name, and the person's
    language, and a team lead's own screens."""

    actor: Actor | None

    if TYPE_CHECKING:  # the workstation App's own

        def action_choose_language(self) -> None: ...

    def action_help(self) -> None:
        from cc_terminal.screens.help import HelpScreen

        screen = self.screen
        if isinstance(screen, HelpScreen):
            return
        self.push_screen(HelpScreen(area_of(screen), key_sections(screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key that works on this screen, by name, the person's language, the team
        lead's own screens, and Textual's own commands."""
        yield from screen_commands(self, screen)
        if self.actor is not None and not isinstance(screen, LockScreen):
            hint = _("Your language for the workstation (F10 for an operator, J on Setup)")
            yield SystemCommand(_("Language"), hint, self.action_choose_language)
            if self.actor.is_lead:
                yield from lead_commands(self)
        for command in super().get_system_commands(screen):  # Textual's: textual_words.py
            yield SystemCommand(_(command.title), _(command.help), command.callback)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette())
