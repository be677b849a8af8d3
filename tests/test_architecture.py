"""The boundaries and style the project holds itself to, checked by the tools, in the suite."""

import shutil
import subprocess
import sys
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
    completed = run_tool(tool("lint-imports"), "--no-cache")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "1 kept, 0 broken" in completed.stdout


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
    # pyproject's [tool.mypy] names the files (workbench/core) and the pydantic plugin.
    completed = run_tool(tool("mypy"))
    assert completed.returncode == 0, completed.stdout


def test_a_hung_test_ends_the_run_instead_of_stalling_it(pytestconfig):
    # The signal method cannot fire while the main thread waits on a Qt lock holding the GIL.
    assert pytestconfig.getini("timeout_method") == "thread"
