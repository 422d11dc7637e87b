"""Mutation testing of the rules' modules (mutmut 3), one module at a time.

`python -m mutation.run [MODULE ...] [--changed] [--workers N] [--report-only]`

Each module is mutated in its own work folder (.mutation/<name>/, ignored by git) whose
mutmut configuration names only that module and only its fast service tests (SQLite, no
Pilot, tmux or PostgreSQL), so a run stays short and a module's figures do not depend on
another module's tests. The figures are kept in mutation/results/<name>.json and the report
mutation/REPORT.md is written from all of them and from mutation/equivalent.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from mutation.modules import MODULES
from mutation.report import write_report

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "cc_terminal"
RESULTS = ROOT / "mutation" / "results"
WORK = ROOT / ".mutation"


# What a work folder links to: the code, the tests and what they read (data/: samples);
# of bench/ only its modules (some tests import them), never bench/data/, the generated
# stores: mutmut copies bench/ into every module's mutants/ (5 GB each, and a full run of
# the table filled the disk).
LINKED = ("src", "tests", "mutation", "data")
COPIED = ("bench", "mutation", "data")  # into mutants/ too (mutmut copies src and tests)

TIMEOUT_CONSTANT = 30.0
# A test of a mutant fails after this many seconds (pytest-timeout, through its variable so
# the configuration mutmut fingerprints stays the same): a mutant that loops for ever (a
# bisection that never closes) costs a minute instead of the suite's 300 s a test.
MUTANT_TEST_TIMEOUT = "60"
TIMEOUT_CODES = (24, -24, 152, 255, 36)  # mutmut's exit codes for a timed-out mutant

# What each module's runs cost (a loaded machine stretches the wall time, not this).
CPU_SECONDS: dict[str, float] = {}

# Never the PostgreSQL or tmux halves; fast_only drops Pilot and snapshot tests;
# mutant_copies keeps mutmut's copies of a method out of refusals_audited.
PYTEST_ARGS = (
    *("-p", "mutation.fast_only"),
    *("-p", "mutation.mutant_copies"),
    *("-m", "not postgres and not e2e"),
    *("-p", "no:cacheprovider"),
)


def work_name(module: str) -> str:
    return module.removesuffix(".py").replace("/", "_")


def resolve(names: list[str]) -> list[str]:
    """Accept "services/tally/pay.py", "pay.py", "pay" or its path from the repository."""
    chosen = []
    for name in names:
        bare = name.removeprefix("src/cc_terminal/").removesuffix(".py")
        matches = [m for m in MODULES if m.removesuffix(".py") == bare or Path(m).stem == bare]
        if len(matches) != 1:
            known = ", ".join(MODULES)
            raise SystemExit(f"not a rules module (or ambiguous): {name}; known: {known}")
        chosen.append(matches[0])
    return chosen


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def changed_modules() -> list[str]:
    """Rules modules whose source, or one of whose test files, differs from main's merge-base."""
    changed = set(git("diff", "--name-only", git("merge-base", "HEAD", "main")).split())
    return [
        module
        for module, tests in MODULES.items()
        if f"src/cc_terminal/{module}" in changed or changed.intersection(tests)
    ]


def mutmut_config(module: str) -> str:
    def toml_list(items: tuple[str, ...] | list[str]) -> str:
        return "[" + ", ".join(json.dumps(item) for item in items) + "]"

    return "\n".join(
        [
            "",
            "[tool.mutmut]",
            'source_paths = ["src/"]',
            f"only_mutate = {toml_list([f'src/cc_terminal/{module}'])}",
            f"pytest_add_cli_args_test_selection = {toml_list(MODULES[module])}",
            f"pytest_add_cli_args = {toml_list(PYTEST_ARGS)}",
            f"also_copy = {toml_list([f'{name}/' for name in COPIED])}",
            "use_git_change_detection = false",
            # Each mutant's test run sets up its own session (the seeded database), which
            # the estimate leaves out: on a loaded machine 1 s + 15 x the tests timed out
            # mutants that a test fails in a few seconds.
            f"timeout_constant = {TIMEOUT_CONSTANT}",
            "",
        ]
    )


def prepare(module: str) -> Path:
    """A fresh work folder: links to this checkout's code and tests, and the module's config."""
    folder = WORK / work_name(module)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for linked in LINKED:
        (folder / linked).symlink_to(ROOT / linked)
    bench = folder / "bench"
    bench.mkdir()
    for code in (ROOT / "bench").glob("*.py"):
        (bench / code.name).symlink_to(code)
    write_config(module, folder)
    return folder


def write_config(module: str, folder: Path) -> None:
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8") + mutmut_config(module)
    (folder / "pyproject.toml").write_text(pyproject, "utf-8")


def timed_out(folder: Path, module: str) -> list[str]:
    meta = json.loads((folder / "mutants" / f"src/cc_terminal/{module}.meta").read_text("utf-8"))
    return [name for name, code in meta["exit_code_by_key"].items() if code in TIMEOUT_CODES]


def run_module(module: str, workers: int) -> dict[str, object] | None:
    folder = prepare(module)
    wall = mutmut_run(module, folder, workers, [])
    return None if wall is None else collect(module, folder, wall)


