"""The installable app: build it with PyInstaller, then start what was built.

Building takes a while (some 20 s on two cores, plus installing PyInstaller the first
time), so those tests run only with CURATOR_BUILD_TEST=1, which CI sets; locally:

    CURATOR_BUILD_TEST=1 .venv/bin/python -m pytest tests/test_packaging.py

The built program runs with its settings, data and home folders in a temporary folder
and Qt's offscreen screen, so it never touches the person's own. The Linux desktop
files and the icon are checked always (the validators only where they are installed).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import curator

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP_ID = "io.github.curator_app.Curator"
BUILD_SECONDS_LIMIT = 300   # CI time is shared: a build slower than this is a regression
SIZE_LIMIT_MB = 220         # so is a much bigger folder (about 140 MB on Linux today)

# Signs that the program did not start or quit cleanly, whatever its exit code.
# ("usage:" is a worker process that started as a second Curator and did not understand
# its arguments.)
UNCLEAN = re.compile(r"Traceback|Fatal Python error|Segmentation fault|core dumped|"
                     r"QThread: Destroyed|Could not load the Qt platform plugin|"
                     r"ModuleNotFoundError|ImportError|FileNotFoundError|usage: ")

needs_build = pytest.mark.skipif(os.environ.get("CURATOR_BUILD_TEST") != "1",
                                 reason="builds the app with PyInstaller; set "
                                        "CURATOR_BUILD_TEST=1 (CI does)")


# --- The Linux desktop files and the icon (no build needed) ---------------------------

def test_desktop_file_starts_curator_with_a_link_and_shows_the_icon():
    desktop = LINUX / f"{APP_ID}.desktop"
    entries = dict(line.split("=", 1) for line in desktop.read_text("utf-8").splitlines()
                   if "=" in line)
    assert entries["Exec"] == "curator %u"
    assert "x-scheme-handler/curator" in entries["MimeType"].split(";")  # curator: links
    assert entries["Name"] == curator.APP_NAME
    assert entries["Icon"] == APP_ID
    assert (LINUX / f"{APP_ID}.svg").exists()
    if not shutil.which("desktop-file-validate"):
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True,
                           text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr


def test_metainfo_names_the_app_and_its_current_version():
    metainfo = LINUX / f"{APP_ID}.metainfo.xml"
    root = ET.parse(metainfo).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == curator.__version__, (
        "Add a <release> for the new version at the top of the metainfo's <releases>.")
    if not shutil.which("appstreamcli"):
        pytest.skip("appstreamcli is not installed (Debian: appstream)")
    check = subprocess.run(["appstreamcli", "validate", "--no-net", "--no-color",
                            str(metainfo)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_icon_is_drawn_for_windows_and_macos(tmp_path):
    spec = importlib.util.spec_from_file_location("curator_packaging_icons",
                                                  PACKAGING / "icons.py")
    icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(icons)

    ico = icons.make_icon("ico", tmp_path).read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    first_offset = struct.unpack_from("<I", ico, 6 + 12)[0]
    assert ico[first_offset:first_offset + 8] == b"\x89PNG\r\n\x1a\n"

    icns = icons.make_icon("icns", tmp_path).read_bytes()
    assert icns[:4] == b"icns" and struct.unpack_from(">I", icns, 4)[0] == len(icns)
    assert icns[16:24] == b"\x89PNG\r\n\x1a\n"


def test_setup_program_and_spec_use_the_package_name():
    iss = (PACKAGING / "windows" / "curator.iss").read_text("utf-8")
    assert f'#define AppName "{curator.APP_NAME}"' in iss
    assert f'#define AppExe "{curator.APP_NAME}.exe"' in iss
    assert "PrivilegesRequired=lowest" in iss
    # curator: links (the bookmarklet) open the app, for this user only.
    assert 'Subkey: "Software\\Classes\\curator"' in iss and '"URL Protocol"' in iss
    assert 'Subkey: "Software\\Classes\\curator\\shell\\open\\command"' in iss
    spec = (PACKAGING / "curator.spec").read_text("utf-8")
    assert "curator.__version__" in spec and "curator.APP_NAME" in spec


# --- The built app ---------------------------------------------------------------------

class Built:
    def __init__(self, folder: Path, seconds: float):
        self.folder = folder
        self.seconds = seconds
        if sys.platform == "win32":
            # Curator.exe is windowed (no console), so output comes from the console one.
            self.gui = folder / f"{curator.APP_NAME}.exe"
            self.exe = folder / "curator-cli.exe"
        elif sys.platform == "darwin":
            self.gui = self.exe = folder / "Contents" / "MacOS" / curator.APP_NAME
        else:
            self.gui = self.exe = folder / curator.APP_NAME


@pytest.fixture(scope="module")
def built() -> Built:
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(PACKAGING / "build.py")], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - started
    assert result.returncode == 0, f"The build failed:\n{result.stdout}\n{result.stderr}"
    folder = ROOT / "dist" / (f"{curator.APP_NAME}.app" if sys.platform == "darwin"
                              else curator.APP_NAME)
    return Built(folder, seconds)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("packaged-home")


def run(built: Built, home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the built program as a person would, but with every folder it uses under home."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CURATOR_", "PYTHON", "QT_", "XDG_"))
           and k.upper() not in ("VIRTUAL_ENV", "LD_LIBRARY_PATH", "HTTP_PROXY",
                                 "HTTPS_PROXY", "ALL_PROXY")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        NO_PROXY="127.0.0.1,localhost",
        CURATOR_CONFIG_DIR=str(home / "config"),
        HOME=str(home / "home"),
        XDG_CONFIG_HOME=str(home / "xdg-config"),
        XDG_DATA_HOME=str(home / "xdg-data"),
        XDG_CACHE_HOME=str(home / "xdg-cache"),
        XDG_STATE_HOME=str(home / "xdg-state"),
        APPDATA=str(home / "appdata"),
        LOCALAPPDATA=str(home / "localappdata"),
    )
    (home / "home").mkdir(exist_ok=True)
    result = subprocess.run([str(built.exe), *args], cwd=home, env=env, capture_output=True,
                            text=True, encoding="utf-8", errors="replace", timeout=timeout)
    assert not UNCLEAN.search(result.stderr), result.stderr
    return result


def smoke_test(built: Built, home: Path, library: Path, *extra: str) -> int:
    result = run(built, home, "--library", str(library), "app", *extra, "--smoke-test")
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.fullmatch(rf"{curator.APP_NAME} {re.escape(curator.__version__)} works: "
                         r"(\d+) resources shown from (.+)", result.stdout.strip())
    assert match, result.stdout + result.stderr
    assert Path(match[2]).resolve() == library.resolve()
    return int(match[1])


class Demo:
    def __init__(self, library: Path, shown: int):
        self.library, self.shown = library, shown


@pytest.fixture(scope="module")
def demo(built, home) -> Demo:
    """The built app's first start: it makes a demo library, shows it and quits."""
    library = home / "lib"
    shown = smoke_test(built, home, library, "--demo")
    assert shown > 0
    return Demo(library, shown)


