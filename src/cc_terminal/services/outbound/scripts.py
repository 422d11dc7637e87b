"""A campaign's script filled in for one lead: its fields, and sections said only when
their fields have values."""

from __future__ import annotations

import re
import string


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


# A section in square brackets is said only when every field in it has a value:
# "[Minule jsme mluvili o {last_offer}.]" disappears for a lead never offered anything.
SECTION = re.compile(r"\[([^\[\]]*)\]")


def fill_script(script: str, values: dict[str, str]) -> str:
    """The script with its fields filled; a section in [ ] only when all its fields have
    a value; a field outside a section with nothing to say shows a dash."""

    def section(match: re.Match[str]) -> str:
        inner = match.group(1)
        try:
            named = [name for _text, name, _spec, _conv in string.Formatter().parse(inner)]
        except ValueError:
            return inner
        if any(name and not values.get(name) for name in named):
            return ""
        return inner

    try:
        return string.Formatter().vformat(SECTION.sub(section, script), (), _Blank(values))
    except (ValueError, IndexError):
        return script
