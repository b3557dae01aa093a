"""Start-up imports only what the first screen needs (issue 21), and modules named with
curator.base.lazy load on their first use, with nothing lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from curator.base import lazy

# Loaded when first used, never by opening the window: fetching, bundles' templates,
# signing, PDFs, spreadsheets, the Whoosh writer, the type-guessing rules, sqlite-utils
# (with click and pluggy), the team folder's sync.
NOT_AT_START = ("requests", "urllib3", "jinja2", "cryptography", "pypdf", "openpyxl",
                "whoosh.writing", "curator.team.keys", "curator.team.releases",
                "curator.clipping.extract.typeguess", "curator.review.pagechange",
                "sqlite_utils", "click", "pluggy", "curator.team.sync")


def _imported_after(code: str) -> set[str]:
    """The modules run (a lazy module not yet used is in sys.modules but has not run)."""
    probe = ("import sys, importlib.util\n" + textwrap.dedent(code) +
             "\nprint('\\n'.join(n for n, m in list(sys.modules.items())"
             " if type(m).__name__ != '_LazyModule'))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, env={"QT_QPA_PLATFORM": "offscreen",
                                          "PATH": "/usr/bin:/bin"})
    return set(out.stdout.split())


def test_the_window_module_and_the_library_import_none_of_the_late_modules():
    loaded = _imported_after("import curator.ui.app, curator.ui.main_window, curator.library")
    early = sorted(m for m in NOT_AT_START if m in loaded)
    assert not early, f"imported at start-up: {early}"


def test_a_lazy_module_runs_on_first_use_and_is_then_the_real_module():
    loaded = _imported_after("""
        from curator.base import lazy
        mod = lazy.module("curator.team.releases")
        before = "curator.publishing.bundles" in sys.modules
        mod.__doc__  # the first attribute looked up runs the module
        after = "curator.publishing.bundles" in sys.modules
        assert not before and after, (before, after)
        import curator.team.releases as again
        assert again is mod
        assert sys.modules["curator.team"].releases is mod
    """)
    assert "curator.team.releases" in loaded


def test_a_module_already_imported_is_handed_back_as_it_is():
    import curator.base.errors as errors
    assert lazy.module("curator.base.errors") is errors


def test_a_module_that_does_not_exist_is_refused_at_once():
    with pytest.raises(ImportError):
        lazy.module("curator.no_such_module")
