"""Stored text drawn safely: a control character (ESC, BEL, ...) in a customer's name or a
catalogue field must never reach the terminal, where it could retitle the window or clear
the screen. Each one is shown as its Unicode "control picture" (ESC as ␛): one character
for one, so a styled text keeps its spans. New input refuses them (services/validation)."""

from __future__ import annotations

from rich.text import Text

_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
# Also the line and paragraph separators and the bidirectional overrides, which reorder
# what follows them on screen.
_PICTURES |= {0x2028: 0x2424, 0x2029: 0x00B6}
_PICTURES |= {code: 0xFFFD for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_ONE_LINE = str.maketrans(_PICTURES)
_MULTI_LINE = str.maketrans({k: v for k, v in _PICTURES.items() if k not in (0x0A, 0x09)})


def shown(value: str, *, multi_line: bool = False) -> str:
    return value.translate(_MULTI_LINE if multi_line else _ONE_LINE)


def shown_text(text: Text, *, multi_line: bool = False) -> Text:
    """The same Text (spans kept) with its control characters made visible."""
    safe = shown(text.plain, multi_line=multi_line)
    if safe != text.plain:
        text = text.copy()
        text.plain = safe
    return text
