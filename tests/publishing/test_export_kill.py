"""A real `curator export` process killed (SIGKILL) at each step leaves, as `curator bundles`
sees it afterwards, either a recorded bundle in place or no bundle file at all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from curator.cli import main
from curator.library import Library
from curator.publishing.bundles import read_bundle
from tests.support.publishing import LEAD, approved, files_in, make_team

ROOT = Path(__file__).resolve().parents[2]

# (the step, when to kill, whether the bundle was recorded by then)
POINTS = [
    ("curator.publishing.export_journal:begin", "before", False),
    ("curator.publishing.export_journal:begin", "after", False),
    ("curator.publishing.bundles.writer:write_part", "half", False),
    ("curator.publishing.bundles.writer:write_part", "after", False),
    ("curator.publishing.portal:_record_export", "before", False),
    ("curator.publishing.portal:_record_export", "after", True),
    ("curator.publishing.bundles.writer:_link_new", "after", True),
    ("curator.publishing.bundles.writer:put_in_place", "after", True),
    ("curator.publishing.export_journal:end", "before", True),
]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"),
                                reason="needs SIGKILL (POSIX)")


@pytest.fixture
def folder(tmp_path):
    with Library.open(tmp_path / "lib") as lib:
        lib.act_as(LEAD)
        make_team(lib)
        approved(lib, "https://example.org/a", "Guide")
        approved(lib, "https://example.org/b", "Another guide")
    return tmp_path / "lib"


def export_args(folder: Path, out: Path) -> list[str]:
    return ["--library", str(folder), "--as", LEAD, "export", "--theme", "DA", "--to", str(out)]


def killed_export(folder: Path, out: Path, target: str, when: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.support.killpoint", target, when, "--",
         *export_args(folder, out)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


def listed(folder: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["--library", str(folder), "--json", "bundles"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("target, when, recorded", POINTS,
                         ids=[f"{t.split(':')[1]}-{w}" for t, w, _ in POINTS])
def test_a_killed_export_is_whole_or_absent(folder, tmp_path, capsys, target, when, recorded):
    out = tmp_path / "drop"
    killed_export(folder, out, target, when)
    bundles = listed(folder, capsys)  # what the person sees; finishes or undoes the export
    if recorded:
        (bundle,) = bundles
        assert files_in(out) == [Path(bundle["path"]).name]
        assert len(read_bundle(Path(bundle["path"])).resources) == 2
    else:
        assert bundles == []
        assert files_in(out) == []
    with Library.open(folder) as lib:
        assert lib.store.query("SELECT key FROM settings WHERE key LIKE 'export_pending:%'") \
            == []
    # and exporting works again, with the next bundle following on from a recorded one
    assert main(export_args(folder, out)) == 0
    again = listed(folder, capsys)
    assert len(again) == len(bundles) + 1 == len(files_in(out))
    if recorded:
        assert again[-1]["previous_id"] == bundles[0]["id"]