@pytest.mark.slow
@needs_build
def test_build_is_one_lean_folder_with_the_package_data(built):
    print(f"PyInstaller build: {built.seconds:.0f} s")
    assert built.exe.exists() and built.gui.exists()
    assert built.seconds < BUILD_SECONDS_LIMIT, f"the build took {built.seconds:.0f} s"
    files = [p for p in built.folder.rglob("*") if p.is_file() and not p.is_symlink()]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    assert size_mb < SIZE_LIMIT_MB, f"the built folder is {size_mb:.0f} MB"
    names = {p.relative_to(built.folder).as_posix() for p in files}
    for data in ("curator/data/thesaurus.json", "curator/data/demo_resources.json",
                 "curator/publishing/bundles/schema/manifest.schema.json",
                 "curator/publishing/bundles/templates/index.html.j2", "docs/user-guide.md"):
        assert any(n.endswith(data) for n in names), f"{data} is missing from the build"
    unwanted = re.compile(r"/translations/|/qml/|Qt6?(Qml|Quick|WebEngine|Pdf|Multimedia)|"
                          r"tkinter|_tcl|libtk|pytest|hypothesis|trustme|"
                          r"platformthemes/[^/]*gtk", re.IGNORECASE)
    assert not [n for n in names if unwanted.search("/" + n)]


