"""mutmut's command line (`python -m mutation.mutmut_cli run ...`) with one change: a
function whose one decorator is the store's busy retry is mutated like any other.

mutmut leaves out every decorated function but static and class methods (a decorator runs
when the function is defined, and copies of it could register twice). ``retried_when_busy``
only wraps the call in a retry: its copies are harmless, and without this the chat's
writes it went round (take_next, a hand-over, closing, visitors' start ...) were silently
left out of their modules' runs."""

from __future__ import annotations

import sys

import libcst as cst
from libcst.metadata import PositionProvider
from mutmut.__main__ import cli
from mutmut.mutation import file_mutation

# decorators that only wrap the call: a copy of the function under them changes nothing else
PURE_WRAPPERS = frozenset({"retried_when_busy", "built_once"})

_mutmut_skips = file_mutation.MutationVisitor._skip_node_and_children


def only_wrapped(node: cst.CSTNode) -> bool:
    """A function under one decorator, a pure wrapper named in PURE_WRAPPERS."""
    if not isinstance(node, cst.FunctionDef) or len(node.decorators) != 1:
        return False
    decorator = node.decorators[0].decorator
    return isinstance(decorator, cst.Name) and decorator.value in PURE_WRAPPERS


def skips(visitor: file_mutation.MutationVisitor, node: cst.CSTNode) -> bool:
    """mutmut's own rule, asked of such a function as if it had no decorator (its
    `pragma: no mutate` on the def line still holds)."""
    if not only_wrapped(node):
        return _mutmut_skips(visitor, node)
    assert isinstance(node, cst.FunctionDef)
    position = visitor.get_metadata(PositionProvider, node, None)
    if position and position.start.line in visitor._ignored_node_lines:
        visitor.ignored_functions.add(node.name.value)
        return True
    return _mutmut_skips(visitor, node.with_changes(decorators=()))


def main() -> None:
    file_mutation.MutationVisitor._skip_node_and_children = skips  # type: ignore[method-assign]
    sys.argv[0] = "mutmut"
    sys.exit(cli())


if __name__ == "__main__":
    main()
