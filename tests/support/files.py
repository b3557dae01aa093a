"""Making a file really read-only for a test, even when the tests run as root."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Take away write permission on *path* for the duration.

    Root ignores permission bits, so as root the file is also marked immutable
    (``chattr +i``), which binds root too; the test is skipped where neither works.
    """
    mode = path.stat().st_mode
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    immutable = False
    try:
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            if shutil.which("chattr") is None or subprocess.run(
                    ["chattr", "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip("running as root where files cannot be made immutable")
            immutable = True
        try:
            with open(path, "r+b"):
                pass
        except OSError:
            pass
        else:
            pytest.skip("this system lets the file be written to anyway")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, mode)
