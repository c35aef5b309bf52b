"""The architecture as contracts: the layers of DESIGN.md, checked on every run of the test command."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_the_import_contracts_of_pyproject_hold():
    """rules import no framework, only data speaks SQL, and each layer imports only the layers below it."""
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_of_the_app_outgrows_300_lines():
    """A module past 300 lines is asking to be split (STYLE.md)."""
    long = {str(path.relative_to(ROOT)): count for path in (ROOT / "queue_app").rglob("*.py")
            if (count := len(path.read_text().splitlines())) > 300}
    assert long == {}


def test_route_and_socket_handlers_stay_thin():
    """Handlers parse, check the role, call one action or read and answer: about 25 lines at most (STYLE.md)."""
    long = {}
    for path in (ROOT / "queue_app" / "web").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 25:
                long[f"{path.name}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert long == {}
