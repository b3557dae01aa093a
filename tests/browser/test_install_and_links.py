"""`curator browser install`, the native host manifests, and curator: links."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curator.base.errors import CuratorError
from curator.browser import manifests, scheme
from curator.cli.parser import link_as_app

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"


def test_the_extension_id_follows_from_the_key_in_the_extensions_manifest():
    shipped = json.loads((EXTENSION / "src" / "manifest.json").read_text(encoding="utf-8"))
    assert shipped["key"] == manifests.EXTENSION_KEY
    ext_id = manifests.extension_id()
    assert len(ext_id) == 32 and set(ext_id) <= set("abcdefghijklmnop")


def test_install_on_linux_writes_a_manifest_each_browser_reads_and_a_launcher(tmp_path):
    own, home = tmp_path / "config", tmp_path / "home"
    done = manifests.install(own=own, home=home, platform="linux",
                             command=["/opt/curator/curator"])
    assert {d.browser for d in done} == {"chrome", "chromium", "edge", "firefox"}
    chrome = json.loads((home / ".config/google-chrome/NativeMessagingHosts/curator.clip.json")
                        .read_text())
    assert chrome["name"] == "curator.clip" and chrome["type"] == "stdio"
    assert chrome["allowed_origins"] == [f"chrome-extension://{manifests.extension_id()}/"]
    edge = home / ".config/microsoft-edge/NativeMessagingHosts/curator.clip.json"
    assert json.loads(edge.read_text())["path"] == chrome["path"]
    firefox = json.loads((home / ".mozilla/native-messaging-hosts/curator.clip.json")
                         .read_text())
    assert firefox["allowed_extensions"] == ["clip@curator"]
    launcher = Path(chrome["path"])
    assert launcher.parent == own / "browser" and os.access(launcher, os.X_OK)
    assert launcher.read_text() == "#!/bin/sh\nexec '/opt/curator/curator' native-host\n"


def test_install_on_windows_names_each_manifest_in_the_registry(tmp_path):
    keys = {}
    done = manifests.install(["edge", "chrome"], own=tmp_path, home=tmp_path,
                             platform="win32", command=["C:\\Curator\\curator.exe"],
                             registry=keys.__setitem__)
    assert keys == {
        r"Software\Microsoft\Edge\NativeMessagingHosts\curator.clip": str(done[0].manifest),
        r"Software\Google\Chrome\NativeMessagingHosts\curator.clip": str(done[1].manifest)}
    launcher = Path(json.loads(done[0].manifest.read_text())["path"])
    assert launcher.name == "curator-native-host.bat"
    assert launcher.read_bytes().decode() == \
        '@echo off\r\n"C:\\Curator\\curator.exe" native-host\r\n'


def test_curator_browser_install_runs_from_the_command_line(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "curator", "--library", str(tmp_path / "lib"),
                           "browser", "install", "--browser", "chromium"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Chromium: Curator's clipper can start Curator" in done.stdout
    made = tmp_path / ".config/chromium/NativeMessagingHosts/curator.clip.json"
    launcher = Path(json.loads(made.read_text())["path"]).read_text()
    assert "--library" in launcher and str(tmp_path / "lib") in launcher
    assert not (tmp_path / "lib").exists()  # installing opens no library


@pytest.mark.parametrize("link, url", [
    ("curator:clip?url=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1", "https://example.org/a?b=1"),
    ("curator://clip?url=https://example.org/", "https://example.org/"),
    ("CURATOR:clip/?url=http%3A//example.org/x", "http://example.org/x"),
])
def test_a_curator_clip_link_gives_the_address(link, url):
    assert scheme.clip_url(link) == url
    assert scheme.clip_url(scheme.clip_link(url)) == url


@pytest.mark.parametrize("link, words", [
    ("curator:delete?url=https://example.org/", "can only clip"),
    ("curator:clip", "did not say which page"),
    ("curator:clip?url=javascript:alert(1)", "http:// or https://"),
])
def test_a_curator_link_that_cannot_be_used_says_why(link, words):
    with pytest.raises(CuratorError, match=words):
        scheme.clip_url(link)


def test_the_desktop_opening_a_curator_link_starts_the_app_on_the_clip():
    assert link_as_app(["curator:clip?url=https%3A%2F%2Fexample.org%2F"]) == \
        ["app", "--clip", "https://example.org/"]
    with pytest.raises(SystemExit, match="can only clip"):
        link_as_app(["curator:open?url=x"])


def test_the_bookmarklet_opens_a_curator_clip_link():
    assert scheme.BOOKMARKLET.startswith("javascript:")
    assert "curator:clip?url=" in scheme.BOOKMARKLET and "encodeURIComponent" in \
        scheme.BOOKMARKLET
