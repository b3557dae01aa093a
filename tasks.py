#!/usr/bin/env python3
"""Set up and run Curator for development, on Windows, macOS or Linux.

    python3 tasks.py run [--demo]   set everything up, then start Curator
    python3 tasks.py test [ARGS]    set everything up, then run the tests (ARGS go to pytest)
    python3 tasks.py build [ARGS]   set everything up, then build the installable app in
                                    dist/Curator (ARGS go to packaging/build.py)

Setting up makes a virtual environment in .venv and installs Curator into it with its
test tools; it is skipped when nothing has changed since last time.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".curator-setup"


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Curator needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PY.exists():
        print("Making a virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print("Installing Curator and its test tools ...", flush=True)
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    subprocess.check_call([str(PY), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"])
    STAMP.write_text(wanted)


def run(args: list[str]) -> int:
    setup()
    return subprocess.call([str(PY), "-m", "curator", "app", *args])


def test(args: list[str]) -> int:
    setup()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # In parallel on every core unless told otherwise (pytest-xdist).
    parallel = [] if any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args) \
        else ["-n", "auto"]
    return subprocess.call([str(PY), "-m", "pytest", *parallel, *args], cwd=ROOT, env=env)


def build(args: list[str]) -> int:
    setup()
    return subprocess.call([str(PY), str(ROOT / "packaging" / "build.py"), *args], cwd=ROOT)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "setup", "build"):
        print(__doc__)
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
        return 0
    if command == "build":
        return build(rest)
    return run(rest) if command == "run" else test(rest)


if __name__ == "__main__":
    raise SystemExit(main())
