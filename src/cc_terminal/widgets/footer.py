"""The footer: the keys that work right now, drawn as one line of text."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from cc_terminal.i18n import _
from cc_terminal.widgets.in_place_lines import KeepsLines

CORNER = ("help", "command_palette")  # shown at the right end whatever the width


def ranked(
    keys: list[tuple[int, Binding, bool]], rank: tuple[str, ...]
) -> list[tuple[Binding, bool]]:
    """What matters now comes first: keys that work before those that cannot now; the
    screen's ranked actions (``KEY_RANK``: ending a call first during a call) in its order;
    then the keys of the list or field in use (an accounts list's), the screen's others, and
    the keys of every screen."""

    def order(item: tuple[int, tuple[int, Binding, bool]]) -> tuple[bool, int, int, int]:
        index, (owner, binding, enabled) = item
        place = rank.index(binding.action) if binding.action in rank else len(rank)
        return (not enabled, place, owner, index)

    return [(binding, enabled) for _i, (_o, binding, enabled) in sorted(enumerate(keys), key=order)]


class KeyBar(KeepsLines, can_focus=False):
    """Textual's footer is a row of widgets, one per key, rebuilt and restyled whenever the
    active bindings change; a screen pop changes them three or four times and each rebuild
    cost about 15 ms. This is one widget of fixed size that repaints its single line in
    place: the same keys, no layout, no restyle. Keys that cannot run now are dimmed.

    A line once drawn is kept by the keys it shows (``KeepsLines``): a screen pop switches
    between the same two sets of keys each call, and drawing the line anew was a seventh
    of the pop's paint."""

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

    _shown: tuple[tuple[str, bool], ...] = ()  # the keys on the line, and which work
    _keys: tuple[list[tuple[Binding, bool]], list[tuple[Binding, bool]]] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        """Repainted only when what it shows changes: the bindings are "updated" three or
        four times a screen pop (each focus move, each check) for one change of the keys."""
        if screen is not self.screen:
            return
        if not screen.is_current:  # a screen left behind (signed out): its checks may fail
            self._shown = ()
            return
        keys, corner = self._keys = self.shown_keys()
        shown = tuple(
            (self.app.get_key_display(b) + _(b.description), on) for b, on in keys + corner
        )
        if shown != self._shown:
            self._shown = shown
            self.refresh()

    def shown(self) -> tuple[tuple[str, bool], ...]:
        return self._shown

    def shown_keys(self) -> tuple[list[tuple[Binding, bool]], list[tuple[Binding, bool]]]:
        """The keys to show, once per action, ranked (see ``ranked``); and the corner's keys
        (help, the palette), always shown."""
        shown: dict[str, tuple[int, Binding, bool]] = {}
        corner: dict[str, tuple[Binding, bool]] = {}
        screen = self.screen
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action in CORNER:
                corner.setdefault(binding.action, (binding, active.enabled))
            elif binding.show and binding.action not in shown:
                owner = 1 if active.node is screen else 2 if active.node is self.app else 0
                shown[binding.action] = (owner, binding, active.enabled)
        rank = getattr(screen, "KEY_RANK", ())
        keys = ranked(list(shown.values()), rank)
        return keys, [corner[action] for action in CORNER if action in corner]

    def render(self) -> Text:
        keys, corner_keys = self._keys or self.shown_keys()  # the last bindings signalled
        looks = _Looks(
            self.get_component_rich_style("key-bar--key"),
            self.get_component_rich_style("key-bar--description"),
            self.get_component_rich_style("key-bar--disabled", partial=True),
        )
        entries = []
        for binding, enabled in keys:
            entry = Text()
            self._append(entry, looks, binding, enabled, _(binding.description))
            entries.append(entry)
        corner = Text()
        if corner_keys:
            corner = Text("▏", style=looks.description)
            for binding, enabled in corner_keys:
                label = _("all keys") if binding.action == "help" else _("palette")
                self._append(corner, looks, binding, enabled, label)
        room = max(0, self.size.width - corner.cell_len)
        line = whole_entries(entries, room, looks.description)
        line.truncate(room, pad=True)
        line.append_text(corner)
        return line

    def _append(
        self, line: Text, looks: _Looks, binding: Binding, enabled: bool, description: str
    ) -> None:
        start = len(line)
        line.append(self.app.get_key_display(binding), looks.key)
        line.append(f" {description} ", looks.description)
        if not enabled:
            line.stylize(looks.disabled, start)


def whole_entries(entries: list[Text], room: int, style: Style) -> Text:
    """As many keys as fit in ``room`` cells, in their rank. The first that does not fit
    keeps its key and the whole words of its description that do, then an ellipsis says
    more keys wait (F1 lists them all): never a word cut in the middle."""
    line = Text(no_wrap=True)
    for number, entry in enumerate(entries):
        more = number + 1 < len(entries)
        if line.cell_len + entry.cell_len + (1 if more else 0) <= room:
            line.append_text(entry)
            continue
        line.append_text(_first_words(entry, room - line.cell_len - 1))
        line.append("…", style)
        break
    return line


def _first_words(entry: Text, room: int) -> Text:
    """The entry's key and the first words of its description that fit in ``room``; none
    when not even its key and first word do."""
    plain = entry.plain.rstrip()
    after_key = plain.find(" ")
    ends = [at for at, char in enumerate(plain) if char == " " and at > after_key] + [len(plain)]
    fitting = [end for end in ends if cell_len(plain[:end]) <= room]
    return entry[: fitting[-1]] if fitting else Text()


class _Looks(NamedTuple):
    """The key bar's styles, looked up once a render rather than three times a key."""

    key: Style
    description: Style
    disabled: Style
