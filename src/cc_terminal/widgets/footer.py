"""The footer: the keys that work right now, drawn as one line of text."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget

from cc_terminal.i18n import _


class KeyBar(Widget, can_focus=False):
    """Textual's footer is a row of widgets, one per key, rebuilt and restyled whenever the
    active bindings change; a screen pop changes them three or four times and each rebuild
    cost about 15 ms. This is one widget of fixed size that repaints its single line in
    place: the same keys, no layout, no restyle. Keys that cannot run now are dimmed."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--disabled { text-style: dim; }
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def shown_keys(self) -> tuple[list[tuple[Binding, bool]], tuple[Binding, bool] | None]:
        """The keys to show, once per action, in binding order; and the palette's key."""
        shown: dict[str, tuple[Binding, bool]] = {}
        palette: tuple[Binding, bool] | None = None
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.action == "command_palette":
                palette = (binding, active.enabled)
            elif binding.show and binding.action not in shown:
                shown[binding.action] = (binding, active.enabled)
        return list(shown.values()), palette

    def render(self) -> Text:
        keys, palette = self.shown_keys()
        line = Text(no_wrap=True, overflow="ellipsis")
        for binding, enabled in keys:
            self._append(line, binding, enabled, binding.description)
        if palette is not None:
            corner = Text("▏", style=self.get_component_rich_style("key-bar--description"))
            self._append(corner, palette[0], palette[1], _("palette"))
            room = max(0, self.size.width - corner.cell_len)
            line.truncate(room, overflow="ellipsis", pad=True)
            line.append_text(corner)
        return line

    def _append(self, line: Text, binding: Binding, enabled: bool, description: str) -> None:
        start = len(line)
        line.append(
            self.app.get_key_display(binding), self.get_component_rich_style("key-bar--key")
        )
        description_style = self.get_component_rich_style("key-bar--description")
        line.append(f" {description} ", description_style)
        if not enabled:
            line.stylize(self.get_component_rich_style("key-bar--disabled", partial=True), start)
