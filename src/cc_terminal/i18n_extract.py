"""Babel's extractor for the shipped lists (data/*.json): every entry's "label" goes into
the translation template, so the Czech catalogue reaches the call reasons, outcomes,
refusal reasons, request categories, departments and dispositions a floor starts with.
They stay data (a team lead renames them); they are translated where they are drawn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any


def labels_of(document: object) -> Iterator[str]:
    """Every "label" value in the document, in order, each once."""
    seen: set[str] = set()
    stack: list[Any] = [document]
    found: list[str] = []
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            label = item.get("label")
            if isinstance(label, str) and label not in seen:
                seen.add(label)
                found.append(label)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    yield from found


def extract_labels(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's extractor interface: (line, function, message, comments) per label."""
    text = fileobj.read().decode("utf-8")
    lines = text.splitlines()
    for label in labels_of(json.loads(text)):
        quoted = json.dumps(label, ensure_ascii=False)
        line = next((n for n, row in enumerate(lines, start=1) if quoted in row), 0)
        yield line, "_", label, ["a shipped list's label"]
