"""The architecture's contracts (pyproject's [tool.importlinter], run by `make lint`) hold,
and they are not decoration: a copy of the code with one forbidden import per contract
breaks each of them."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# One forbidden import per contract, added at the end of a module of the copy.
FORBIDDEN = {
    "widgets/pane.py": "from cc_terminal.app import CCTerminal",
    "services/common/phones.py": "import textual",
    "screens/help.py": "import sqlalchemy",
    "formats.py": "from cc_terminal.store import db",
    "services/tally/pay.py": "from cc_terminal.services.calls import ledger",
    "services/calls/cards.py": "from cc_terminal.services.orders import queries",
    "channels/chat/config.py": "from cc_terminal.widgets import pane",
}
CONTRACTS = [
    "Layers: front ends, then services, then sync, the store and the models",
    "The foundation modules (settings, words, formats, limits, logs) use no layer",
    "No Textual below the screens and widgets",
    "No ORM in the screens and widgets: they get plain values from the services",
    "No import circles anywhere, type-only imports included",
    "Domains are independent but for the faces they declare",
    "The gateways reach the floor through the services only, never the screens",
]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    for contract in CONTRACTS:
        assert f"{contract} KEPT" in result.stdout


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "src" / "cc_terminal", tmp_path / "src" / "cc_terminal")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for module, line in FORBIDDEN.items():
        path = tmp_path / "src" / "cc_terminal" / module
        path.write_text(path.read_text("utf-8") + f"\n{line}  # noqa\n", "utf-8")
    return tmp_path


def test_each_contract_refuses_its_forbidden_import(broken_copy: Path) -> None:
    result = lint_imports(broken_copy)
    assert result.returncode != 0
    for contract in CONTRACTS:
        assert f"{contract} BROKEN" in result.stdout, result.stdout
    assert "cc_terminal.services.tally.pay -> cc_terminal.services.calls.ledger" in result.stdout
    assert "cc_terminal.services.common.phones -> textual" in result.stdout


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40
FROZEN = ROOT / "src" / "cc_terminal" / "store" / "migrations"  # shipped: never split or edited


def python_files(*folders: str) -> list[Path]:
    return sorted(
        path
        for folder in folders
        for path in (ROOT / folder).rglob("*.py")
        if FROZEN not in path.parents
    )


def test_no_module_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_files("src", "tests", "bench", "scripts", "mutation")
        if (lines := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_over_40_lines() -> None:
    long = {}
    for path in python_files("src"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = length
    assert long == {}


def test_every_package_says_what_it_holds() -> None:
    silent = [
        str(init.relative_to(ROOT))
        for init in python_files("src", "tests")
        if init.name == "__init__.py" and not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert silent == []
