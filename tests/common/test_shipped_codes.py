"""The codes of the shipped lists that the code names (issue 22, item 3) exist in the lists
shipped (data/reference.json, data/dispositions.json): renaming one there fails here, not a
rule on the floor; and no rule compares a list's value with a code spelt out."""

from __future__ import annotations

import ast
from enum import StrEnum
from pathlib import Path

import pytest

from cc_terminal.data.codes import (
    CallOutcome,
    CallReason,
    Department,
    DispositionCode,
    RefusalReason,
    RequestCategory,
)
from cc_terminal.models import ListKind
from cc_terminal.services.common.reference import default_lists
from cc_terminal.services.outbound.campaigns import default_dispositions

SRC = Path(__file__).resolve().parents[2] / "src" / "cc_terminal"
NAMED_IN: dict[type[StrEnum], ListKind] = {
    RefusalReason: ListKind.REFUSAL_REASON,
    Department: ListKind.DEPARTMENT,
    CallReason: ListKind.CALL_REASON,
    CallOutcome: ListKind.CALL_OUTCOME,
    RequestCategory: ListKind.REQUEST_CATEGORY,
}
# What a compared value is called when it holds a list's code.
CODE_HOLDERS = ("reason", "code", "department", "disposition", "outcome", "category")


@pytest.mark.parametrize("names", list(NAMED_IN), ids=lambda names: names.__name__)
def test_every_code_named_is_in_its_shipped_list(names: type[StrEnum]) -> None:
    shipped = {choice.code for choice in default_lists()[NAMED_IN[names]]}
    assert {code.value for code in names} <= shipped


def test_every_disposition_named_is_shipped() -> None:
    shipped = {disposition.code for disposition in default_dispositions()}
    assert {code.value for code in DispositionCode} <= shipped


def _shipped_codes() -> set[str]:
    lists = default_lists()
    return {choice.code for kind in ListKind for choice in lists[kind]} | {
        disposition.code for disposition in default_dispositions()
    }


def test_no_rule_compares_a_code_with_a_spelt_out_one() -> None:
    codes = _shipped_codes()
    spelt = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            literal = [s for s in sides if isinstance(s, ast.Constant) and s.value in codes]
            named = [ast.unparse(s) for s in sides if s not in literal]
            if literal and any(word in side for side in named for word in CODE_HOLDERS):
                spelt.append(f"{path.relative_to(SRC)}:{node.lineno} {ast.unparse(node)}")
    assert spelt == []
