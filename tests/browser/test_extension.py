"""The browser extension: a valid Manifest V3 for Edge, Chrome and Firefox, built into
installable packages, and its message building run under node when node is here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from curator.browser import manifests

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "extension"


def build(out: Path) -> list[Path]:
    done = subprocess.run([sys.executable, str(EXT / "build.py"), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [Path(line) for line in done.stdout.split()]


def test_the_manifest_is_manifest_v3_and_names_only_files_that_exist():
    m = json.loads((EXT / "src" / "manifest.json").read_text(encoding="utf-8"))
    assert m["manifest_version"] == 3
    assert re.fullmatch(r"\d+(\.\d+){0,3}", m["version"])
    assert m["name"] == "Clip to Curator" and len(m["description"]) <= 132
    assert m["background"] == {"service_worker": "background.js", "type": "module"}
    assert set(m["permissions"]) == {"nativeMessaging", "contextMenus", "activeTab",
                                     "scripting", "storage"}
    assert "host_permissions" not in m  # it reads a page only when the expert clips it
    named = [m["action"]["default_popup"], m["background"]["service_worker"],
             *m["icons"].values(), *m["action"]["default_icon"].values()]
    for name in named:
        assert (EXT / "src" / name).exists() or name == "icon.png", name
    html = (EXT / "src" / "panel.html").read_text(encoding="utf-8")
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert (EXT / "src" / ref).exists(), ref
    assert 'lang="en-GB"' in html and 'role="status"' in html
    # every input has a label
    for field in re.findall(r'<(?:input|select|textarea)[^>]*id="([^"]+)"', html):
        assert f'for="{field}"' in html or re.search(
            rf'<label[^>]*>\s*<input[^>]*id="{field}"', html), field


def test_the_extension_talks_to_the_host_that_curator_installs():
    for name in ("background.js", "panel.js"):
        text = (EXT / "src" / name).read_text(encoding="utf-8")
        assert "sendNativeMessage(HOST" in text
        assert "fetch(" not in text and "XMLHttpRequest" not in text  # no network of its own
    clip = (EXT / "src" / "clip.js").read_text(encoding="utf-8")
    assert f'HOST = "{manifests.HOST_NAME}"' in clip


def test_the_build_writes_a_package_for_chromium_browsers_and_one_for_firefox(tmp_path):
    chromium, firefox = build(tmp_path / "a")
    assert chromium.name == "curator-clipper-chromium-0.1.0.zip"
    assert firefox.name == "curator-clipper-firefox-0.1.0.zip"
    want = {"manifest.json", "background.js", "clip.js", "panel.html", "panel.css",
            "panel.js", "icon.png"}
    with zipfile.ZipFile(chromium) as zf:
        assert set(zf.namelist()) == want and zf.testzip() is None
        cm = json.loads(zf.read("manifest.json"))
    with zipfile.ZipFile(firefox) as zf:
        assert set(zf.namelist()) == want and zf.testzip() is None
        fm = json.loads(zf.read("manifest.json"))
        assert zf.read("icon.png")[:8] == b"\x89PNG\r\n\x1a\n"
    assert cm["key"] == manifests.EXTENSION_KEY
    assert "key" not in fm
    assert fm["background"] == {"scripts": ["background.js"], "type": "module"}
    assert fm["browser_specific_settings"]["gecko"]["id"] == manifests.FIREFOX_ID
    again = build(tmp_path / "b")
    assert [p.read_bytes() for p in again] == [chromium.read_bytes(), firefox.read_bytes()]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed here")
def test_the_extensions_message_building_passes_its_node_tests():
    done = subprocess.run(["node", "--test", "extension/test/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^# pass [1-9]", done.stdout, re.M)
    assert re.search(r"^# fail 0", done.stdout, re.M)
