"""A Select for forms typed at speed."""

from __future__ import annotations

from typing import Any

from cc_terminal.widgets.plain_widgets import PlainSelect


class FormSelect(PlainSelect[str]):
    """Never takes the focus back from another field.

    Textual's Select asks for the focus back when its list closes, carried out later: it is
    never taken from a field the operator has moved on to. (Tab and the keys typed behind a
    pick are handed on by every list: select_keys.) tmux found it; Pilot, which waits
    between keys, cannot.
    """

    def focus(self, scroll_visible: bool = True) -> Any:
        if not self.is_attached:
            return self
        focused = self.screen.focused
        if focused is self:
            return self
        if focused is not None and self not in focused.ancestors:
            return self  # the operator has moved on to another field
        self.screen.set_focus(self, scroll_visible=scroll_visible)
        return self
