"""`make mutation`'s bookkeeping (mutation/): a survivor's key, the notes on equivalent
mutants, and a report that counts per module and flags every survivor nobody explained."""

from __future__ import annotations

import json

from mutation.report import read_equivalents, write_report
from mutation.run import MODULES, mutmut_config, resolve
from mutation.survivors import change_of, function_of

DIFF = """--- src/cc_terminal/services/tally/pay.py
+++ src/cc_terminal/services/tally/pay.py
@@ -1,3 +1,3 @@
 def compute_pay(terms, figures):
-    paid += line("hourly", quantity, amount)
+    paid = line("hourly", quantity, amount)
     return paid"""


def test_a_survivor_is_named_by_its_function_and_its_change():
    assert function_of("cc_terminal.services.tally.pay.x_compute_pay__mutmut_16") == "compute_pay"
    assert function_of("cc_terminal.services.outbound.calling_rules.xǁWindowǁholds__mutmut_2") == (
        "Window.holds"
    )
    assert change_of(DIFF) == (
        'paid += line("hourly", quantity, amount) -> paid = line("hourly", quantity, amount)'
    )


def test_each_module_runs_only_its_own_tests_and_never_postgres_or_tmux():
    config = mutmut_config("services/tally/pay.py")
    assert 'only_mutate = ["src/cc_terminal/services/tally/pay.py"]' in config
    assert '"tests/tally/test_pay.py"' in config and "not postgres and not e2e" in config
    assert resolve(["pay", "sync/roles.py"]) == ["services/tally/pay.py", "sync/roles.py"]
    assert all(tests for tests in MODULES.values())


def test_the_report_counts_per_module_and_flags_survivors_nobody_explained(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    survivors = [
        {"mutant": "m1", "status": "survived", "key": "f: a -> b"},
        {"mutant": "m2", "status": "survived", "key": "f: c -> d"},
    ]
    run = {
        "module": "services/tally/pay.py",
        "tests": ["tests/tally/test_pay.py"],
        "finished": "2026-12-04 08:00 UTC",
        "commit": "abc1234",
        "wall_seconds": 61,
        "workers": 2,
        "statuses": {"killed": 17, "timeout": 1, "survived": 2},
        "survivors": survivors,
    }
    (results / "services_pay.json").write_text(json.dumps(run), "utf-8")
    notes = tmp_path / "equivalent.md"
    notes.write_text("## services/tally/pay.py\n\n- `f: a -> b` — the same value either way.\n")
    assert read_equivalents(notes) == {
        ("services/tally/pay.py", "f: a -> b"): "the same value either way."
    }
    report = tmp_path / "REPORT.md"
    write_report(results, notes, report)
    text = report.read_text("utf-8")
    assert (
        "| services/tally/pay.py | 20 | 18 | 1 | 2 | 0 | 1 | 90.0 % | 94.7 % | 61 s | - |" in text
    )
    assert "- `f: a -> b` (survived): equivalent: the same value either way." in text
    assert "- `f: c -> d` (survived): **not explained**" in text
    assert "Not run yet: services/outbound/calling_rules.py" in text


RETRIED_AND_CACHED = """
@retried_when_busy
def retried(x):
    return x + 1


@cache
def cached(x):
    return x + 1


@retried_when_busy
def kept_out(x):  # pragma: no mutate block
    return x + 1
"""


def test_a_function_under_the_busy_retry_is_mutated_and_other_decorated_ones_are_not(
    monkeypatch,
):
    """mutmut leaves out decorated functions; the store's busy retry only wraps the call,
    so what it goes round is mutated (a pragma on its def line still keeps it out)."""
    from mutation import mutmut_cli
    from mutmut.mutation import file_mutation

    def mutated_functions() -> set[str]:
        _module, mutations, _classes, _functions = file_mutation.create_mutations(
            "x.py", RETRIED_AND_CACHED
        )
        return {m.contained_by_top_level_function.name.value for m in mutations}

    assert mutated_functions() == set()
    visitor = file_mutation.MutationVisitor
    monkeypatch.setattr(visitor, "_skip_node_and_children", mutmut_cli.skips)
    assert mutated_functions() == {"retried"}
