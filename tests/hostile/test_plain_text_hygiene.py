"""Stored text reaches the screen through one place (widgets/safe_text, plain_widgets):
a widget that parses its text as markup is never given anything but a fixed string, a
translation, or ``plain(...)``. A `[/]` in a note crashed F7 for every team lead."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

UI = [Path("src/cc_terminal/screens"), Path("src/cc_terminal/widgets")]
SAFE_WRAPPERS = Path("src/cc_terminal/widgets/plain_widgets.py")
# Widgets that read a str as markup, and the safe ones to use instead.
REPLACED = {"DataTable": "PlainTable", "Select": "PlainSelect", "TextArea": "PlainTextArea"}
DRAWS_TEXT = {"Static", "Label"}


def ui_calls() -> Iterator[tuple[Path, ast.Call]]:
    for folder in UI:
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    yield path, node


def called(node: ast.Call) -> str:
    function = node.func
    return function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")


def fixed_or_plain(argument: ast.expr) -> bool:
    """A string literal, a translation of one, or a value made plain."""
    if isinstance(argument, ast.Constant):
        return True
    return isinstance(argument, ast.Call) and called(argument) in ("_", "plain")


def test_markup_widgets_are_only_made_through_their_plain_versions() -> None:
    found = [
        f"{path}:{node.lineno} {called(node)}"
        for path, node in ui_calls()
        if called(node) in REPLACED and path != SAFE_WRAPPERS
    ]
    assert not found, f"use {REPLACED}: {found}"


def updates_text(node: ast.Call) -> bool:
    """``query_one(..., Static).update(...)`` or ``query_one(..., Label).update(...)``."""
    function = node.func
    if not (isinstance(function, ast.Attribute) and function.attr == "update"):
        return False
    query = function.value
    return (
        isinstance(query, ast.Call)
        and called(query) == "query_one"
        and any(isinstance(a, ast.Name) and a.id in DRAWS_TEXT for a in query.args)
    )


def test_statics_and_labels_get_fixed_text_or_plain_values() -> None:
    found = [
        f"{path}:{node.lineno}"
        for path, node in ui_calls()
        if (called(node) in DRAWS_TEXT or updates_text(node))
        and node.args
        and not fixed_or_plain(node.args[0])
    ]
    assert not found, f"wrap the value in safe_text.plain(): {found}"


def test_inputs_draw_control_characters_as_pictures() -> None:
    found = [
        f"{path}:{node.lineno}"
        for path, node in ui_calls()
        if called(node) == "Input" and "highlighter" not in {k.arg for k in node.keywords}
    ]
    assert not found, f"give the Input highlighter=ControlPictures(): {found}"
