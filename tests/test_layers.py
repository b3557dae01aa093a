"""The shape of the house: layers, no import cycles, and modules small enough to read.

The layers are written down once, in pyproject.toml's [tool.importlinter] contracts: front
ends over the facade over the domains over the foundations, and no Qt in the core.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The one module allowed past the size limit, with the reason at its top.
LONG_ALLOWED = {"curator/search/codec.py"}
MAX_LINES = 500


def test_the_import_contracts_hold():
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout


def test_no_module_imports_itself_back():
    graph = grimp.build_graph("curator", exclude_type_checking_imports=True)
    cycles = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.append((module, imported))
    assert cycles == []


@pytest.mark.parametrize("folder", ["curator"])
def test_no_module_is_over_the_size_limit(folder):
    long = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and rel not in LONG_ALLOWED:
            long[rel] = lines
    assert long == {}
