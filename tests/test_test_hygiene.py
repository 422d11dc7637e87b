"""The suite runs on a fresh machine: no test relies on a folder it did not make."""

import re
from pathlib import Path

TESTS = Path(__file__).parent
FIXED_TMP = re.compile(r"""["'](/tmp|/var/tmp)(/|["'])""")


def test_no_test_writes_to_a_fixed_temporary_folder() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in TESTS.rglob("*.py")
        if path.name != Path(__file__).name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FIXED_TMP.search(line)
    ]
    assert offenders == [], "use tmp_path or mkdtemp, not a fixed folder: " + ", ".join(offenders)


def test_no_test_leaves_debugging_screenshots() -> None:
    offenders = [
        str(path.relative_to(TESTS))
        for path in TESTS.rglob("*.py")
        if path.name != Path(__file__).name and "save_screenshot(" in path.read_text("utf-8")
    ]
    assert offenders == []


def test_a_commands_measured_peak_is_its_own_not_the_test_workers(tmp_path: Path) -> None:
    """CI ran the hostile-file tests in a worker grown past 500 MB, and every command
    then measured 571 MB: a child keeps its parent's high-water mark across exec."""
    from tests.cli_run import MB, cli_measured

    ballast = bytearray(600 * MB)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page so it is resident
    result, peak = cli_measured(tmp_path, "--help")
    del ballast
    assert result.returncode == 0, result.stderr
    assert peak < 300, f"--help measured {peak} MB"


def test_the_tests_started_first_are_tests_of_the_suite() -> None:
    """A long test renamed or moved would quietly go back to its place in the run."""
    from tests.long_first import LONG_TESTS

    for nodeid in LONG_TESTS:
        module, name, *_ = nodeid.split("::")
        source = (TESTS.parent / module).read_text(encoding="utf-8")
        defined = rf"^(async def |def |class |){re.escape(name.split('[')[0])}\b"
        assert re.search(defined, source, re.MULTILINE), nodeid


def test_the_long_tests_modules_run_first_each_in_its_own_order() -> None:
    from types import SimpleNamespace

    from tests.long_first import long_modules_first

    ids = ["a.py::t1", "b.py::t1", "c.py::t1", "b.py::t2", "d.py::t1", "c.py::t2[x]"]
    items = [SimpleNamespace(nodeid=nodeid) for nodeid in ids]
    ordered = long_modules_first(items, ["c.py::t2[x]", "b.py::t2"])  # type: ignore[arg-type]
    assert [item.nodeid for item in ordered] == [
        "c.py::t1",
        "c.py::t2[x]",
        "b.py::t1",
        "b.py::t2",
        "a.py::t1",
        "d.py::t1",
    ]
