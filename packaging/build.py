#!/usr/bin/env python3
"""Build the installable Curator: one folder, dist/Curator/ (dist/Curator.app on macOS).

    python3 tasks.py build            set up .venv, then run this (the usual way)
    python packaging/build.py [--installer]

Run it with the Python of the virtual environment Curator is installed in (tasks.py
does). It installs the `build` extra from pyproject.toml (PyInstaller) when it is missing,
then runs PyInstaller on packaging/curator.spec. With --installer on Windows it then runs
Inno Setup's ISCC on packaging/windows/curator.iss to make the setup program.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SPEC = PACKAGING / "curator.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"


def build_requirements() -> list[str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["optional-dependencies"]["build"]


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version)[:3])


def satisfied(requirement: str) -> bool:
    """Is this 'name>=X.Y' requirement installed? (Only the lower bound is checked.)"""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*(?:>=\s*([0-9.]+))?.*", requirement)
    if not match:
        return False
    name, lower = match.groups()
    try:
        installed = metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return lower is None or _numbers(installed) >= _numbers(lower)


def ensure_build_tools() -> None:
    wanted = build_requirements()
    missing = [r for r in wanted if not satisfied(r)]
    if not missing:
        return
    if sys.prefix == sys.base_prefix:
        sys.exit("Run the build from Curator's virtual environment: python3 tasks.py build")
    print(f"Installing the build tools ({', '.join(missing)}) ...", flush=True)
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *missing])


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    import curator

    return curator.__version__


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller() -> Path:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    # The spec draws the Windows and macOS icons with Qt; it needs no screen for that.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.check_call(command, cwd=ROOT, env=env)
    return DIST / ("Curator.app" if sys.platform == "darwin" else "Curator")


def find_iscc() -> str | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.environ.get("LOCALAPPDATA", "") + r"\Programs"):
        if base and (candidate := Path(base) / "Inno Setup 6" / "ISCC.exe").exists():
            return str(candidate)
    return None


def make_installer(version: str) -> int:
    if sys.platform != "win32":
        print("--installer makes the Windows setup program; it needs Windows and Inno Setup.")
        return 2
    iscc = find_iscc()
    if not iscc:
        print("Inno Setup's ISCC.exe was not found; install Inno Setup 6 or put ISCC on PATH.")
        return 1
    return subprocess.call([iscc, f"/DAppVersion={version}",
                            str(PACKAGING / "windows" / "curator.iss")], cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--installer", action="store_true",
                        help="Windows: also make the setup program with Inno Setup")
    args = parser.parse_args(argv)

    ensure_build_tools()
    version = app_version()
    started = time.monotonic()
    print(f"Building Curator {version} with PyInstaller ...", flush=True)
    built = run_pyinstaller()
    seconds = time.monotonic() - started
    size_mb = folder_size(built) / 1e6
    print(f"Built {built} in {seconds:.0f} s ({size_mb:.0f} MB).")
    if args.installer:
        return make_installer(version)
    if sys.platform == "win32":
        print(f"Setup program: ISCC /DAppVersion={version} packaging\\windows\\curator.iss "
              "(or run this again with --installer).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
