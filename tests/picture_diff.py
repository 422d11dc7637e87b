"""What differs between two pictures (Textual's SVG screenshots), said in lines of text, so
that a picture that failed on a machine whose report file nobody can open (a CI run) still
says what it showed instead."""

from __future__ import annotations

import difflib
import html
import re

CELL_WIDTH = 12.2  # Textual's SVG: a cell's width in its units
_STYLE = re.compile(r"\.(terminal-[\w-]+) \{ ([^}]*) \}")
LINE_HEIGHT = 24.4
_BACKGROUND = re.compile(
    r'<rect fill="(#[0-9a-f]+)" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="[\d.]+"'
    r' shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="([\w-]+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+"'
    r' clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>'
)


def rows(svg: str) -> list[str]:
    """The screen's text, a string per row."""
    screen = []
    for cells in _cells(svg):
        row = ""
        for column, _style, text in cells:
            row = row.ljust(column) + text
        screen.append(row.rstrip())
    return screen


def styled_rows(svg: str) -> list[str]:
    """Each row's runs with their style (colours, bold) spelled out, not by class name:
    the class names are numbered per picture."""
    return [
        " | ".join(f"{column}:{style}:{text}" for column, style, text in cells)
        for cells in _cells(svg)
    ]


def _cells(svg: str) -> list[list[tuple[int, str, str]]]:
    styles = dict(_STYLE.findall(svg))
    lines: dict[int, list[tuple[int, str, str]]] = {}
    for fill, x, y, width in _BACKGROUND.findall(svg):
        column, cells = round(float(x) / CELL_WIDTH), round(float(width) / CELL_WIDTH)
        line = round((float(y) - 1.5) / LINE_HEIGHT)
        lines.setdefault(line, []).append((column, f"background {fill} x{cells}", ""))
    for class_name, x, line, text in _TEXT.findall(svg):
        column = round(float(x) / CELL_WIDTH) - 1
        style = styles.get(class_name, class_name)
        shown = html.unescape(text).replace("\xa0", " ")  # Textual's spaces are no-break
        lines.setdefault(int(line), []).append((column, style, shown))
    count = max(lines, default=-1) + 1
    return [sorted(lines.get(line, [])) for line in range(count)]


def difference(expected: str, actual: str) -> str:
    """The differing rows as a unified diff of text, or of styled runs when the text is the
    same (a colour, a focus)."""
    diff = list(difflib.unified_diff(rows(expected), rows(actual), "expected", "actual", n=1))
    if not diff:
        diff = list(
            difflib.unified_diff(
                styled_rows(expected), styled_rows(actual), "expected", "actual", n=0
            )
        )
    return "\n".join(line.rstrip("\n") for line in diff) or "no difference in text or style"
