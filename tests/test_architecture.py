"""The boundaries and style the project holds itself to, checked by the tools, in the suite."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_tool(*args):
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


def tool(name):
    # The console script next to this interpreter, so the venv's tool is the one run.
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the test extras (pip install '.[test]')")
    return found


def test_engine_never_imports_qt():
    # Two contracts: only the GUI side imports Qt, and the packages form layers.
    completed = run_tool(tool("lint-imports"), "--no-cache")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "2 kept, 0 broken" in completed.stdout


def test_a_new_module_is_guarded_without_editing_the_contracts():
    # Qt is allowed where named, not forbidden where named, and every top-level module must
    # take a place in the layers: a new module is checked the day it is added.
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]["contracts"]
    by_type = {contract["type"]: contract for contract in contracts}
    assert set(by_type) == {"protected", "layers"}
    assert set(by_type["protected"]["allowed_importers"]) == {
        "workbench.ui",
        "workbench.app",
        "workbench.printing",
        "workbench.selftest",
    }
    assert {"PySide6", "pyqtgraph"} <= set(by_type["protected"]["protected_modules"])
    assert by_type["layers"]["containers"] == ["workbench"]
    assert by_type["layers"]["exhaustive"] is True


def test_ruff_lint_is_clean():
    completed = run_tool(tool("ruff"), "check", ".")
    assert completed.returncode == 0, completed.stdout


def test_ruff_format_is_clean():
    completed = run_tool(tool("ruff"), "format", "--check", ".")
    assert completed.returncode == 0, completed.stdout


def test_importing_the_engine_loads_no_qt():
    code = (
        "import sys, workbench.core, workbench.cli, workbench.report, workbench.data\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))\n"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_engine_type_checks():
    # pyproject's [tool.mypy] names the files (the Qt-free packages) and the pydantic plugin.
    completed = run_tool(tool("mypy"))
    assert completed.returncode == 0, completed.stdout


def test_a_hung_test_ends_the_run_instead_of_stalling_it(pytestconfig):
    # The signal method cannot fire while the main thread waits on a Qt lock holding the GIL.
    assert pytestconfig.getini("timeout_method") == "thread"
