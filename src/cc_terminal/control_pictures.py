"""Control characters made visible, for the screen (widgets/safe_text) and the exports
(services/export_files) alike: each one becomes its Unicode "control picture" (ESC as ␛),
one character for one. Nothing here imports Textual or the database."""

from __future__ import annotations

_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
# The C1 controls (0x9B is a one-byte CSI to some terminals) have no pictures of their own.
_PICTURES |= {code: 0xFFFD for code in range(0x80, 0xA0)}
# Also the line and paragraph separators and the bidirectional overrides, which reorder
# what follows them on screen.
_PICTURES |= {0x2028: 0x2424, 0x2029: 0x00B6}
_PICTURES |= {code: 0xFFFD for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_ONE_LINE = str.maketrans(_PICTURES)
_MULTI_LINE = str.maketrans({k: v for k, v in _PICTURES.items() if k not in (0x0A, 0x09)})


def shown(value: str, *, multi_line: bool = False) -> str:
    """``value`` with its control characters as pictures; ``multi_line`` keeps line breaks
    and tabs."""
    return value.translate(_MULTI_LINE if multi_line else _ONE_LINE)
