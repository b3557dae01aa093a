"""BAD-INPUTS 30: exported pages pass axe-core's WCAG 2.2 AA rules in a real Chromium.

Needs node, Chromium (/usr/bin/chromium, or $CHROMIUM) and ``npm ci`` in tests/a11y;
the test is skipped, saying which is missing, when they are not there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from curator.publishing.bundles.html import render_index
from tests.support.bundles import HOSTILE_TITLES, make_resource, write

A11Y = Path(__file__).resolve().parents[1] / "a11y"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
THEMES = [{"code": "DA", "name": "Domestic abuse"}, {"code": "NEG", "name": "Neglect"},
          {"code": "EXP", "name": "Exploitation"}]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    for package in ("axe-core", "playwright-core"):
        if not (A11Y / "node_modules" / package).is_dir():
            return f"{package} is not installed (run: npm ci --prefix tests/a11y)"
    return None


def _skip_or_fail(reason: str) -> None:
    """CI installs the tools and sets CURATOR_REQUIRE_A11Y, so there a gap is a failure."""
    if os.environ.get("CURATOR_REQUIRE_A11Y"):
        pytest.fail(f"the accessibility check could not run: {reason}")
    pytest.skip(reason)


def varied_resources() -> list[dict]:
    long_note = "\n\n".join(
        f"Paragraph {p}: " + "practitioners should consider the wider family context " * 12
        for p in range(5))
    out = []
    for i, title in enumerate(HOSTILE_TITLES):
        out.append(make_resource(i, title=title, notes=f"{title}\n\n<img src=x onerror=alert(1)>",
                                 themes=["DA"]))
    out += [
        make_resource(10, title="A very long title " * 20, notes=long_note, themes=["NEG"]),
        make_resource(11, title="Guide pour les professionnels", language="fr",
                      themes=["EXP", "DA"], published=None, last_reviewed=None, site=""),
        make_resource(12, url="https://www.example.org/" + "deep/" * 60 + "page",
                      notes="", published="2020", themes=["EXP"]),
        make_resource(13, title="", published="2018-11", themes=["NEG"], type="event"),
        make_resource(14, themes=["XYZ"], type="toolkit"),  # in none of the bundle's themes
        # A document, approved, of type "other" (issue 17: file, approver, plain heading).
        make_resource(15, content_type="application/pdf", content_size=2_500_000,
                      approved_on="2025-03-10", approved_by="Alex Lead", type="other",
                      themes=["DA"]),
    ]
    out += [make_resource(20 + i, themes=[THEMES[i % 3]["code"]]) for i in range(15)]
    return out


@pytest.mark.slow
def test_bad_inputs_30_exported_pages_have_no_axe_violations(tmp_path):
    reason = _missing()
    if reason:
        _skip_or_fail(reason)
    now = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.UTC)
    first = write(tmp_path, varied_resources()[:12], themes=THEMES, now=now)
    info = write(tmp_path, varied_resources(), themes=THEMES, previous=first,
                 now=now + dt.timedelta(days=3))
    pages = []
    with zipfile.ZipFile(info.path) as zf:
        for name in ("index.html", "newsletter.html"):
            page = tmp_path / name
            page.write_bytes(zf.read(name))
            pages.append(page)
    manifest = {"themes": THEMES, "created_at": "2025-03-14T09:30:00Z", "created_by": "A",
                "bundle_id": info.id}
    not_a_link = tmp_path / "not-a-link.html"
    not_a_link.write_text(render_index(manifest, [
        make_resource(1, url="javascript:alert(1)", title="<b>no link</b>")]), "utf-8")
    pages.append(not_a_link)

    result = subprocess.run(["node", str(A11Y / "axe_check.mjs"), *map(str, pages)],
                            capture_output=True, text=True, timeout=180,
                            env={**os.environ, "CHROMIUM": CHROMIUM})
    assert result.returncode in (0, 1), result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert [Path(f["file"]).name for f in report["files"]] == [p.name for p in pages]
    violations = {f["file"]: f["violations"] for f in report["files"] if f["violations"]}
    assert violations == {}, json.dumps(violations, indent=1)[:4000]
    assert result.returncode == 0
