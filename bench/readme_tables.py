"""The README's benchmark tables are the results files' tables, copied, never typed.

Each table in the README sits between ``<!-- bench: latest-sync.md -->`` and
``<!-- /bench -->``; this copies the table lines (those starting with ``|``) of that file
in bench/results/ between the two. ``python -m bench.readme_tables`` rewrites the README;
``--check`` says which tables differ and exits 1. ``bench.run`` calls it after each run.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results"
REGION = re.compile(r"(<!-- bench: (?P<file>[\w.-]+) -->\n)(?P<table>.*?)(<!-- /bench -->)", re.S)


def table_of(results_file: Path) -> str:
    lines = results_file.read_text(encoding="utf-8").splitlines()
    return "".join(line + "\n" for line in lines if line.startswith("|"))


def generated(readme: str, results: Path = RESULTS) -> str:
    """The README with every marked table replaced by its results file's table."""
    return REGION.sub(
        lambda m: m.group(1) + table_of(results / m.group("file")) + m.group(4), readme
    )


def differing(readme: str, results: Path = RESULTS) -> list[str]:
    return [
        m.group("file")
        for m in REGION.finditer(readme)
        if m.group("table") != table_of(results / m.group("file"))
    ]


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    if "--check" in argv:
        stale = differing(text)
        for name in stale:
            print(f"README's table differs from bench/results/{name}", file=sys.stderr)
        return 1 if stale else 0
    README.write_text(generated(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