def resume_module(module: str, workers: int) -> dict[str, object] | None:
    """Go on with a full run that was stopped: mutmut keeps each verdict as it comes and
    tests only the mutants without one (the wall time is then this part's only)."""
    folder = WORK / work_name(module)
    if not (folder / "mutants").exists():
        return run_module(module, workers)
    wall = mutmut_run(module, folder, workers, [])
    return None if wall is None else collect(module, folder, wall)


def retest_survivors(module: str, workers: int) -> dict[str, object] | None:
    """Test again only the survivors of the last full run (tests added since are copied
    in): the same verdicts as a full run, as added tests only kill more mutants."""
    target = RESULTS / f"{work_name(module)}.json"
    folder = WORK / work_name(module)
    if not target.exists() or not (folder / "mutants").exists():
        print(f"  no full run of {module} to retest: run it whole", flush=True)
        return None
    last = json.loads(target.read_text("utf-8"))
    if last["tests"] != list(MODULES[module]):
        print(f"  {module}'s test files changed since its full run: run it whole", flush=True)
        return None
    write_config(module, folder)  # a changed timeout resets the timed-out verdicts
    # mutmut maps tests to functions once and then only adds new tests: a test that now
    # calls one more function would not be run against its mutants. Map them all again.
    (folder / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    names = [survivor["mutant"] for survivor in last["survivors"]] + timed_out(folder, module)
    wall = mutmut_run(module, folder, workers, names) if names else 0.0
    if wall is None:
        return None
    result = collect(module, folder, last["wall_seconds"])
    result["finished"], result["commit"] = last["finished"], last["commit"]
    result["cpu_seconds"] = last.get("cpu_seconds", 0)
    result["retested"] = (
        f"{len(names)} survivors and timeouts retested in {round(wall)} s "
        f"({round(CPU_SECONDS.get(module, 0.0))} s CPU) at {git_head()}"
    )
    return result


def mutmut_run(module: str, folder: Path, workers: int, names: list[str]) -> float | None:
    """mutmut in the module's folder; its wall time, or None when it failed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTEST_TIMEOUT"] = MUTANT_TEST_TIMEOUT
    started = time.monotonic()
    cpu_before = children_cpu()
    log = folder / "mutmut.log"
    # mutmut with the store's busy retry let through (mutation/mutmut_cli.py)
    mutmut = (sys.executable, "-m", "mutation.mutmut_cli")
    with log.open("a") as output:
        finished = subprocess.run(
            [*mutmut, "run", "--max-children", str(workers), *names],
            cwd=folder,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    if finished.returncode != 0:
        print(f"  mutmut failed on {module} (exit {finished.returncode}); see {log}", flush=True)
        return None
    CPU_SECONDS[module] = CPU_SECONDS.get(module, 0.0) + children_cpu() - cpu_before
    return time.monotonic() - started


def children_cpu() -> float:
    """CPU seconds of every finished child: mutmut and each mutant's test run it forked."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def git_head() -> str:
    return git("rev-parse", "--short", "HEAD")


def collect(module: str, folder: Path, wall: float) -> dict[str, object]:
    from mutation.survivors import read_results

    statuses, survivors = read_results(folder, f"src/cc_terminal/{module}")
    return {
        "module": module,
        "tests": list(MODULES[module]),
        "finished": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_head(),
        "wall_seconds": round(wall),
        "cpu_seconds": round(CPU_SECONDS.get(module, 0.0)),
        "workers": None,
        "statuses": statuses,
        "survivors": survivors,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="rules modules (default: all of them)")
    parser.add_argument("--changed", action="store_true", help="only modules changed since main")
    parser.add_argument("--workers", type=int, default=2, help="mutants tested at once (2)")
    parser.add_argument(
        "--retest", action="store_true", help="test only the last run's survivors again"
    )
    parser.add_argument(
        "--resume", action="store_true", help="go on with a stopped full run where it was"
    )
    parser.add_argument("--report-only", action="store_true", help="rewrite REPORT.md only")
    args = parser.parse_args(argv)
    failed: list[str] = []
    if not args.report_only:
        modules = resolve(args.modules) if args.modules else list(MODULES)
        if args.changed:
            modules = [m for m in modules if m in changed_modules()]
        os.nice(19)  # a shared machine: mutation runs yield to everything else
        RESULTS.mkdir(parents=True, exist_ok=True)
        for module in modules:
            print(f"mutating {module} with {', '.join(MODULES[module])} ...", flush=True)
            run = retest_survivors if args.retest else run_module
            run = resume_module if args.resume else run
            result = run(module, args.workers)
            if result is None:
                failed.append(module)
                continue
            result["workers"] = args.workers
            target = RESULTS / f"{work_name(module)}.json"
            target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
            print(f"  {result['statuses']} in {result['wall_seconds']} s", flush=True)
    write_report(RESULTS, ROOT / "mutation" / "equivalent.md", ROOT / "mutation" / "REPORT.md")
    if failed:
        raise SystemExit(f"mutmut failed on {', '.join(failed)}")


if __name__ == "__main__":
    main()
