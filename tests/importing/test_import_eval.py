"""The bookmark parser against real browser and service exports (shared evaluation data).

The exports live outside the project, in ``<repo>/../shared/eval/dev/bookmarks/netscape``
(or ``$CURATOR_EVAL/dev/bookmarks/netscape``), with ``expected.json`` giving per file the
raw anchor count, the http(s) anchor count and the count Shaarli's own parser asserts.
A fresh clone has no shared folder: these tests then skip and say so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from curator.importing.formats import load

REPO = Path(__file__).resolve().parents[2]
EVAL = Path(os.environ.get("CURATOR_EVAL") or REPO.parent / "shared" / "eval")
FOLDER = EVAL / "dev" / "bookmarks" / "netscape"
EXPECTED_FILE = FOLDER / "expected.json"

if EXPECTED_FILE.is_file():
    EXPECTED = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
else:
    EXPECTED = {}

pytestmark = pytest.mark.skipif(
    not EXPECTED, reason=f"shared evaluation data not found at {FOLDER} (set CURATOR_EVAL to "
    "the folder holding dev/bookmarks/netscape to run these tests)")

NAMES = sorted(EXPECTED) or ["(no data)"]


def _is_web(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


@pytest.mark.parametrize("name", NAMES)
def test_bookmark_counts_match_the_reference_parser(name):
    expected = EXPECTED[name]
    loaded = load(FOLDER / name)
    assert loaded.format == "netscape"
    bookmarks = len(loaded.rows)
    web = sum(_is_web(r.url) for r in loaded.rows)
    if expected["shaarli_parser_count"] is not None:
        assert bookmarks == expected["shaarli_parser_count"]
    else:
        assert bookmarks == expected["anchors"]
    # Anchors written inside a description are counted by the raw count, not as bookmarks.
    assert web <= expected["http_anchors"]
    if expected["anchors"] == bookmarks:
        assert web == expected["http_anchors"]


@pytest.mark.parametrize("name", NAMES)
def test_every_export_previews_without_error(library, name):
    p = library.import_preview(FOLDER / name)
    c = p.counts
    assert c["total"] == len(p.rows)
    assert c["new"] + c["duplicate"] + c["invalid"] + c["skipped_scheme"] == c["total"]
    for row in p.rows:
        if row.status in ("invalid", "skipped_scheme"):
            assert row.message  # every row that is not imported says why


@pytest.mark.slow
def test_all_exports_import_and_reimport_adds_nothing(library):
    added = 0
    for name in NAMES:
        added += library.import_run(library.import_preview(FOLDER / name),
                               fetch=False).counts["added"]
    assert added > 100
    for name in NAMES:
        again = library.import_preview(FOLDER / name)
        assert again.counts["new"] == 0
        assert library.import_run(again, fetch=False).counts["added"] == 0
