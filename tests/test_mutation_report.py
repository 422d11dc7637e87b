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
