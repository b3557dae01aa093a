"""The app holds no business logic: it reaches the core through the Library only, plus the
core's words (labels and vocabularies), its errors and what-changed records."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

UI = Path(__file__).resolve().parents[2] / "curator" / "ui"

#: module -> the names the app may take from it (None: any).
ALLOWED = {
    "curator": {"__version__", "APP_NAME"},
    "curator.library": None,
    "curator.library.team": {"local_time",  # a moment in the computer's own time
                             "PassphraseNeeded"},  # a shared library's Switch expert
    "curator.base": {"clock"},  # what day it is, for words such as "on 2 Dec"
    "curator.base.errors": None,
    "curator.base.words": None,  # counts in words: "1 resource", "2 resources"
    "curator.storage.changes": None,
    "curator.catalogue.vocab": None,
    "curator.review.linkhealth": {"HEALTH_LABELS"},
    "curator.importing.formats": {"FIELD_LABELS", "FIELDS"},
    "curator.importing.formats.report": {"FETCH_STATES", "OUTCOMES"},
    "curator.preferences": {"PROXY_CHOICES"},
    "curator.browser.scheme": {"BOOKMARKLET"},  # the Help page's bookmarklet text
    "curator.clipping.extract.typeguess": {"sureness_words"},  # "fairly sure" and so on
}
#: Starting the app, before any Library is open, also finds and sets one up, and finds the
#: copy of the app already running (keyed by the settings folder).
START_UP = {"curator.storage": {"paths"}, "curator.firstrun": None,
            "curator.base": {"gcpause", "clock"},
            "curator": {"__version__", "APP_NAME", "preferences"},
            "curator.demo": {"DEMO_EXPERTS", "DEMO_SETTING"},
            # clips the browser handed over while the window was starting or closed
            "curator.browser": {"inbox"}, "curator.browser.protocol": {"ClipRequest"},
            "curator.base.atomic": {"write_text_atomic"}}
#: ...and so does visiting the demo library from an open window (opening one, not its rules).
START_UP_MODULES = {"app.py", "single.py", "demo_visit.py", "browser_clips.py"}


def _runtime_imports(tree: ast.Module):
    """(module, name) for every curator import outside ``if TYPE_CHECKING:``."""
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "curator":
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "curator":
                    yield alias.name, "*"


def test_the_app_reaches_the_core_only_through_the_library_and_its_words():
    wrong = []
    for path in sorted(UI.glob("*.py")):
        allowed = {**ALLOWED, **(START_UP if path.name in START_UP_MODULES else {})}
        for module, name in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if module.startswith("curator.ui"):
                continue
            names = allowed.get(module, set())
            if names is not None and name not in names:
                wrong.append(f"{path.name}: from {module} import {name}")
    assert wrong == []


def test_no_sql_in_the_app():
    for path in sorted(UI.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for word in (".store", "SELECT ", "UPDATE ", "INSERT "):
            assert word not in text, f"{path.name} uses {word.strip()}"


def test_the_import_wizard_steps_do_not_import_the_wizard_back():
    graph = grimp.build_graph("curator", exclude_type_checking_imports=False)
    for step in ("curator.ui.import_report", "curator.ui.import_check"):
        assert not graph.chain_exists(importer=step, imported="curator.ui.import_wizard")
