"""No "1 entries": a message that counts something is written with ngettext, singular and
plural (Czech has three forms; the catalogue gives them), never as a plural with _()."""

import ast
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "cc_terminal"
COUNTED = re.compile(
    r"\{\w+\} (entries|rows|disputes|operators|days|records|events|orders|leads|requests|"
    r"customers|calls|tables|chains|claims|items|files|members|minutes|hours)\b"
)


def counted_plurals_in_underscore() -> list[str]:
    found = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_"):
                continue
            message = node.args[0] if node.args else None
            text = message.value if isinstance(message, ast.Constant) else None
            if isinstance(text, str) and COUNTED.search(text):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {text!r}")
    return found


def test_every_count_is_said_with_ngettext():
    assert counted_plurals_in_underscore() == []
