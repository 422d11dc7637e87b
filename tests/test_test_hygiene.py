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
