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