@pytest.mark.slow
@needs_build
def test_built_app_opens_a_library_and_quits_cleanly(built, home, demo):
    # The first start (in the fixture) made the demo library; a later start opens it as
    # it is and shows the same resources.
    assert smoke_test(built, home, demo.library) == demo.shown


@pytest.mark.slow
@needs_build
def test_built_command_line_searches_exports_and_imports(built, home, demo, tmp_path):
    version = run(built, home, "--version")
    assert version.returncode == 0 and version.stdout.strip() == (
        f"{curator.APP_NAME} {curator.__version__}")

    search = run(built, home, "--library", str(demo.library), "search", "abuse", "--json")
    assert search.returncode == 0, search.stderr
    found = json.loads(search.stdout)
    assert found["total"] > 0 and found["hits"]

    # A bundle uses the package's templates and JSON schemas on both sides.
    export = run(built, home, "--library", str(demo.library), "--as", "Sam Patel", "export",
                 "--theme", "DA", "--to", str(tmp_path), "--json")
    assert export.returncode == 0, export.stderr
    bundle = Path(json.loads(export.stdout)["path"])
    assert bundle.exists()
    imported = run(built, home, "--library", str(tmp_path / "other"), "--as", "Priya Shah",
                   "import-bundle", str(bundle), "--json")
    assert imported.returncode == 0, imported.stderr
    exported = json.loads(export.stdout)["counts"]["resources"]
    assert exported > 0 and len(json.loads(imported.stdout)["added"]) == exported


@pytest.mark.slow
@needs_build
def test_built_app_rebuilds_a_large_index_with_worker_processes(built, home, tmp_path):
    # From 300 resources up, on more than one core, the index is built by worker
    # processes, which a frozen program must start as workers, not as another Curator.
    links = tmp_path / "links.txt"
    links.write_text("".join(f"https://site{n % 7}.example.org/page/{n}\n"
                             for n in range(320)), encoding="utf-8")
    library = tmp_path / "many"
    imported = run(built, home, "--library", str(library), "--as", "Sam Patel", "import",
                   str(links), "--no-fetch")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    rebuilt = run(built, home, "--library", str(library), "reindex")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert "320 resources" in rebuilt.stdout


@pytest.mark.slow
@needs_build
def test_built_app_checks_many_links_with_worker_processes(built, home, tmp_path, httpserver):
    # A big link check reads the pages in spawned worker processes (from 40 links up).
    page = ("<html><head><title>Practice guidance</title></head><body><article>"
            "<h1>Practice guidance</h1>" + "<p>Working with children and families.</p>" * 30
            + "</article></body></html>")
    httpserver.expect_request(re.compile(r"/page/\d+")).respond_with_data(
        page, content_type="text/html; charset=utf-8")
    links = tmp_path / "links.txt"
    links.write_text("".join(httpserver.url_for(f"/page/{n}") + "\n" for n in range(45)),
                     encoding="utf-8")
    library = tmp_path / "checked"
    imported = run(built, home, "--library", str(library), "--as", "Sam Patel", "import",
                   str(links), "--no-fetch")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    spacing = run(built, home, "settings", "linkcheck_spacing", "0")
    assert spacing.returncode == 0, spacing.stderr
    checked = run(built, home, "--library", str(library), "check-links", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    summary = json.loads(checked.stdout)
    assert summary["checked"] == 45 and summary["outcomes"] == {"ok": 45}
