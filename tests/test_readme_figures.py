"""The README's benchmark tables are the results files' tables: a figure typed by hand, or
one no benchmark measures, fails here (bench/readme_tables.py copies them)."""

from __future__ import annotations

from pathlib import Path

from bench.readme_tables import README, REGION, RESULTS, differing, generated

RESULT = """## title

| benchmark | measured |
|---|---|
| ingest | 13.1 s |
"""


def test_every_benchmark_table_in_the_readme_is_its_results_files() -> None:
    readme = README.read_text(encoding="utf-8")
    marked = {m.group("file") for m in REGION.finditer(readme)}
    kept = [*RESULTS.glob("latest*.md"), *RESULTS.glob("scale-*.md")]  # scale-: --scale runs
    assert marked == {path.name for path in kept}
    assert differing(readme) == []


def test_a_figure_typed_into_the_readme_is_found_and_replaced(tmp_path: Path) -> None:
    (tmp_path / "latest-x.md").write_text(RESULT, encoding="utf-8")
    typed = "text\n<!-- bench: latest-x.md -->\n| benchmark | measured |\n|---|---|\n"
    typed += "| ingest | so about 3 s |\n<!-- /bench -->\nmore\n"
    assert differing(typed, tmp_path) == ["latest-x.md"]
    fixed = generated(typed, tmp_path)
    assert "| ingest | 13.1 s |\n<!-- /bench -->" in fixed and "about 3 s" not in fixed
    assert differing(fixed, tmp_path) == []
